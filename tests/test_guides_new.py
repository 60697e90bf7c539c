"""`starcoach guides new`: the signal bank, the generator, lint's skeleton rules, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from starcoach.analysis.competencies import competency_names
from starcoach.cli import cli
from starcoach.guides.formats import read_guide, write_guide
from starcoach.guides.generate import (
    EXAMPLE_LABEL,
    GuideRequestError,
    general_theme,
    generate_guide,
    levels,
    part_guidance,
    signal_bank,
    themes,
)
from starcoach.guides.library import Library, load_library
from starcoach.guides.lint import SKELETON_LABELS, check_guide
from starcoach.guides.model import LEVELS, STAR_PARTS, Guide, Point, StarPart

# Questions written for these tests, outside the library and its data.
PATIENT = "Tell me about a time you had to calm an angry patient's family in the emergency room."
MISTAKE = "Give me an example of a mistake you made that cost your company money."
SUPPLIER = "Describe a time a supplier kept missing delivery dates for your warehouse."


@pytest.fixture(scope="module")
def guides(library: Library) -> list[Guide]:
    return list(library)


@pytest.fixture(scope="module")
def patient(guides: list[Guide]) -> Guide:
    return generate_guide(PATIENT, guides, level="senior", role="Nurse manager")


# The data -----------------------------------------------------------------------------------


def test_the_bank_covers_every_competency_with_complete_signals(library: Library) -> None:
    bank = signal_bank()
    vocabulary = set(library.competencies()) | set(competency_names())
    assert vocabulary <= set(bank), vocabulary - set(bank)
    names = [s.name for entries in bank.values() for s in entries]
    assert len(names) == len(set(names)), "two signals share a name"
    for competency, entries in bank.items():
        assert len(entries) >= 3, competency
        for signal in entries:
            assert signal.part in STAR_PARTS, signal
            assert ": " not in signal.name and len(signal.name.split()) <= 6, signal
            assert len(signal.description.split()) >= 8, signal
            assert signal.probe.endswith("?"), signal
            assert len(signal.advice.split()) >= 8, signal


def test_every_theme_and_level_has_what_a_guide_needs() -> None:
    for theme in [*themes().values(), general_theme()]:
        assert len(theme.clarifying) >= 2 and all(q.endswith("?") for q in theme.clarifying)
        assert theme.title and theme.about and theme.frame, theme.key
        assert len(theme.cheat_code.split()) >= 30, theme.key
    assert all(theme.keywords for theme in themes().values())
    assert set(levels()) == set(LEVELS)
    for level in levels().values():
        assert level.clarifying.endswith("?") and level.scope and level.cheat_code
    assert set(part_guidance()) == set(STAR_PARTS)


# The generator ------------------------------------------------------------------------------


def test_a_guide_has_every_section_and_passes_strict_lint(patient: Guide) -> None:
    assert check_guide(patient) == []
    assert patient.is_skeleton
    assert patient.level == "Senior" and patient.roles == ["Nurse manager"]
    assert 3 <= len(patient.competencies) <= 5
    assert {"Emotional Intelligence", "Customer Focus"} & set(patient.competencies)
    assert 4 <= len(patient.signals) <= 6
    assert len(patient.clarifying_questions) == 3
    assert "Nurse manager" in patient.assumptions and patient.cheat_code


def test_signals_and_their_advice_come_from_the_bank(patient: Guide) -> None:
    by_name = {s.name: s for entries in signal_bank().values() for s in entries}
    for signal in patient.signals:
        assert by_name[signal.name].description == signal.description
    probes = [p.text for part in STAR_PARTS for p in patient.star[part].points]
    for signal in patient.signals:
        assert by_name[signal.name].probe in probes, signal.name


def test_no_point_reads_as_the_candidates_story(patient: Guide, library: Library) -> None:
    """Every point is guidance or an example naming the library guide it was taken from."""
    for part in STAR_PARTS:
        labels = [p.label for p in patient.star[part].points]
        assert labels[0] == "What to Cover" and set(labels) <= set(SKELETON_LABELS)
        examples = [p for p in patient.star[part].points if p.label == EXAMPLE_LABEL]
        assert examples, part
        for point in examples:
            guide_id = point.text.split("(", 1)[1].split(")", 1)[0]
            original = library.get(guide_id).star[part].points[0].text
            assert point.text.endswith(original) and point.text.startswith("From the guide '")


def test_the_theme_and_level_shape_the_advice(guides: list[Guide]) -> None:
    mistake = generate_guide(MISTAKE, guides, level="Entry")
    assert mistake.tags == ["failure"]
    assert {"Accountability", "Ownership"} & set(mistake.competencies)
    assert levels()["Entry"].cheat_code in mistake.cheat_code
    assert levels()["Entry"].clarifying in mistake.clarifying_questions
    assert "my own most recent role" in mistake.assumptions
    executive = generate_guide(MISTAKE, guides, level="Executive")
    assert levels()["Executive"].cheat_code in executive.cheat_code
    assert executive.signals == mistake.signals


def test_competencies_weigh_the_text_the_theme_and_the_closest_guides(
    guides: list[Guide],
) -> None:
    """A deadline named in a disagreement question does not make it a time-management one."""
    guide = generate_guide(
        "Describe a situation where you disagreed with your manager about a deadline.", guides
    )
    assert guide.tags == ["conflict"] and "Conflict Resolution" in guide.competencies
    teaching = generate_guide(
        "Tell me about a time you had to teach a new hire a complicated procedure.", guides
    )
    assert {"Mentoring", "Coaching"} <= set(teaching.competencies[:3])


def test_the_title_comes_from_the_question(patient: Guide, guides: list[Guide]) -> None:
    assert patient.title == "Calm an Angry Patient's Family"
    assert patient.id == "calm-an-angry-patient-s-family"
    assert generate_guide(SUPPLIER, guides).title == "A Supplier Kept Missing Delivery Dates"


def test_same_input_gives_byte_identical_output(guides: list[Guide]) -> None:
    first = generate_guide(SUPPLIER, guides, level="Mid", role="Warehouse lead")
    again = generate_guide(SUPPLIER, guides, level="Mid", role="Warehouse lead")
    for fmt in ("seed", "markdown", "json", "yaml"):
        assert write_guide(first, fmt) == write_guide(again, fmt)


def test_byte_identical_across_processes(tmp_path: Path) -> None:
    env = {**os.environ, "STARCOACH_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "starcoach", "guides", "new", PATIENT, "--to", "json"]
    outputs = [subprocess.run(command, env=env, capture_output=True, check=True).stdout]
    outputs.append(subprocess.run(command, env=env, capture_output=True, check=True).stdout)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])["source"] == "skeleton"


def test_round_trips_through_every_format(patient: Guide) -> None:
    seed = write_guide(patient, "seed")
    back = read_guide(seed, "new.txt", "seed")
    assert back == patient.with_changes(metadata={})  # the seed layout holds no metadata
    assert write_guide(back, "seed") == seed
    for fmt in ("markdown", "json", "yaml"):
        again = read_guide(write_guide(patient, fmt), f"new.{fmt}", fmt)
        assert again == patient and again.is_skeleton and check_guide(again) == []


@pytest.mark.parametrize(
    "question",
    [
        "- Tell me about a time you failed.",
        "“Tell me about a time you said no to your boss — and why?”",
        "Describe: a time when you led 3 teams through a merger.",
        "What's the hardest feedback you've received, and what did you do with it?",
        "Give an example of a goal you set and reached. #teamwork",
        "Résumé gaps: tell me about a period you spent learning on your own.",
        "How do you prioritise when everything is urgent and your manager is away?",
    ],
)
def test_any_question_gives_a_guide_that_survives_the_seed_layout(
    guides: list[Guide], question: str
) -> None:
    guide = generate_guide(question, guides, level="Executive", role="Head teacher")
    back = read_guide(write_guide(guide, "seed"), "new.txt", "seed")
    assert back == guide.with_changes(metadata={}) and back.id == guide.id
    assert check_guide(guide) == []
    assert guide.title[0].isupper() and not guide.title.endswith(("Is", "You", "—"))


@pytest.mark.parametrize(
    ("question", "level", "role", "message"),
    [
        ("", None, None, "empty"),
        ("Tell me", None, None, "too short"),
        ("x " * 1_500, None, None, "limit is 2,000"),
        (PATIENT, "Boss", None, "Unknown level 'Boss'"),
        (PATIENT, None, "r" * 200, "limit is 120"),
    ],
)
def test_bad_requests_name_the_problem(
    guides: list[Guide], question: str, level: str | None, role: str | None, message: str
) -> None:
    with pytest.raises(GuideRequestError, match=message):
        generate_guide(question, guides, level=level, role=role)


# Lint's skeleton rules ----------------------------------------------------------------------


def test_lint_checks_a_skeleton_by_its_own_rules(patient: Guide, library: Library) -> None:
    situation = patient.star["situation"]
    story = Point("I was the charge nurse when the family arrived shouting at the desk.")
    unlabelled = patient.with_changes(
        star={**patient.star, "situation": StarPart(situation.heading, (*situation.points, story))}
    )
    messages = [m for _, m in check_guide(unlabelled)]
    assert any("situation point" in m and "not labelled" in m for m in messages)
    uncovered = patient.with_changes(
        star={**patient.star, "task": StarPart("Task – Your Responsibility", (story,))}
    )
    assert any("task part has no 'What to Cover'" in m for _, m in check_guide(uncovered))
    # Without the marker the same guide is held to the sample answer's 300–500 words.
    unmarked = patient.with_changes(metadata={})
    assert any("sample answer has" in m for _, m in check_guide(unmarked))
    assert check_guide(library.get("failed-product-launch")) == []


# The CLI ------------------------------------------------------------------------------------


def test_cli_prints_a_guide_in_any_format(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["guides", "new", PATIENT, "--level", "Senior"])
    assert result.exit_code == 0, result.output
    assert "STAR SKELETON TO FILL WITH YOUR OWN STORY" in result.output
    assert "What to Cover" in result.output
    result = runner.invoke(cli, ["guides", "new", PATIENT, "--to", "seed"])
    assert result.exit_code == 0 and result.output.startswith("The Question\n")
    assert read_guide(result.output, "new.txt", "seed").title == "Calm an Angry Patient's Family"


def test_cli_saves_to_the_library_and_refuses_to_overwrite(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(cli, ["guides", "new", SUPPLIER, "--role", "Warehouse lead", "--save"])
    assert result.exit_code == 0, result.output
    path = home / "guides" / "a-supplier-kept-missing-delivery-dates.md"
    assert path.is_file() and "Saved 'a-supplier-kept-missing-delivery-dates'" in result.output
    saved = load_library().get("a-supplier-kept-missing-delivery-dates")
    assert saved.is_skeleton and saved.roles == ["Warehouse lead"]
    assert runner.invoke(cli, ["guides", "lint", "--strict"]).exit_code == 0
    before = path.read_text(encoding="utf-8")
    again = runner.invoke(cli, ["guides", "new", SUPPLIER, "--level", "Entry", "--save"])
    assert again.exit_code == 4 and "--replace" in again.output
    assert path.read_text(encoding="utf-8") == before
    replaced = runner.invoke(
        cli, ["guides", "new", SUPPLIER, "--level", "Entry", "--save", "--replace"]
    )
    assert replaced.exit_code == 0 and load_library().get(saved.id).level == "Entry"


def test_cli_errors_are_one_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["guides", "new", "Tell me", "--save"])
    assert result.exit_code == 2 and "too short" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["guides", "new", PATIENT, "--replace"])
    assert result.exit_code == 1 and "--replace only makes sense with --save" in result.output
