"""Everything that needs the database, composed once: the web app and the CLI share this."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from .errors import StarcoachError
from .guides.formats import read_guide
from .guides.library import Library, load_library
from .mock.session import MockInterview
from .storage import AttemptStore, Database, MockStore, StoryStore
from .storage.cohort_content import CohortContentStore, ContentKey
from .storage.plans import PlanStore
from .stories.bank import StoryBank

log = logging.getLogger(__name__)


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
        """The same database, with every store limited to `owner`'s rows and the library as
        they see it (with their cohorts' guides and signals). Cheap (one small query), so a
        web request can make its own. Called on the app's own services, whose library is
        the one everybody shares."""
        if owner == self.owner:
            return self
        library = self.library
        if owner is not None:
            store = CohortContentStore(self.database)
            library = library_with(store, library, store.member_content(owner))
        return _compose(self.database, library, owner)

    def refreshed(self) -> Services:
        """These services, or new ones over the same database when the user's guide folder
        changed since the library was read: how a guide saved by another app process, or by
        the CLI, reaches this one on its next request. The bundled guides are not read again."""
        if not self.library.out_of_date():
            return self
        library = load_library(user_folder=self.library.folder)
        return _compose(self.database, library, self.owner)

    def cohort_library(self, cohort_id: int) -> Library:
        """The library as the cohort's members see it: what its coach sets work from."""
        store = CohortContentStore(self.database)
        return library_with(store, self.library, store.cohort_content(cohort_id))

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


# Libraries as cohort members see them are made once per change of the shared library or of the
# cohort content, not per request; a few dozen are kept.
_views_lock = threading.Lock()
MAX_VIEWS = 64


def library_with(store: CohortContentStore, base: Library, key: ContentKey) -> Library:
    """`base` with the cohort guides and signals `key` names (itself when it names none)."""
    if not key.guides and not key.signals:
        return base
    view_key = (base.version, key)
    with _views_lock:
        found = base.views.get(view_key)
    if found is not None:
        return found
    guides = []
    for row in store.guides_with_ids(key.guides):
        try:
            guides.append(read_guide(row.markdown, f"cohort guide {row.guide_id}", "markdown"))
        except StarcoachError as error:  # one unreadable guide must not stop every page
            log.warning("Left out cohort %s's guide %s: %s", row.cohort_id, row.guide_id, error)
    signals = [s.signal for s in store.signals_with_ids(key.signals)]
    view = base.for_cohorts(guides, signals)
    with _views_lock:
        if len(base.views) >= MAX_VIEWS:
            base.views.clear()
        base.views[view_key] = view
    return view


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
