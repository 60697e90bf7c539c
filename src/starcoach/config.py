"""Where the user's own data lives: $STARCOACH_HOME, else the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DatabaseUnavailableError

FOLDER_ADVICE = "Make it writable, or set STARCOACH_HOME to a folder you can write to."


class DataFolderError(DatabaseUnavailableError):
    """The data folder cannot be used: it is a file, or it cannot be created or written."""


def data_dir() -> Path:
    """The user data folder; tests point STARCOACH_HOME at a temporary directory."""
    override = os.environ.get("STARCOACH_HOME")
    if override:
        folder = Path(override).expanduser()
        if folder.exists() and not folder.is_dir():
            raise DataFolderError(
                f"STARCOACH_HOME is {folder}, which is a file: point it at a folder (it is "
                "created if missing)."
            )
        return folder
    from platformdirs import user_data_dir

    return Path(user_data_dir("starcoach", appauthor=False))


def writable_folder(folder: Path) -> Path:
    """Create `folder` if needed and make sure files can be written in it, so a read-only
    place is one clear message at start instead of a traceback at the first write."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFolderError(
            f"Cannot create the folder {folder}: {error.strerror or error}. {FOLDER_ADVICE}"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataFolderError(
            f"The folder {folder} is read-only, so starcoach cannot save anything there. "
            f"{FOLDER_ADVICE}"
        )
    return folder


def user_guides_dir() -> Path:
    return data_dir() / "guides"
