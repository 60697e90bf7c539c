"""Where the user's own data lives: $STARCOACH_HOME, else the platform's user data folder."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The user data folder; tests point STARCOACH_HOME at a temporary directory."""
    override = os.environ.get("STARCOACH_HOME")
    if override:
        folder = Path(override).expanduser()
        if folder.exists() and not folder.is_dir():
            from .errors import StarcoachError

            raise StarcoachError(
                f"STARCOACH_HOME is {folder}, which is a file: point it at a folder (it is "
                "created if missing)."
            )
        return folder
    from platformdirs import user_data_dir

    return Path(user_data_dir("starcoach", appauthor=False))


def user_guides_dir() -> Path:
    return data_dir() / "guides"
