"""Segmentation and STAR components on typed and spoken answers, and input that is refused."""

from __future__ import annotations

import pytest

from starcoach.analysis import analyze_answer
from starcoach.analysis.components import classify
from starcoach.analysis.segment import is_spoken, segment
from starcoach.errors import AnswerError
from starcoach.guides.library import Library


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in segment(text)]


def test_typed_sentences_mind_abbreviations_decimals_and_money() -> None:
    text = (
        "Sales were $2.3M vs. the $4M plan at 9 a.m. on Monday. Dr. Lee agreed, i.e. we "
        "missed! Why? I took it to the U.S. team. We shipped 3.5 times more."
    )
    assert sentences(text) == [
        "Sales were $2.3M vs. the $4M plan at 9 a.m. on Monday.",
        "Dr. Lee agreed, i.e. we missed!",
        "Why?",
        "I took it to the U.S. team.",
        "We shipped 3.5 times more.",
    ]


def test_bullets_lines_and_unicode_punctuation() -> None:
    text = (
        "Context:\n- I ran the night shift \u2014 40 people.\n• I\u2019d never led a "
        "recall before\u2026\n1. I called the buyer.\n\n\u201cWe\u2019re late,\u201d I said."
    )
    assert sentences(text) == [
        "Context:",
        "I ran the night shift \u2014 40 people.",
        "I\u2019d never led a recall before\u2026",
        "I called the buyer.",
        "\u201cWe\u2019re late,\u201d I said.",
    ]


SPOKEN = (
    "um so last year i was running the front desk at a hotel and we had a group of forty "
    "guests arrive early and their rooms werent ready so i talked to housekeeping and we "
    "agreed to clean their floor first and then i gave the guests a voucher for the cafe and "
    "after that everything was ready in about an hour and looking back i should have checked "
    "the arrival list the night before so now i check it every evening"
)


def test_unpunctuated_speech_splits_into_sensible_sentences() -> None:
    assert is_spoken(SPOKEN)
    parts = sentences(SPOKEN)
    assert len(parts) >= 4
    assert all(3 <= len(p.split()) <= 30 for p in parts)
    assert " ".join(parts) == SPOKEN
    assert any(p.startswith("looking back") or p.startswith("and looking back") for p in parts)


def test_very_long_typed_sentence_is_split_at_a_comma() -> None:
    text = (
        "I spent the first week on the phone with every one of our twelve regional managers, "
        "asking each of them what the old process cost their teams in hours and in errors, "
        "and then I wrote all of it up in one page that compared the two options side by side "
        "so that the director could decide in a single meeting without another round."
    )
    parts = sentences(text)
    assert len(parts) >= 2 and all(len(p.split()) <= 60 for p in parts)


def test_components_follow_the_story() -> None:
    labels = classify(
        [
            "Two years ago I was a shift supervisor at a distribution centre with 80 staff.",
            "My goal was to cut late shipments before the holiday peak.",
            "I rebuilt the pick schedule and moved two people to the loading dock.",
            "Late shipments fell from 9 percent to 2 percent within a month.",
            "Since then I review the schedule every Monday before the shift starts.",
        ]
    )
    assert labels == ["situation", "task", "action", "result", "learning"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   \n\t  ", "empty"),
        ("I " * 10_001, "limit is 20,000"),
        (
            "En mi trabajo anterior lideré un equipo de ventas y cuando las cifras bajaron hablé "
            "con cada vendedor para entender qué pasaba con los clientes.",
            "English",
        ),
        ("我在上一份工作中负责一个项目，项目延期了两周，我和团队一起解决了问题。", "English"),
        ("12345 67890 !!! ???", "no words"),
    ],
)
def test_unusable_answers_get_a_clear_error(text: str, message: str, library: Library) -> None:
    with pytest.raises(AnswerError, match=message):
        analyze_answer(text, guide=library.get("first-job-mistake"))


def test_contractions_and_transcript_pronouns_are_counted(library: Library) -> None:
    result = analyze_answer(SPOKEN, guide=library.get("prioritizing-under-pressure"))
    assert result.metrics.i_count >= 4 and result.metrics.we_count >= 2
    assert result.metrics.filler_words >= 1
    assert "forty guests" in " ".join(result.metrics.metrics) or result.metrics.metrics


def test_other_sentences_are_recognised() -> None:
    labels = classify(
        [
            "That's a great question, let me think for a second.",
            "Two years ago I was a shift supervisor at a distribution centre with 80 staff.",
            "I rebuilt the pick schedule and moved two people to the loading dock.",
            "Late shipments fell from 9 percent to 2 percent within a month.",
            "So yeah, that's my story, does that answer your question?",
        ]
    )
    assert labels[0] == "other" and labels[-1] == "other"


def test_analysis_never_touches_the_network(
    monkeypatch: pytest.MonkeyPatch, library: Library
) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the analysis tried to open a network connection")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    result = analyze_answer(SPOKEN, guide=library.get("prioritizing-under-pressure"))
    assert result.sentences
