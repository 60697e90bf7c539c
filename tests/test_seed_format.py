"""The seed layout: the user's own file converts with every field right, quirks included."""

from __future__ import annotations

import pytest

from starcoach.errors import GuideFormatError
from starcoach.guides.formats import detect_format, read_guide, write_guide
from starcoach.guides.formats.seed import read_seed, write_seed


def test_seed_fields(seed_text: str) -> None:
    guide = read_seed(seed_text, "seed.txt")
    assert guide.category == "Behavioral"
    assert guide.title == "Navigating Professional Failure and Growth"
    assert guide.id == "navigating-professional-failure-and-growth"
    assert guide.question.startswith("As a leader, your decisions carry significant weight.")
    assert guide.question.endswith("to prevent a recurrence?")
    assert guide.level == "Senior"
    assert guide.competencies == (
        "Ownership",
        "Growth Mindset",
        "Accountability",
        "Stakeholder Management",
        "Risk Management",
        "Emotional Intelligence",
        "Decision Making",
    )
    assert len(guide.clarifying_questions) == 2
    assert guide.clarifying_questions[0].startswith("Are you interested in a failure")
    assert not guide.clarifying_questions[0].startswith('"')
    assert guide.assumptions.startswith("I will focus on a high-stakes technical leadership")
    assert [s.name for s in guide.signals] == [
        "Ownership & Accountability",
        "Growth Mindset",
        "Humility",
        "Analytical Thinking",
        "Emotional Intelligence",
    ]
    assert guide.signals[2].description.startswith("The ability to admit a mistake")
    assert guide.cheat_code.startswith('The "Secret Sauce" to the failure question')


def test_seed_star_parts(seed_text: str) -> None:
    star = read_seed(seed_text).star
    assert star["situation"].heading == "Situation – Context"
    assert star["learning"].heading == "Learning / Reflection – Growth"
    assert [len(star[p].points) for p in star] == [3, 2, 4, 3, 4]
    assert all(p.label is None for p in star["situation"].points + star["task"].points)
    assert [p.label for p in star["action"].points] == [
        "The Failure of Vision",
        "Lack of Transparency",
        "The Breakdown",
        "The Pivot",
    ]
    assert star["result"].points[0].label == "Business Impact"
    assert star["result"].points[0].text.startswith("We missed the international launch")
    assert star["learning"].points[0].label == 'The "Pragmatic Lead" Framework'


def test_seed_converts_back_exactly(seed_text: str) -> None:
    assert detect_format(seed_text) == "seed"
    assert write_seed(read_seed(seed_text)).rstrip() == seed_text.rstrip()


@pytest.mark.parametrize("fmt", ["json", "yaml", "markdown", "seed"])
def test_seed_survives_every_format(seed_text: str, fmt: str) -> None:
    guide = read_seed(seed_text)
    again = read_guide(write_guide(guide, fmt), f"x.{fmt}")
    assert again == guide
    assert write_seed(again).rstrip() == seed_text.rstrip()


def test_messy_variants_read_the_same(seed_text: str) -> None:
    guide = read_seed(seed_text)
    lines = seed_text.split("\n")
    messy = "\ufeff" + "\r\n\r\n".join(lines)  # BOM, CRLF, blank lines everywhere
    messy = messy.replace("Senior Level", "Senior\tLevel").replace("Humility:", "Humility\t:")
    messy = messy.replace('"Are you interested', "\u201cAre you interested")
    messy = messy.replace('stakeholder management?"', "stakeholder management?\u201d")
    messy = messy.replace("Task – Your", "Task — Your").replace("three years", "three  years")
    messy = "    " + messy.replace("The Pivot:", "\tThe Pivot:")
    again = read_seed(messy)
    assert again.star["task"].heading == "Task — Your Responsibility"
    assert again.with_changes(star=guide.star) == guide
    assert again.star["action"].points == guide.star["action"].points


def test_glued_category_other_than_known() -> None:
    text = SEED_MINIMAL.replace("BehavioralA Title", "Culture FitWorking Across Teams")
    guide = read_seed(text)
    assert (guide.category, guide.title) == ("Culture Fit", "Working Across Teams")


SEED_MINIMAL = """The Question
BehavioralA Title
Tell me about a time.
Mid Level
Ownership
Questions & Insights
Clarifying Questions
"Which one?"
Assumptions: I assume.
Coach Strategy
Signals:
Ownership: Owns it.
Cheat Code: Be specific.
Strategy Breakdown
The STAR Narrative
Situation – Context
It was busy.
Task – Your Responsibility
I had to fix it.
Action – What You Did
I fixed it.
Result – Outcome & Impact
It worked 20% better.
Learning / Reflection – Growth
I now check first."""


@pytest.mark.parametrize(
    ("broken", "line", "expected"),
    [
        (SEED_MINIMAL.replace("The Question\n", "Question\n"), 1, "The Question"),
        (SEED_MINIMAL.replace("BehavioralA Title", "ALLCAPS"), 2, "category glued"),
        (SEED_MINIMAL.replace("Mid Level\n", ""), 4, "level line"),
        (SEED_MINIMAL.replace("Ownership: Owns it.", "Ownership owns it"), 12, "Name: what"),
        (SEED_MINIMAL.replace("Cheat Code: Be specific.\n", ""), 13, "Cheat Code"),
        (SEED_MINIMAL.replace("Result – Outcome & Impact\n", ""), 23, "Result heading"),
    ],
)
def test_malformed_seed_names_line_and_expectation(broken: str, line: int, expected: str) -> None:
    with pytest.raises(GuideFormatError) as caught:
        read_seed(broken, "bad.txt")
    assert caught.value.line == line
    assert expected in str(caught.value)
    assert str(caught.value).startswith(f"bad.txt, line {line}:")


def test_minimal_seed_reads() -> None:
    guide = read_seed(SEED_MINIMAL)
    assert guide.star["result"].points[0].text == "It worked 20% better."
    assert guide.clarifying_questions == ("Which one?",)


def test_empty_file_is_an_error() -> None:
    with pytest.raises(GuideFormatError, match="empty"):
        read_seed(" \n\r\n", "empty.txt")
