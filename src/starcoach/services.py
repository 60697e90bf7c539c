"""Everything that needs the database, composed once: the web app and the CLI share this."""

from __future__ import annotations

from dataclasses import dataclass

from .guides.library import Library, load_library
from .mock.session import MockInterview
from .storage import AttemptStore, Database, MockStore, StoryStore
from .stories.bank import StoryBank


@dataclass
class Services:
    database: Database
    library: Library
    attempts: AttemptStore
    stories: StoryBank
    mock: MockInterview

    def close(self) -> None:
        self.database.close()


def open_services(database_url: str | None = None) -> Services:
    """Open (and migrate) the database at the URL, default SQLite in STARCOACH_HOME. The
    database is checked first: a damaged or read-only one stops here, before anything runs."""
    database = Database(database_url)
    try:
        library = load_library()
    except BaseException:
        database.close()
        raise
    bank = StoryBank(StoryStore(database), library)
    return Services(
        database=database,
        library=library,
        attempts=AttemptStore(database),
        stories=bank,
        mock=MockInterview(MockStore(database), library, bank.stories),
    )
