"""`guides lint`: each structural problem and quality warning is found, and the library is clean."""

from __future__ import annotations

import pytest

from starcoach.guides.library import Library, bundled_guide_files
from starcoach.guides.lint import ERROR, WARNING, lint
from starcoach.guides.model import Guide, Point, StarPart


def _messages(guide: Guide, severity: str) -> list[str]:
    return [p.message for p in lint([("g.md", guide)]) if p.severity == severity]


def test_bundled_library_is_clean_even_when_strict(library: Library) -> None:
    assert len(bundled_guide_files()) == len(library)
    assert lint([(g.id, g) for g in library]) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"level": "Junior"}, "unknown level 'Junior'"),
        ({"assumptions": ""}, "'assumptions' is empty"),
        ({"cheat_code": ""}, "'cheat_code' is empty"),
        ({"competencies": ()}, "no competencies"),
        ({"signals": ()}, "no signals"),
        ({"id": "Not A Slug"}, "lower-case words joined by hyphens"),
    ],
)
def test_structural_errors(library: Library, change: dict[str, object], expected: str) -> None:
    guide = library.get("failed-product-launch").with_changes(**change)
    assert any(expected in m for m in _messages(guide, ERROR))


def test_missing_star_section_is_an_error(library: Library) -> None:
    guide = library.get("failed-product-launch")
    star = dict(guide.star, result=StarPart("Result – Outcome & Impact", ()))
    assert "the result section of the STAR narrative has no points" in _messages(
        guide.with_changes(star=star), ERROR
    )


def test_duplicate_ids_across_files(library: Library) -> None:
    guide = library.get("failed-product-launch")
    problems = lint([("a.md", guide), ("b.md", guide)])
    assert [(p.source, p.message) for p in problems] == [
        ("b.md", "duplicate id, also used by a.md")
    ]


def test_quality_warnings(library: Library) -> None:
    guide = library.get("failed-product-launch")
    short = dict(
        guide.star,
        action=StarPart("Action – What You Did", (Point("Key Move: I called the buyer."),)),
    )
    thin = guide.with_changes(
        clarifying_questions=("Only one?",), signals=guide.signals[:2], star=short
    )
    warnings = _messages(thin, WARNING)
    assert "1 clarifying questions (want at least 2)" in warnings
    assert "2 signals (want 4–6)" in warnings
    assert any("words (want 300–500)" in w for w in warnings)
    assert any("starts like a label" in w for w in warnings)
