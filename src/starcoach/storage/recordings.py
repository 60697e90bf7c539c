"""Recordings of spoken answers: files in `data_dir()/recordings`, named by what they belong to
(`attempt-12.webm`, `mock-3-1-2.webm`), never listed and never sent anywhere. A recording is
reached only through the attempt or mock interview that names it, read through its owner's
store, so it is as private as they are.

A file appears whole or not at all: an upload is written under a temporary name in the same
folder and renamed once it has been transcribed and its record saved. Names are checked against
one pattern before any path is built, so a stored name can never point outside the folder.
"""

from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

from ..config import data_dir, writable_folder

# The formats a recording may be kept in, by file suffix: what the browser is told it is.
MIMETYPES = {
    ".webm": "audio/webm",
    ".ogg": "audio/ogg",
    ".wav": "audio/wav",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
}
NAME = re.compile(r"^[a-z]+(-[0-9]+){1,3}\.(webm|ogg|wav|mp3|m4a)$")
UPLOAD_PREFIX = ".upload-"
STALE_UPLOAD_SECONDS = 24 * 3600  # an upload this old was cut off (the server stopped)


def folder() -> Path:
    return data_dir() / "recordings"


def upload_path(suffix: str) -> Path:
    """A fresh temporary name for an upload being received (hidden, never served). Uploads
    left by a server stopped mid-way are removed here, a day later."""
    if suffix not in MIMETYPES:
        raise ValueError(f"not a recording suffix: {suffix}")
    here = writable_folder(folder())
    for left in here.glob(UPLOAD_PREFIX + "*"):
        try:
            if time.time() - left.stat().st_mtime > STALE_UPLOAD_SECONDS:
                left.unlink()
        except OSError:
            pass  # another request removed it first
    return here / f"{UPLOAD_PREFIX}{secrets.token_hex(8)}{suffix}"


def keep(upload: Path, stem: str) -> str:
    """Rename a received upload to its final name (`stem` + its suffix); returns the name."""
    name = stem + upload.suffix
    if not NAME.match(name):
        raise ValueError(f"not a recording name: {name}")
    os.replace(upload, folder() / name)
    return name


def path(name: str | None) -> Path | None:
    """The file of a stored name, or None when there is no such file (deleted, or a name
    that is not one of ours)."""
    if not name or not NAME.match(name):
        return None
    found = folder() / name
    return found if found.is_file() else None


def mimetype(name: str) -> str:
    return MIMETYPES.get(Path(name).suffix, "application/octet-stream")


def delete(name: str | None) -> bool:
    """Remove one recording; a name that names no file is already gone. True when a file
    was removed."""
    found = path(name)
    if found is None:
        return False
    found.unlink(missing_ok=True)
    return True


def named_in(state: Any) -> list[str]:
    """Every recording name in a mock interview's stored state (its turns keep them)."""
    if isinstance(state, list):
        return [name for item in state for name in named_in(item)]
    if not isinstance(state, dict):
        return []
    names = []
    for key, item in state.items():
        if key == "recording" and isinstance(item, str):
            names.append(item)
        else:
            names += named_in(item)
    return names


def delete_all() -> int:
    """Remove every recording and every upload left half-received; returns how many files."""
    here = folder()
    if not here.is_dir():
        return 0
    removed = 0
    for entry in here.iterdir():
        if entry.is_file() and (NAME.match(entry.name) or entry.name.startswith(UPLOAD_PREFIX)):
            entry.unlink(missing_ok=True)
            removed += 1
    return removed
