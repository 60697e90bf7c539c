"""The story bank: the file format, the analysis, coverage, matching, and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from starcoach.cli import cli
from starcoach.guides.library import Library
from starcoach.stories import Story, StoryError
from starcoach.stories.files import read_story, write_story
from starcoach.stories.insight import GAP_WORDS, analyze_story, coverage, match_stories

STORY = """---
title: The pallet errors
role: Night shift lead, regional grocery warehouse
date: 2024-03
competencies: [Problem Solving]
numbers: [errors 6% to 0.8%, contract renewed for 2 years]
---
## Situation
Last spring I was the night shift lead at a regional grocery warehouse with 40 pickers. Our
biggest customer had started rejecting pallets because 6 percent of cases went to the wrong store.

## Task
My job was to get errors under 1 percent before their contract review in June.

## Action
I pulled two weeks of rejection reports and matched each error to its aisle. I found that 70
percent came from two aisles with near-identical labels, so I had them reprinted in two colours.
I paired each new picker with a veteran for their first three shifts.

## Result
Within six weeks errors fell from 6 percent to 0.8 percent and the customer renewed for two years.

## Learning
Since then I map where errors happen before I change anything, and I run a monthly label check.
"""
WE_STORY = """title: The website relaunch
competencies: [Collaboration]
situation: Our agency had a client whose website was slow and dated.
action: We redesigned the pages. We rebuilt the checkout. We moved the hosting. We tested it all.
result: The client was happy with the new site.
"""


def test_story_file_round_trip_and_json() -> None:
    story = read_story(STORY, "s.md")
    assert story.title == "The pallet errors" and story.numbers[0] == "errors 6% to 0.8%"
    assert story.action.startswith("I pulled two weeks") and "\n" not in story.situation
    assert read_story(write_story(story)) == story
    assert read_story(json.dumps(story.to_dict())) == story


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("---\nrole: x\n---\n## Situation\nIt was busy.\n", "field 'title'"),
        ("title: T\n", "at least one of situation"),
        ("---\ntitle: T\n---\n## Backstory\nLong ago.\n", "unknown section '## Backstory'"),
        ("title: T\nsituation: S\ncolour: blue\n", "field 'colour': no such field"),
        ("title: T\nsituation: S\nnumbers: {a: 1}\n", "field 'numbers'"),
        ("{not json", "line 1, column 2: not valid JSON"),
    ],
)
def test_bad_story_files_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(StoryError, match=message) as caught:
        read_story(text, "story.md")
    assert str(caught.value).startswith(("story.md: ", "story.md, line "))


def test_analysis_suggests_competencies_and_names_gaps(library: Library) -> None:
    vocabulary = library.competencies()
    strong = analyze_story(read_story(STORY), vocabulary)
    suggested = strong["suggested_competencies"]
    assert 1 <= len(suggested) <= 5
    assert all(strong["strengths"][name]["score"] >= 3 for name in suggested)
    assert strong["gaps"] == []
    assert strong["strengths"]["Problem Solving"]["score"] >= 3
    weak = analyze_story(read_story(WE_STORY), vocabulary)
    gap_ids = {gap["id"] for gap in weak["gaps"]}
    assert {"no_quantified_result", "missing_learning", "we_overuse", "no_numbers"} <= gap_ids


def _analyzed(text: str, library: Library, story_id: int) -> Story:
    story = read_story(text)
    analysis = analyze_story(story, library.competencies())
    return story.with_changes(id=story_id, analysis=analysis)


def test_coverage_and_matching(library: Library) -> None:
    bank = [_analyzed(STORY, library, 1), _analyzed(WE_STORY, library, 2)]
    report = coverage(bank, library.competencies(), list(library))
    status = {row["competency"]: row["status"] for row in report["competencies"]}
    assert status["Problem Solving"] == "strong"
    # Story 2 declares Collaboration but shows it weakly; story 1 shows it without the tag.
    row = next(r for r in report["competencies"] if r["competency"] == "Collaboration")
    assert (row["status"], row["best_story"], row["best_source"]) == ("strong", 1, "suggested")
    assert (row["declared"], row["suggested"]) == ([2], [1])
    alone = coverage(bank[1:], library.competencies(), list(library))["competencies"]
    assert {r["competency"]: r["status"] for r in alone}["Collaboration"] == "weak"
    assert status["Integrity"] == "none"
    assert 0 <= report["ready"] < report["questions"] == len(library)
    assert any(q["id"] == "ethical-dilemma-at-work" for q in report["not_ready"])
    ranked = match_stories(
        "Tell me about a time you solved a tricky quality problem with data.", bank, list(library)
    )
    assert [r["story"] for r in ranked] == [1, 2]
    assert ranked[0]["reason"].startswith("shows ")
    # The weak story's reason names its first gap, whichever the flag registry ranks first.
    assert any(gap in ranked[1]["reason"] for gap in GAP_WORDS.values())


def test_stories_cli(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "story.md"
    path.write_text(STORY, encoding="utf-8")
    added = runner.invoke(cli, ["stories", "add", str(path), "--json"])
    assert added.exit_code == 0, added.output
    story = json.loads(added.output)
    assert story["id"] == 1 and story["analysis"]["suggested_competencies"]
    assert "The pallet errors" in runner.invoke(cli, ["stories", "list"]).output
    shown = runner.invoke(cli, ["stories", "show", "1"])
    assert "## Action" in shown.output and "It shows:" in shown.output

    edited = STORY.replace("The pallet errors", "The mislabelled pallets")
    monkeypatch.setattr("click.edit", lambda text, extension=None: edited)
    assert runner.invoke(cli, ["stories", "edit", "1"]).exit_code == 0
    listed = json.loads(runner.invoke(cli, ["stories", "list", "--json"]).output)
    assert [s["title"] for s in listed] == ["The mislabelled pallets"]

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("click.edit", lambda text, extension=None: "---\nnot: [valid\n---\n")
    broken = runner.invoke(cli, ["stories", "edit", "1"])
    assert broken.exit_code == 2 and "story-1-edit.md" in broken.output
    assert (tmp_path / "story-1-edit.md").exists()
    assert json.loads(runner.invoke(cli, ["stories", "show", "1", "--json"]).output)["title"] == (
        "The mislabelled pallets"
    )

    other = tmp_path / "we.yaml"
    other.write_text(WE_STORY, encoding="utf-8")
    assert runner.invoke(cli, ["stories", "edit", "1", "--file", str(other)]).exit_code == 0
    matched = json.loads(
        runner.invoke(
            cli,
            ["stories", "match", "-q", "Tell me about a time you worked with a client.", "--json"],
        ).output
    )
    assert matched[0]["story"] == 1 and matched[0]["reason"]
    covered = runner.invoke(cli, ["stories", "coverage"])
    assert "COMPETENCY" in covered.output and "Ready for" in covered.output
    assert "* found by the analysis" in covered.output
    assert runner.invoke(cli, ["stories", "rm", "1", "--yes"]).exit_code == 0
    missing = runner.invoke(cli, ["stories", "show", "1"])
    assert missing.exit_code == 3 and "No story with id 1" in missing.output


def test_paragraphs_survive_the_file_format() -> None:
    story = Story(title="T", situation="First paragraph.\nSecond paragraph.", action="Did it.")
    assert read_story(write_story(story)) == story


FRENCH = """title: Le lancement
situation: Nous avons lancé le nouveau produit au printemps et les ventes ont augmenté de vingt
  pour cent dans la région, grâce à une équipe très motivée et bien organisée.
