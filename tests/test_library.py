"""The bundled library: its size and spread, lookups, filters and search ranking."""

from __future__ import annotations

from collections import Counter

import pytest

from starcoach.analysis import analyze_answer
from starcoach.analysis.matching import closest_guide
from starcoach.errors import GuideNotFoundError
from starcoach.guides.library import Library
from starcoach.guides.lint import sample_word_count
from starcoach.guides.model import LEVELS

THEMES = [
    "failure",
    "conflict",
    "influence",
    "managing-up",
    "ambiguity",
    "prioritization",
    "feedback",
    "ethics",
    "customer",
    "innovation",
    "mentoring",
    "change",
    "incomplete-data",
]


INDUSTRIES = [
    "healthcare",
    "education",
    "retail",
    "logistics",
    "public-sector",
    "finance",
    "software",
    "hospitality",
    "trades",
    "sales",
]


def test_library_size_and_spread(library: Library) -> None:
    assert len(library) >= 100
    assert len(library.competencies()) >= 25
    assert {g.level for g in library} == set(LEVELS)
    roles = {role for g in library for role in g.roles}
    assert len(roles) >= 100  # many roles and industries, not only software
    tags = {tag for g in library for tag in g.tags}
    assert [industry for industry in INDUSTRIES if industry not in tags] == []


def test_every_model_answer_is_rated_hire_and_on_topic(library: Library) -> None:
    """The coach holds the library's own answers to the bar it teaches: hire or better, with no
    flag, and on topic for the guide's own question."""
    guides = list(library)
    for guide in guides:
        result = analyze_answer(guide.sample_answer, guide=guide, library=guides)
        assert result.overall.rating in ("hire", "strong_hire"), (guide.id, result.overall)
        assert result.relevance.on_topic, (guide.id, result.relevance.reason)
        assert list(result.flag_ids) == [], (guide.id, result.flag_ids)


def test_every_common_theme_is_covered(library: Library) -> None:
    tags = Counter(tag for g in library for tag in g.tags)
    missing = [theme for theme in THEMES if not any(theme in tag for tag in tags)]
    assert missing == []


def test_every_guide_is_complete(library: Library) -> None:
    for guide in library:
        assert len(guide.clarifying_questions) >= 2, guide.id
        assert guide.assumptions and guide.cheat_code, guide.id
        assert 4 <= len(guide.signals) <= 6, guide.id
        assert 300 <= sample_word_count(guide) <= 500, guide.id
        assert all(guide.star[part].points for part in guide.star), guide.id
        assert " I " in f" {guide.sample_answer} ", f"{guide.id} is not in the first person"


def test_unknown_id_suggests_close_ids(library: Library) -> None:
    with pytest.raises(GuideNotFoundError) as caught:
        library.get("failed-launch")
    assert "failed-product-launch" in caught.value.suggestions


def test_filters_combine(library: Library) -> None:
    found = [g for g, _ in library.filter(competency="influence", level="staff")]
    assert found and all(g.level == "Staff/Principal" for g in found)
    assert all("Influence" in g.competencies for g in found)
    leadership = [g for g, _ in library.filter(category="leadership")]
    assert leadership and all(g.category == "Leadership" for g in leadership)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("giving feedback to a colleague", "giving-hard-feedback"),
        ("ethics", "ethical-dilemma-at-work"),
        ("prioritization", "prioritizing-under-pressure"),
        ("layoffs restructuring", "leading-through-layoffs"),
        ("mentoring a junior", "mentoring-someone-to-success"),
    ],
)
def test_search_ranks_the_obvious_guide_first(library: Library, query: str, expected: str) -> None:
    ranked = library.filter(search=query)
    assert ranked[0][0].id == expected
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)


def test_search_with_no_match_is_empty(library: Library) -> None:
    assert library.filter(search="zzzqqq") == []


def test_every_bundled_question_finds_its_own_guide(library: Library) -> None:
    """Asked word for word (spacing and case aside), a library question is its own guide's."""
    guides = list(library)
    for guide in guides:
        found = closest_guide("  " + guide.question.upper() + " ", guides)
        assert found is not None and found[0].id == guide.id, (guide.id, found)
