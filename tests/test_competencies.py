"""Recognising the competencies a posting or a question asks for (analysis/competencies.py).

The texts here were written for these tests, after the phrase data, and share no sentence with it.
"""

from __future__ import annotations

from starcoach.analysis.competencies import (
    CompetencyMatch,
    competency_names,
    recognise,
    sentences,
)
from starcoach.analysis.embedding import use_embeddings
from starcoach.guides.library import Library

POSTING = """Warehouse shift supervisor

- Lead a crew of twelve pickers and packers on the night shift
- Keep the loading dock safe: spot hazards and report every near miss
- Hit the nightly dispatch targets and explain any shortfall to the day manager
We offer a competitive salary, a pension and free parking.
To apply, send your CV to the address below.
"""


def names(matches: list[CompetencyMatch]) -> list[str]:
    return [m.name for m in matches]


def test_the_data_names_exactly_the_library_vocabulary(library: Library) -> None:
    vocabulary = {c for guide in library.guides.values() for c in guide.competencies}
    assert sorted(competency_names()) == sorted(vocabulary)


def test_a_posting_gives_its_competencies_with_its_own_sentences_as_evidence() -> None:
    found = {m.name: m for m in recognise(POSTING)}
    assert {"Leadership", "Risk Management", "Results Orientation"} <= set(found)
    assert found["Leadership"].evidence == [
        "Warehouse shift supervisor",
        "Lead a crew of twelve pickers and packers on the night shift",
    ]
    assert found["Risk Management"].evidence[0].startswith("Keep the loading dock safe")
    every_sentence = set(sentences(POSTING))
    assert all(set(m.evidence) <= every_sentence for m in found.values())


def test_pay_benefits_and_how_to_apply_are_never_evidence() -> None:
    evidence = [line for m in recognise(POSTING, threshold=0.0) for line in m.evidence]
    assert not any("salary" in line or "send your CV" in line for line in evidence)


def test_meaning_finds_a_competency_the_text_never_names() -> None:
    question = "Tell me about a time a grieving relative shouted at you and how you stayed gentle."
    assert names(recognise(question, limit=1, threshold=0.0)) == ["Emotional Intelligence"]
    use_embeddings(False)
    try:
        assert recognise(question, threshold=0.0) == []
    finally:
        use_embeddings(True)


def test_a_question_names_its_main_competency_first() -> None:
    won_over = "Tell me about a time you won over a sceptical partner team."
    assert names(recognise(won_over, limit=1, threshold=0.0)) == ["Influence"]
    juggle = recognise("When did you have to juggle three urgent requests at once?", limit=1)
    assert names(juggle) == ["Prioritization"]
    assert juggle[0].score >= 0.5  # named by a phrase and close in meaning


def test_strongest_first_limit_and_determinism() -> None:
    first = recognise(POSTING)
    assert first == recognise(POSTING)
    scores = [m.score for m in first]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 < s <= 1.0 for s in scores)
    assert recognise(POSTING, limit=2) == first[:2]


def test_empty_and_boilerplate_only_texts_ask_for_nothing() -> None:
    assert recognise("") == []
    assert recognise("   \n\n") == []
    assert recognise("We offer a generous salary and health insurance.") == []


def test_sentences_split_bullets_and_punctuation() -> None:
    text = "Intro line. Second sentence!\n* bullet one\n2) bullet two; still two"
    assert sentences(text) == [
        "Intro line.",
        "Second sentence!",
        "bullet one",
        "bullet two; still two",
    ]