"""


def test_a_story_the_coach_cannot_read_is_saved_with_a_warning(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "fr.yaml"
    path.write_text(FRENCH, encoding="utf-8")
    added = runner.invoke(cli, ["stories", "add", str(path)])
    assert added.exit_code == 0
    assert "Warning: story #1 is saved" in added.stderr and "English" in added.stderr
    shown = runner.invoke(cli, ["stories", "show", "1", "--json"])
    assert json.loads(shown.stdout)["analysis"]["error"].startswith("Not analyzed: ")
    assert "Not analyzed" in runner.invoke(cli, ["stories", "show", "1"]).stdout


def test_stories_commands_refuse_bad_input_without_a_traceback(
    runner: CliRunner, tmp_path: Path
) -> None:
    (tmp_path / "empty.md").write_text("", encoding="utf-8")
    (tmp_path / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    (tmp_path / "bad.md").write_text("---\ntitle: T\nrole: [a\n---\n## Action\nx\n", "utf-8")
    (tmp_path / "long.yaml").write_text("title: T\naction: " + "word " * 5_000, "utf-8")
    (tmp_path / "huge.md").write_text("title: T\naction: " + "word " * 1_000_000, "utf-8")
    (tmp_path / "folder").mkdir()
    cases = [
        (["add", str(tmp_path / "missing.md")], 2, "Cannot read"),
        (["add", str(tmp_path / "folder")], 2, "Cannot read"),
        (["add", str(tmp_path / "empty.md")], 2, "empty.md: the file is empty"),
        (["add", str(tmp_path / "binary.md")], 2, "not UTF-8 text"),
        (["add", str(tmp_path / "bad.md")], 2, "bad.md, line 4, column 1: not valid YAML"),
        (["add", str(tmp_path / "long.yaml")], 2, "field 'action' is 24,999 characters"),
        (["add", str(tmp_path / "huge.md")], 2, "huge.md: larger than 94 KB"),
        (["show", "7"], 3, "No story with id 7"),
        (["show", str(2**63)], 3, f"No story with id {2**63}"),
        (["rm", "7", "--yes"], 3, "No story with id 7"),
        (["edit", "7", "--file", str(tmp_path / "bad.md")], 3, "No story with id 7"),
        (["match", "-q", " "], 1, "Give the question"),
    ]
    for args, code, message in cases:
        result = runner.invoke(cli, ["stories", *args])
        assert result.exit_code == code, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert result.exception is None or isinstance(result.exception, SystemExit)
    piped = runner.invoke(cli, ["stories", "add", "-"], input=b"title: T\n\xff\xfe")
    assert piped.exit_code == 2 and "<stdin>, line 2: not UTF-8 text" in piped.stderr
    assert runner.invoke(cli, ["stories", "list", "--json"]).stdout.strip() == "[]"


def test_an_edit_refused_on_save_is_kept(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "story.md"
    path.write_text(STORY, encoding="utf-8")
    assert runner.invoke(cli, ["stories", "add", str(path)]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    too_long = STORY.replace("## Learning", "## Learning\n" + "word " * 5_000)
    monkeypatch.setattr("click.edit", lambda text, extension=None: too_long)
    refused = runner.invoke(cli, ["stories", "edit", "1"])
    assert refused.exit_code == 2 and "limit is 20,000" in refused.stderr
    assert (tmp_path / "story-1-edit.md").read_text(encoding="utf-8") == too_long
    again = too_long.replace("The pallet errors", "The pallets, again")
    monkeypatch.setattr("click.edit", lambda text, extension=None: again)
    assert runner.invoke(cli, ["stories", "edit", "1"]).exit_code == 2
    assert (tmp_path / "story-1-edit.md").read_text(encoding="utf-8") == too_long
    assert (tmp_path / "story-1-edit-2.md").read_text(encoding="utf-8") == again
