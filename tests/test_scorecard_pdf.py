"""The mock interview's PDF scorecard, read back the way a person would: its text and its pages as
images (pypdfium2). Every section of the scorecard page is in it, every character prints as
typed, no glyph sits outside the margins. The page images are written to $STARCOACH_SCREENSHOTS
when it is set (a folder anyone can open), else to the test's temporary folder."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient

from starcoach.cli import cli
from starcoach.mock.report import markdown, pdf
from starcoach.mock.report_pdf import MARGIN
from starcoach.services import Services, open_services
from starcoach.speech.delivery import delivery
from starcoach.speech.model import SpokenAnswer, Transcript, Word
from starcoach.stories.model import Story

GUIDES = ("failed-product-launch", "first-job-mistake", "giving-hard-feedback")
SPECIAL = ("Ł", "€", "→", "“", "”")
LONG_WORD = "Unbroken" + "x" * 160
BLAMING = (
    "In Łódź the IT team dropped the ball on the login bugs, so honestly it was not my fault → "
    "we lost €40,000 and “nobody” cared."
)
FOLLOW_UP = "I owned the fix myself: I called the client in Kraków and cut costs by €3,000 → 1%."
POINTS = 72 / 25.4  # a millimetre in PDF points
SLACK = 0.5  # points: rounding in the glyph boxes pdfium reports


@dataclass
class Read:
    text: str  # the text above the footers, whitespace removed, so wrapped lines read as one
    footers: list[str]
    pages: int
    outside: list[str]  # glyphs found outside the margins, with where


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def read_pdf(data: bytes, folder: Path, name: str) -> Read:
    """The PDF's text and any glyph outside the margins; each page saved as a PNG."""
    document = pdfium.PdfDocument(data)
    text: list[str] = []
    footers: list[str] = []
    outside: list[str] = []
    try:
        for number, page in enumerate(document, start=1):
            width, height = page.get_size()
            left, right = MARGIN * POINTS - SLACK, width - MARGIN * POINTS + SLACK
            chars = page.get_textpage()
            footer: list[str] = []
            for index in range(chars.count_chars()):
                char = chars.get_text_range(index, 1)
                if not char.strip():
                    continue
                x0, y0, x1, y1 = chars.get_charbox(index)
                if x0 < left or x1 > right or y0 < 0 or y1 > height:
                    outside.append(f"{char!r} on page {number} at {x0:.0f}..{x1:.0f}")
                (footer if y1 < MARGIN * POINTS else text).append(char)
            footers.append("".join(footer))
            image = page.render(scale=2).to_pil()
            image.save(folder / f"scorecard-pdf-{name}-page-{number}.png")
            chars.close()
            page.close()
        return Read("".join(text), footers, len(document), outside)
    finally:
        document.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("STARCOACH_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    opened = open_services(database_url)
    yield opened
    opened.close()


def spoken(text: str) -> dict[str, object]:
    """A spoken answer as storage keeps it: one word a second, an 'um' and a 3 s pause."""
    said = ["um", *text.split()]
    words, start = [], 0.0
    for position, word in enumerate(said):
        start += 3.5 if position == 3 else 1.0
        words.append(Word(text=word, start=start, end=start + 0.8, probability=0.9))
    transcript = Transcript(duration_seconds=start + 1, words=words, sentences=[], text=text)
    return SpokenAnswer(transcript=transcript, delivery=delivery(transcript, 150)).model_dump(
        mode="json"
    )


def finished_session(services: Services, story: bool = True) -> dict[str, Any]:
    """Three questions, the first answered with blame, odd characters and a very long word;
    a saved story with them in its title (unless `story` is False); the last follow-up spoken."""
    library = services.library
    first = library.get(GUIDES[0]).sample_answer
    if story:
        services.stories.add(Story(title="Łódź launch → €40k “rescue”", situation=first))
    view = services.mock.start(guides=GUIDES, seconds_per_answer=150)
    while not view["finished"]:
        prompt = view["prompt"]
        if prompt["kind"] == "question":
            answer = library.get(prompt["guide_id"]).sample_answer
            if prompt["number"] == 1:
                answer = f"{BLAMING} {LONG_WORD}.\n\n{answer}"
            view = services.mock.answer(view["id"], answer, seconds=125)
        elif prompt["number"] == 3 and prompt["followup"] == prompt["followups"]:
            view = services.mock.answer(
                view["id"], FOLLOW_UP, seconds=40, spoken=spoken(FOLLOW_UP), recording="a.webm"
            )
        else:
            view = services.mock.answer(view["id"], FOLLOW_UP, seconds=40)
    return view


def test_every_section_of_the_scorecard_is_in_the_pdf(services: Services, shots: Path) -> None:
    view = finished_session(services)
    report = view["report"]
    assert isinstance(report, dict)
    read = read_pdf(pdf(view), shots, "full")

    assert read.outside == []
    assert read.pages >= 3  # long answers: the page breaks were taken, nothing cut off
    assert read.footers == [
        squash(f"Mock interview {view['id']} · page {n} of {read.pages}")
        for n in range(1, read.pages + 1)
    ]
    expected = [
        f"Mock interview {view['id']}",
        "Recommendation: " + report["recommendation"].replace("_", " "),
        "Fix these first",
        "Scorecard by area",
        "Question by question",
        "Stories you used",
        "The conversation",
        *report["reasons"],
        *(fix["issue"].replace("_", " ") for fix in report["fixes"]),
        *(fix["advice"] for fix in report["fixes"]),
        *(fix["quote"] for fix in report["fixes"] if fix["quote"]),
        *(f"{area['area']}{area['mean']}/4{area['count']}" for area in report["areas"]),
        *(f"Question {s['question']}: {s['title']}" for s in report["stories_used"]),
        "2:05of2:30",  # the main answer's time against the budget
        "Spoken: ",  # the spoken follow-up's delivery
    ]
    for number, question in enumerate(view["questions"], start=1):
        expected += [f"Question {number}: {question['title']}", question["question"]]
        expected.append(f"Score {question['score']}/100")
        expected += [turn["prompt"] for turn in question["turns"]]
        expected += [turn["answer"] for turn in question["turns"]]
    missing = [text for text in expected if squash(text) not in read.text]
    assert missing == []

    assert len(report["fixes"]) == 3 and len(report["areas"]) >= 5
    assert report["fixes"][0]["quote"] == BLAMING[:-1] + "."  # the blame, quoted as said
    assert all(char in read.text for char in SPECIAL) and LONG_WORD in read.text
    assert "|" not in read.text and "**" not in read.text  # no Markdown printed raw
    assert "*Spoken: 0:" in markdown(view)  # the Markdown says how the spoken answer went
    for number in range(1, read.pages + 1):
        assert (shots / f"scorecard-pdf-full-page-{number}.png").stat().st_size > 10_000


def test_the_margins_of_every_page_image_are_blank(services: Services, shots: Path) -> None:
    """The same check on pixels: right of the text column, every page is white."""
    from PIL import Image

    read = read_pdf(pdf(finished_session(services)), shots, "margins")
    for number in range(1, read.pages + 1):
        image = Image.open(shots / f"scorecard-pdf-margins-page-{number}.png").convert("L")
        width, height = image.size
        edge = round(width * (1 - MARGIN / 210)) + 2
        assert image.crop((edge, 0, width, height)).getextrema() == (255, 255)
        assert image.crop((0, 0, edge, height)).getextrema()[0] < 100  # the page has text


def test_an_unfinished_session_prints_what_was_said(services: Services, shots: Path) -> None:
    view = services.mock.start(guides=GUIDES, seconds_per_answer=150)
    view = services.mock.answer(view["id"], f"{BLAMING} {LONG_WORD}.", seconds=30)
    read = read_pdf(pdf(view), shots, "unfinished")
    assert read.outside == []
    assert squash("In progress: the scorecard appears") in read.text
    assert squash(BLAMING) in read.text and "Fixthesefirst" not in read.text
    assert all(
        squash(f"Question {n}: {services.library.get(g).title}") in read.text
        for n, g in enumerate(GUIDES, start=1)
    )


def test_the_web_page_and_the_cli_give_the_same_scorecard(
    services: Services, database_url: str, client: FlaskClient, tmp_path: Path, shots: Path
) -> None:
    view = finished_session(services, story=False)
    direct = read_pdf(pdf(view), shots, "direct")
    assert squash("None of your saved stories was recognised.") in direct.text
    served = client.get(f"/mock/{view['id']}/report.pdf")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert "mock-interview-1.pdf" in served.headers["Content-Disposition"]
    assert read_pdf(served.data, shots, "web").text == direct.text

    target = tmp_path / "interview.pdf"
    command = ["mock", "report", str(view["id"]), "--format", "pdf", "-o", str(target)]
    made = CliRunner().invoke(cli, [*command, "--db", database_url])
    assert made.exit_code == 0, made.output
    assert read_pdf(target.read_bytes(), shots, "cli").text == direct.text
