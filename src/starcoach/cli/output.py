"""Writing a file the user named: a clear error instead of a traceback, and an existing file is
never left half-written (the new content goes to a temporary file first, then replaces it)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import StarcoachError


def write_output(path: str, data: str | bytes) -> None:
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        if target.exists() and not target.is_file():  # a device such as /dev/stdout
            with target.open("wb") as handle:
                handle.write(payload)
            return
        handle_fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        try:
            with os.fdopen(handle_fd, "wb") as handle:
                handle.write(payload)
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError as error:
        raise StarcoachError(f"Cannot write {path}: {error.strerror or error}.") from None
