"""The story file format: anything a story holds comes back exactly; bad files name the line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from starcoach.analysis.engine import MAX_CHARACTERS
from starcoach.stories import Story, StoryError
from starcoach.stories.files import MAX_FILE_BYTES, read_story, read_story_file, write_story
from starcoach.stories.model import MAX_STORY_CHARACTERS

# Pieces that break a hand-rolled front matter or Markdown reader, mixed with any printable text.
TRICKY = st.sampled_from(
    ["---", "--- ", ":", ": ", "'", '"', "#", "## Task", "\\", "\n", "\n\n", "  ", "- ", "[", "{",
     "&a", "*a", "!x", "%", "@", "`", "|", ">", "~", "null", "yes", "2024-03-15", "0x1F", "é",
     "ß", "日本", "😀", "\u2028", "\xa0", "\t"]
)  # fmt: skip
ANY = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=6)
TEXT = st.lists(st.one_of(TRICKY, ANY), max_size=10).map("".join)


@st.composite
def stories(draw: st.DrawFn) -> Story:
    parts = {name: draw(TEXT) for name in ("situation", "task", "action", "result", "learning")}
    try:
        return Story(
            title=draw(TEXT),
            role=draw(TEXT),
            date=draw(TEXT),
            numbers=tuple(draw(st.lists(TEXT, max_size=3))),
            competencies=tuple(draw(st.lists(TEXT, max_size=3))),
            **parts,
        ).check()
    except StoryError:
        assume(False)
        raise


@settings(max_examples=300, deadline=None)
@given(stories())
def test_any_story_round_trips_through_its_file(story: Story) -> None:
    assert read_story(write_story(story), "s.md") == story
    assert read_story(json.dumps(story.to_dict()), "s.json") == story


def test_a_title_with_dashes_and_a_heading_like_paragraph_read_back() -> None:
    story = Story(
        title="Q3 --- the launch: 'v2'",
        situation="## Task\n---\n#1 priority",
        result="\\o/ done",
    )
    text = write_story(story)
    assert read_story(text) == story
    assert "\n---\n" in text.split("## Situation")[1]  # the dashes stayed a paragraph


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("2024-03-15", "2024-03-15"),
        ("2024-03-15 10:30:00", "2024-03-15 10:30:00"),
        ("2024-03", "2024-03"),
        ("March 2024", "March 2024"),
        ("'2024-03-15'", "2024-03-15"),
        ("2024", "2024"),
    ],
)
def test_dates_as_written_are_kept_as_text(written: str, stored: str) -> None:
    markdown = f"---\ntitle: T\ndate: {written}\n---\n## Situation\nIt was busy.\n"
    story = read_story(markdown)
    assert story.date == stored
    assert read_story(f"title: T\ndate: {written}\nsituation: S\n").date == stored
    assert read_story(write_story(story)).date == stored


def test_a_date_in_a_list_is_text_too() -> None:
    story = read_story("title: T\nsituation: S\nnumbers: [2024-03-15, 12, 4.5]\n")
    assert story.numbers == ("2024-03-15", "12", "4.5")


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("---\ntitle: T\nrole: [a\n---\n## Situation\nx\n", "s.md, line 4, column 1", "','"),
        ("\n\n---\ntitle: T\nrole: [a\n---\n## Situation\nx\n", "s.md, line 6", "flow sequence"),
        ("title: T\n  role: : x\nsituation: S\n", "s.md, line 2, column 7", "mapping values"),
        ('{"title": "T",\n "role" 2}', "s.md, line 2, column 9", "Expecting ':'"),
        ("---\ntitle: T\n## Situation\nx\n", "s.md, line 1", "never closed"),
        ("---\ntitle: T\n---\n## Situation\nx\n\n## Backstory\ny\n", "s.md, line 7", "Backstory"),
        ("---\ntitle: T\n---\nstray\n## Situation\nx\n", "s.md, line 4", "before the first"),
        ("---\ntitle: T\n---\n## Action\nx\n## Action\ny\n", "s.md, line 6", "a second action"),
        ("---\n- a\n- b\n---\n## Situation\nx\n", "s.md, line 2", "'key: value'"),
    ],
)
def test_format_errors_name_the_line(text: str, where: str, what: str) -> None:
    with pytest.raises(StoryError) as caught:
        read_story(text, "s.md")
    message = str(caught.value)
    assert message.startswith(where + ":") or message.startswith(where + ","), message
    assert what in message


def test_story_limits_match_the_engine_and_name_the_field() -> None:
    assert MAX_STORY_CHARACTERS == MAX_CHARACTERS
    long_part = "w" * (MAX_STORY_CHARACTERS + 1)
    with pytest.raises(StoryError, match=r"s.md: field 'action' is 20,001 characters; the limit"):
        read_story(f"title: T\naction: {long_part}\n", "s.md")
    half = "w" * (MAX_STORY_CHARACTERS // 2 + 1)
    with pytest.raises(StoryError, match="parts are 20,002 characters together"):
        read_story(f"title: T\naction: {half}\nresult: {half}\n")
    with pytest.raises(StoryError, match="field 'title' is 201 characters; the limit is 200"):
        read_story(f"title: {'t' * 201}\naction: S\n")
    with pytest.raises(StoryError, match="field 'numbers': 31 entries; the limit is 30"):
        read_story("title: T\naction: S\nnumbers: [" + ", ".join(["1"] * 31) + "]\n")
    with pytest.raises(StoryError, match="field 'role': contains U\\+0000"):
        read_story('{"title": "T", "role": "a\\u0000b", "action": "S"}')


def test_files_too_large_or_not_text_are_refused_before_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_bytes(b"title: T\naction: " + b"x" * (MAX_FILE_BYTES + 10))
    with pytest.raises(StoryError, match=r"big.md: larger than \d+ KB"):
        read_story_file(big)
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"title: T\n\xff\xfe\x00")
    with pytest.raises(StoryError, match=r"bin.md, line 2: not UTF-8 text"):
        read_story_file(binary)


@pytest.mark.parametrize(
    "text",
    [
        '{"title": ' + "[" * 50_000 + "]" * 50_000 + "}",
        "title: " + "[" * 40_000 + "]" * 40_000,
        "---\ntitle: " + "{a: " * 20_000 + "1" + "}" * 20_000 + "\n---\n## Action\nx\n",
    ],
    ids=["json", "yaml", "front-matter"],
)
def test_deep_nesting_is_an_error_not_a_crash(text: str) -> None:
    """libyaml's C parser took the whole process down on these; json raised RecursionError."""
    with pytest.raises(StoryError, match=r"s\.md: nested too deeply"):
        read_story(text, "s.md")
