"""One owner's recordings of spoken answers, found through their records, and as a zip: the audio
the JSON export leaves out (it keeps each recording's name, transcript and feedback). In the zip
each file keeps that name, under `recordings/`, so the two can be matched.

Audio is already compressed, so the files are stored as they are; the zip is written to a file
the caller gives (a temporary one for a download), never built in memory.
"""

from __future__ import annotations

import json
import zipfile
from typing import IO

from sqlalchemy import Connection, select

from . import recordings
from .database import Database, attempts, mock_sessions
from .transfer import owned_by


def recording_names(connection: Connection, owner: int | None) -> list[str]:
    """The names of every recording the owner's attempts and mock interviews keep."""
    names = [
        str(name)
        for (name,) in connection.execute(
            select(attempts.c.recording)
            .where(owned_by(attempts, owner), attempts.c.recording.is_not(None))
            .order_by(attempts.c.id)
        )
    ]
    for (state,) in connection.execute(
        select(mock_sessions.c.state)
        .where(owned_by(mock_sessions, owner))
        .order_by(mock_sessions.c.id)
    ):
        names += recordings.named_in(json.loads(state))
    return names


def write_archive(database: Database, owner: int | None, target: IO[bytes]) -> int:
    """Write the owner's recordings that are still on disk into a zip; returns how many."""
    with database.engine.connect() as connection:
        names = recording_names(connection, owner)
    written = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in names:
            found = recordings.path(name)
            try:
                if found is not None:
                    archive.write(found, arcname=f"recordings/{name}")
                    written += 1
            except FileNotFoundError:  # deleted meanwhile: it is not theirs to download now
                continue
    return written
