"""The guide library: the bundled guides plus the user's own, with lookup and filters."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from ..config import user_guides_dir
from ..errors import GuideExistsError, GuideFormatError, GuideNotFoundError, StarcoachError
from .formats import read_guide, read_guide_file, write_guide
from .model import LEVELS, Guide, Signal, normalize_level
from .search import rank

BUNDLED = "bundled"
USER = "user"
COHORT = "cohort"  # added by a coach for a cohort (storage.cohort_content)

log = logging.getLogger(__name__)


def bundled_guide_files() -> list[tuple[str, str]]:
    """(name, text) of every guide shipped inside the package, in name order."""
    folder = resources.files("starcoach.guides") / "library"
    files = [f for f in folder.iterdir() if f.name.endswith(".md")]
    return [(f"library/{f.name}", f.read_text(encoding="utf-8")) for f in sorted(files, key=str)]


def user_guide_files(folder: Path | None = None) -> list[Path]:
    folder = folder or user_guides_dir()
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


@dataclass
class Library:
    """Guides by id; `origins` says where each came from (a user's guide may replace ours)."""

    guides: dict[str, Guide] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # why each unreadable user file was left out
    # Signals a coach added for the cohorts of whoever this library is for (see for_cohorts).
    cohort_signals: tuple[Signal, ...] = ()
    # Bumped by every add, so a view made from this library knows when it is out of date.
    version: int = 0
    # Views for cohort members, made by services.cohort_library: kept with the library they
    # came from, by its version and the cohort content's row ids.
    views: dict[Hashable, Library] = field(default_factory=dict, repr=False, compare=False)
    # The user's guide folder it read, and that folder's stamp then (None: no folder read).
    folder: Path | None = None
    stamp: int | None = None

    def out_of_date(self) -> bool:
        """Whether the user's guide folder changed since it was read: another process (or the
        CLI) saved, replaced or removed a guide. Every save writes a new file and renames it
        into place, which changes the folder's own modification time: one stat, no reading."""
        return self.folder is not None and folder_stamp(self.folder) != self.stamp

    def __iter__(self) -> Iterator[Guide]:
        return iter(sorted(self.guides.values(), key=lambda g: g.id))

    def __len__(self) -> int:
        return len(self.guides)

    def __contains__(self, guide_id: object) -> bool:
        return guide_id in self.guides

    def get(self, guide_id: str) -> Guide:
        try:
            return self.guides[guide_id]
        except KeyError:
            close = difflib.get_close_matches(guide_id, list(self.guides), n=3, cutoff=0.4)
            partial = [i for i in sorted(self.guides) if guide_id and guide_id in i]
            suggestions = list(dict.fromkeys(close + partial))[:3]
            raise GuideNotFoundError(guide_id, suggestions) from None

    def add(self, guide: Guide, origin: str) -> None:
        self.guides[guide.id] = guide
        self.origins[guide.id] = origin
        self.version += 1

    def for_cohorts(self, guides: Sequence[Guide], signals: Sequence[Signal]) -> Library:
        """This library as a cohort member sees it: their cohorts' guides added (a cohort's
        guide wins on a shared id), and every guide also scored on their cohorts' signals."""
        view = Library(skipped=self.skipped, cohort_signals=tuple(signals))
        for guide in self.guides.values():
            view.add(_also_scored_on(guide, signals), self.origins[guide.id])
        for guide in guides:
            view.add(_also_scored_on(guide, signals), COHORT)
        return view

    def filter(
        self,
        *,
        competency: str | None = None,
        level: str | None = None,
        category: str | None = None,
        search: str | None = None,
    ) -> list[tuple[Guide, float | None]]:
        """Guides passing every filter: by id, or ranked by relevance when there is a search.
        A level, competency or category the library does not have is an error naming the
        ones it has, not an empty list."""
        _known("level", normalize_level(level) if level else None, LEVELS)
        _known("competency", competency, self.competencies())
        _known("category", category, sorted({g.category for g in self}))
        chosen: Iterable[Guide] = self
        if competency:
            wanted = competency.casefold()
            chosen = [g for g in chosen if wanted in (c.casefold() for c in g.competencies)]
        if level:
            wanted_level = normalize_level(level).casefold()
            chosen = [g for g in chosen if g.level.casefold() == wanted_level]
        if category:
            chosen = [g for g in chosen if g.category.casefold() == category.casefold()]
        if search:
            return [(g, score) for g, score in rank(chosen, search)]
        return [(g, None) for g in chosen]

    def competencies(self) -> list[str]:
        return sorted({c for g in self for c in g.competencies})


def _also_scored_on(guide: Guide, signals: Sequence[Signal]) -> Guide:
    known = {s.id for s in guide.signals}
    extra = tuple(s for s in signals if s.id not in known)
    return guide.with_changes(signals=guide.signals + extra) if extra else guide


def folder_stamp(folder: Path) -> int | None:
    try:
        return folder.stat().st_mtime_ns
    except OSError:
        return None


@cache
def bundled_guides() -> tuple[Guide, ...]:
    """The guides shipped inside the package, read once per process."""
    return tuple(read_guide(text, name, "markdown") for name, text in bundled_guide_files())


def load_library(*, include_user: bool = True, user_folder: Path | None = None) -> Library:
    """Load the bundled guides, then the user's (which win on a shared id). A user's file that
    cannot be read is left out with a logged warning naming it, so one bad file does not stop
    every command and the web app; `starcoach guides lint` reports them all."""
    library = Library()
    for guide in bundled_guides():
        library.add(guide, BUNDLED)
    if include_user:
        library.folder = user_folder or user_guides_dir()
        library.stamp = folder_stamp(library.folder)  # before reading: a change meanwhile shows
        for path in user_guide_files(library.folder):
            try:
                library.add(read_guide_file(path, "markdown"), USER)
            except StarcoachError as error:
                library.skipped.append(f"{path}: {reason_for(error)}")
                log.warning("Skipped a guide file in your library, %s", library.skipped[-1])
    return library


def reason_for(error: StarcoachError) -> str:
    """Why a guide file could not be read, without the file name the caller puts first."""
    if isinstance(error, GuideFormatError):
        return f"line {error.line}: {error.detail}" if error.line is not None else error.detail
    return str(error)


def save_user_guides(
    guides: list[Guide], library: Library, *, replace: bool = False, folder: Path | None = None
) -> list[Path]:
    """Write guides into the user's library, all or none: clashes are reported before writing."""
    folder = folder or user_guides_dir()
    ids = [g.id for g in guides]
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise GuideExistsError(
            f"The files share the id '{repeated[0]}'; give each guide its own id."
        )
    clashes = [g.id for g in guides if g.id in library]
    if clashes and not replace:
        raise GuideExistsError(
            f"A guide with id '{clashes[0]}' is already in the library "
            f"({library.origins[clashes[0]]}). Use --replace to replace it, or change the id."
        )
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for guide in guides:
        path = folder / f"{guide.id}.md"
        temporary = path.with_suffix(".md.tmp")
        temporary.write_text(write_guide(guide, "markdown"), encoding="utf-8")
        temporary.replace(path)
        written.append(path)
    return written


def _known(kind: str, value: str | None, valid: Sequence[str]) -> None:
    if value is None or value.casefold() in {v.casefold() for v in valid}:
        return
    close = difflib.get_close_matches(value, list(valid), n=3, cutoff=0.5)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise StarcoachError(f"No {kind} '{value}' in the library.{hint} Known: {', '.join(valid)}.")
