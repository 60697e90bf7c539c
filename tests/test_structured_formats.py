"""JSON, YAML and Markdown: the documented keys, and clear errors naming the field or line."""

from __future__ import annotations

import json

import pytest

from starcoach.errors import GuideFormatError
from starcoach.guides.formats import read_guide, write_guide
from starcoach.guides.library import Library

JSON_KEYS = [
    "id",
    "category",
    "title",
    "question",
    "level",
    "competencies",
    "clarifying_questions",
    "assumptions",
    "signals",
    "cheat_code",
    "star",
]


def test_json_has_the_documented_keys(library: Library) -> None:
    data = json.loads(write_guide(library.get("failed-product-launch"), "json"))
    assert list(data)[: len(JSON_KEYS)] == JSON_KEYS
    assert set(data["star"]) == {"situation", "task", "action", "result", "learning"}
    point = data["star"]["situation"]["points"][0]
    assert set(point) == {"label", "text"} and point["label"] is None
    assert set(data["signals"][0]) == {"name", "description"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(signals="many"), "signals"),
        (lambda d: d["signals"][1].pop("name"), "signals[1].name"),
        (lambda d: d["star"]["action"]["points"][2].update(text=7), "star.action.points[2].text"),
        (lambda d: d["star"].update(epilogue={}), "star.epilogue"),
        (lambda d: d.update(competencies="Ownership"), "competencies"),
        (lambda d: d.pop("question"), "question"),
        (lambda d: d.update(colour="blue"), "colour"),
    ],
)
def test_json_errors_name_the_field(library: Library, change, field: str) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(write_guide(library.get("failed-product-launch"), "json"))
    change(data)
    with pytest.raises(GuideFormatError) as caught:
        read_guide(json.dumps(data), "guide.json")
    assert f"field '{field}'" in str(caught.value)
    assert str(caught.value).startswith("guide.json:")


def test_invalid_json_and_yaml_name_the_line() -> None:
    with pytest.raises(GuideFormatError, match=r"g\.json, line 3: invalid JSON"):
        read_guide('{\n"title": "x",\n"question" "y"}', "g.json")
    with pytest.raises(GuideFormatError, match=r"g\.yaml, line 2: invalid YAML"):
        read_guide("title: x\n  question: : [\n", "g.yaml")


def test_markdown_escapes_text_that_looks_like_syntax(library: Library) -> None:
    guide = library.get("first-job-mistake")
    tricky = guide.with_changes(
        assumptions="# not a heading\n- not a bullet\n**Bold:** not a label",
        clarifying_questions=("- dash first?", "\\ backslash?"),
    )
    text = write_guide(tricky, "markdown")
    assert "\n\\# not a heading\n" in text
    assert read_guide(text, "t.md") == tricky


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        ("### Signals", "### Signalz", "### Signalz", "unexpected heading 'Signalz'"),
        ("---\n", "", "id:", "front matter"),
        ("source: starcoach", "sauce: starcoach", "sauce:", "unknown front matter key 'sauce'"),
        ("- **Speed of Disclosure:**", "- Speed of Disclosure", "- Speed of", "'- **Name:**"),
    ],
)
def test_markdown_errors_name_the_line(
    library: Library, old: str, new: str, marker: str, message: str
) -> None:
    text = write_guide(library.get("first-job-mistake"), "markdown").replace(old, new, 1)
    with pytest.raises(GuideFormatError) as caught:
        read_guide(text, "g.md", "markdown")
    assert caught.value.line == text[: text.index(marker)].count("\n") + 1

    assert message in str(caught.value)


def test_markdown_reads_wrapped_bullets_and_crlf(library: Library) -> None:
    guide = library.get("first-job-mistake")
    text = write_guide(guide, "markdown")
    first = guide.star["situation"].points[0].text
    wrapped = first.replace(" audit associate", "\n  audit associate", 1)
    edited = text.replace(first, wrapped).replace("\n", "\r\n")
    assert read_guide(edited, "g.md") == guide
