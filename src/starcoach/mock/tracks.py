"""Which questions a mock interview asks: a themed track, a level and competencies, or a list."""

from __future__ import annotations

from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict

from ..errors import StarcoachError
from ..guides.library import Library
from ..guides.model import LEVELS, normalize_level

MIN_QUESTIONS, MAX_QUESTIONS = 3, 6


class Track(BaseModel):
    """A themed loop: what `GET /api/tracks` and `starcoach mock tracks --json` give."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    description: str
    guides: tuple[str, ...]


def load_tracks() -> dict[str, Track]:
    """The themed loops, from data/tracks.yaml: written loops are content, not code."""
    text = resources.files(__package__).joinpath("data/tracks.yaml").read_text(encoding="utf-8")
    return {
        track_id: Track(
            id=track_id,
            title=entry["title"],
            description=" ".join(str(entry["description"]).split()),
            guides=tuple(entry["guides"]),
        )
        for track_id, entry in yaml.safe_load(text).items()
    }


TRACKS: dict[str, Track] = load_tracks()


def choose_questions(
    library: Library,
    *,
    track: str | None = None,
    level: str | None = None,
    competencies: tuple[str, ...] = (),
    guides: tuple[str, ...] = (),
    length: int = 4,
) -> tuple[str, list[str]]:
    """(a short description of the track, the guide ids to ask, in order).

    A track, a list of guides and a level/competency pick are three ways to choose; mixing
    them is refused rather than one silently winning."""
    ways = [
        name
        for name, given in (
            ("a track", track),
            ("a list of guides", guides),
            ("a level or competencies", level or competencies),
        )
        if given
    ]
    if len(ways) > 1:
        raise StarcoachError(
            f"Choose the questions one way: {' or '.join(ways)}, not both. "
            "A track and a list of guides already fix the questions."
        )
    if not MIN_QUESTIONS <= length <= MAX_QUESTIONS:
        raise StarcoachError(
            f"A mock interview has {MIN_QUESTIONS} to {MAX_QUESTIONS} main "
            f"questions; {length} asked for."
        )
    if guides:
        for guide_id in guides:
            library.get(guide_id)
        if not MIN_QUESTIONS <= len(guides) <= MAX_QUESTIONS:
            raise StarcoachError(
                f"Give {MIN_QUESTIONS} to {MAX_QUESTIONS} guides for a custom "
                f"track; {len(guides)} given."
            )
        return "Custom: " + ", ".join(guides), list(guides)
    if track:
        if track not in TRACKS:
            raise StarcoachError(f"No track '{track}'. Tracks: {', '.join(TRACKS)}.")
        chosen = TRACKS[track]
        return chosen.title, list(chosen.guides[:length])
    wanted_level = normalize_level(level) if level else None
    if wanted_level is not None and wanted_level not in LEVELS:
        raise StarcoachError(f"Unknown level '{level}'. Levels: {', '.join(LEVELS)}.")
    for competency in competencies:
        library.filter(competency=competency)  # an unknown one is an error naming the known
    wanted = {c.casefold() for c in competencies}

    def rank(guide_id: str) -> tuple[int, int, str]:
        guide = library.get(guide_id)
        overlap = len(wanted & {c.casefold() for c in guide.competencies})
        distance = (
            abs(LEVELS.index(guide.level) - LEVELS.index(wanted_level))
            if wanted_level and guide.level in LEVELS
            else 0
        )
        return (distance, -overlap, guide_id)

    ordered = sorted((g.id for g in library), key=rank)
    if wanted:
        matching = [
            g for g in ordered if wanted & {c.casefold() for c in library.get(g).competencies}
        ]
        ordered = matching + [g for g in ordered if g not in matching]
    label = " · ".join(filter(None, [wanted_level, ", ".join(competencies)])) or "General"
    return label, ordered[:length]
