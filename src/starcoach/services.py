"""Everything that needs the database, composed once: the web app and the CLI share this."""

from __future__ import annotations

from dataclasses import dataclass

from .guides.library import Library, load_library
from .mock.session import MockInterview
from .storage import AttemptStore, Database, MockStore, StoryStore
from .storage.plans import PlanStore
from .stories.bank import StoryBank


@dataclass(frozen=True)
class Services:
    """The stores of one owner (`owner`: a user's id in shared mode, None for the single-user
    owner) over one database and library. `as_user` gives another owner's view of the same."""

    database: Database
    library: Library
    attempts: AttemptStore
    stories: StoryBank
    mock: MockInterview
    plans: PlanStore
    owner: int | None = None

    def as_user(self, owner: int | None) -> Services:
        """The same database and library, with every store limited to `owner`'s rows. Cheap
        (no I/O), so a web request can make its own."""
        if owner == self.owner:
            return self
        return _compose(self.database, self.library, owner)

    def close(self) -> None:
        self.database.close()


def _compose(database: Database, library: Library, owner: int | None) -> Services:
    bank = StoryBank(StoryStore(database, owner), library)
    return Services(
        database=database,
        library=library,
        attempts=AttemptStore(database, owner),
        stories=bank,
        # A mock interview's report recognises the owner's stories only.
        mock=MockInterview(MockStore(database, owner), library, bank.stories),
        plans=PlanStore(database, owner),
        owner=owner,
    )


def open_services(database_url: str | None = None) -> Services:
    """Open (and migrate) the database at the URL, default SQLite in STARCOACH_HOME, with the
    single-user owner's stores. The database is checked first: a damaged or read-only one stops
    here, before anything runs."""
    database = Database(database_url)
    try:
        library = load_library()
    except BaseException:
        database.close()
        raise
    return _compose(database, library, None)
