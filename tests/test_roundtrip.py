"""Every bundled guide survives every format, and each format is stable when written twice."""

from __future__ import annotations

import pytest

from starcoach.guides.formats import FORMATS, detect_format, read_guide, write_guide
from starcoach.guides.library import Library, bundled_guide_files
from starcoach.guides.model import slugify


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_bundled_guide_round_trips(library: Library, fmt: str) -> None:
    for guide in library:
        text = write_guide(guide, fmt)
        assert detect_format(text) == fmt
        again = read_guide(text, f"{guide.id}.{fmt}")
        if fmt == "seed":  # the seed layout has no place for the id or the metadata
            assert again.id == slugify(guide.title)
            again = again.with_changes(id=guide.id, metadata=guide.metadata)
        assert again == guide, f"{guide.id} changed going through {fmt}"
        assert write_guide(again, fmt) == text


def test_bundled_files_are_written_in_canonical_form() -> None:
    """The library files are what the Markdown writer produces, so edits diff cleanly."""
    for name, text in bundled_guide_files():
        guide = read_guide(text, name, "markdown")
        assert write_guide(guide, "markdown") == text, f"{name} is not in canonical form"
