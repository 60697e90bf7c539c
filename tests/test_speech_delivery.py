"""Sentence boundaries and delivery figures from hand-made word timings (pure and fast)."""

from __future__ import annotations

import itertools

from starcoach.speech.delivery import delivery, pace
from starcoach.speech.model import Transcript, Word
from starcoach.speech.sentences import joined, sentences


def timed(script: str, gap: float = 0.05, word: float = 0.3) -> list[Word]:
    """Words from a script where '|N' inserts a silence of N seconds."""
    words, t = [], 0.0
    for token in script.split():
        if token.startswith("|"):
            t += float(token[1:])
            continue
        words.append(Word(text=token, start=round(t, 3), end=round(t + word, 3), probability=0.9))
        t += word + gap
    return words


def transcript(words: list[Word]) -> Transcript:
    found = sentences(words)
    return Transcript(
        duration_seconds=words[-1].end, words=words, sentences=found, text=joined(found)
    )


def test_pauses_end_sentences_and_punctuation_is_added() -> None:
    words = timed("I led the release at a retailer |1 it slipped by two weeks |1 so I split it")
    assert [s.text for s in sentences(words)] == [
        "I led the release at a retailer.",
        "It slipped by two weeks.",
        "So I split it.",
    ]


def test_the_recognisers_punctuation_is_kept_and_trusted() -> None:
    words = timed("We shipped late. Why? Nobody owned the tests, so I took them on.")
    assert [s.text for s in sentences(words)] == [
        "We shipped late.",
        "Why?",
        "Nobody owned the tests, so I took them on.",
    ]


def test_a_pause_after_a_word_that_cannot_end_a_sentence_is_not_a_boundary() -> None:
    words = timed("I spoke to the |1.5 head of finance and |1.2 we agreed a plan")
    assert [s.text for s in sentences(words)] == [
        "I spoke to the head of finance and we agreed a plan."
    ]


def test_a_short_pause_and_a_very_short_stretch_are_not_boundaries() -> None:
    words = timed("well yes |1 I think |0.4 the plan worked")
    assert [s.text for s in sentences(words)] == ["Well yes I think the plan worked."]


def test_a_long_run_without_pauses_is_cut_into_sentences() -> None:
    script = (
        "the warehouse kept losing orders every week and the customers were angry about it "
        "so I built a tracker for every order and after that we checked it each morning "
        "in the end we lost no orders for three months and the complaints stopped"
    )
    found = sentences(timed(script))
    assert len(found) >= 2
    assert " ".join(s.text.rstrip(".") for s in found).lower().split() == script.lower().split()


def test_a_long_sentence_the_recogniser_punctuated_is_kept_whole() -> None:
    script = (
        "When the warehouse kept losing orders every week, and the customers were angry about "
        "it, I built a tracker for every order, and after that we checked it each morning until "
        "the complaints stopped in the end."
    )
    assert [s.text for s in sentences(timed(script))] == [script]
    # Numbers hold punctuation too, but are not marks: this run is still cut.
    numbers = script.replace(",", "").replace("every week", "by 4.1% or $52,000 a week")
    assert len(sentences(timed(numbers.rstrip(".")))) >= 2


def test_sentence_times_come_from_their_words() -> None:
    words = timed("we were late |1 I fixed it")
    first, second = sentences(words)
    assert (first.start, first.end) == (words[0].start, words[2].end)
    assert (second.start, second.end) == (words[3].start, words[-1].end)


def test_fillers_are_left_out_of_the_judged_text_but_kept_in_the_words() -> None:
    words = timed("um so I uh rewrote the job queue |1 uh um |1 it ran twice as fast")
    result = transcript(words)
    assert result.text == "So I rewrote the job queue. It ran twice as fast."
    assert [w.text for w in result.words].count("um") == 2


def test_delivery_reports_budget_pace_pauses_and_fillers() -> None:
    words = timed("um I led the project |2.5 we shipped uh on time")
    result = delivery(transcript(words), budget_seconds=120)
    assert result.speaking_seconds == round(words[-1].end - words[0].start, 2)
    assert [(p.start, p.end) for p in result.pauses] == [(words[4].end, words[5].start)]
    assert result.pauses[0].seconds == 2.55  # the 2.5 s silence plus the usual 0.05 s gap
    assert [(f.text, f.start) for f in result.fillers] == [("um", 0.0), ("uh", words[7].start)]
    # 8 words that are not fillers over the speaking time.
    assert result.words_per_minute == round(8 * 60 / result.speaking_seconds, 1)
    assert result.notes[0] == "You spoke for 0:06 of a 2:00 budget."
    assert any("1 pause longer than 2 seconds" in note for note in result.notes)
    assert any("2 filler sounds (um, uh)" in note for note in result.notes)


def test_a_pause_of_exactly_two_seconds_is_not_reported() -> None:
    words = timed("we shipped |2 on time", gap=0.0)
    assert delivery(transcript(words)).pauses == []


def test_going_over_the_budget_is_stated_plainly() -> None:
    words = timed(" ".join(["word"] * 40), gap=0.5)
    result = delivery(transcript(words), budget_seconds=20)
    assert result.notes[:2] == [
        "You spoke for 0:32 of a 0:20 budget.",
        "That is 0:12 over the budget.",
    ]


def test_pace_windows_cover_the_answer_and_follow_a_slowdown() -> None:
    fast = " ".join(["quick"] * 60)  # 60 words in 15 s: 240 wpm
    slow = " ".join(["slow |0.7"] * 15)  # 15 words over ~15 s: about 60 wpm
    words = timed(f"{fast} {slow}", gap=0.0, word=0.25)
    points = pace(words)
    assert points[0].start == words[0].start and points[-1].end == words[-1].end
    assert all(a.end == b.start for a, b in itertools.pairwise(points))
    assert points[0].words_per_minute > 200 > 80 > points[-1].words_per_minute
    assert sum(round(p.words_per_minute * (p.end - p.start) / 60) for p in points) == 75


def test_no_words_gives_an_empty_delivery() -> None:
    empty = Transcript(duration_seconds=3.0, words=[], sentences=[], text="")
    result = delivery(empty, budget_seconds=60)
    assert (result.speaking_seconds, result.words_per_minute, result.pace) == (0.0, 0.0, [])


def test_fillers_never_change_the_judgment() -> None:
    """The engine reads 'um' as a sentence cue, so left in the text it moves the score; the
    speech layer leaves fillers out of what is judged."""
    from starcoach.api import analyze

    story = (
        "last spring our support team had a backlog of four hundred tickets |1 "
        "my manager asked me to clear it before the holiday rush |1 "
        "I sorted the tickets by cause and wrote three help articles |1 "
        "within six weeks the backlog fell to ninety tickets |1 "
        "I learned to fix the cause before the symptoms"
    )
    hesitant = story.replace("|1 ", "|1 um ").replace("tickets", "uh tickets")
    clean, with_fillers = transcript(timed(story)), transcript(timed(hesitant))
    assert len(with_fillers.words) > len(clean.words)
    assert with_fillers.text == clean.text
    guide = "failed-product-launch"
    assert (
        analyze(with_fillers.text, guide=guide).to_dict()
        == analyze(clean.text, guide=guide).to_dict()
    )
