"""The lexicon is data: every phrase set and family matches its own examples and no others."""

from __future__ import annotations

import pytest

from starcoach.analysis.lexicon import FAMILIES, PHRASES, Family, PhraseSet


@pytest.mark.parametrize("phrases", list(PHRASES.values()), ids=list(PHRASES))
def test_phrase_set_matches_its_examples(phrases: PhraseSet) -> None:
    assert phrases.examples["match"], f"{phrases.name} has no examples"
    missed = [text for text in phrases.examples["match"] if not phrases.search(text)]
    wrong = [text for text in phrases.examples["no_match"] if phrases.search(text)]
    assert missed == [] and wrong == []


@pytest.mark.parametrize("family", FAMILIES, ids=[f.id for f in FAMILIES])
def test_family_cues_match_their_examples(family: Family) -> None:
    assert family.examples["match"] and family.probe.endswith("?")
    assert [t for t in family.examples["match"] if not family.cues.search(t)] == []
    assert [t for t in family.examples["no_match"] if family.cues.search(t)] == []


def test_owning_is_not_set_off_by_reported_speech_or_a_boast() -> None:
    owning = PHRASES["owning"]
    assert owning.search("I should have asked sooner.")
    assert not owning.search("She said it was my fault.")
    assert not owning.search("The supply chain should have seen it coming.")
    assert PHRASES["blame"].search("The supply chain should have seen it coming.")


def test_transcripts_without_apostrophes_match_but_words_that_start_alike_do_not() -> None:
    assert PHRASES["excuse"].search("which wasnt really anyones fault on my side")
    assert PHRASES["hypothetical"].search("id probably call the client first")
    assert PHRASES["hypothetical"].search("I’d call the client first")
    assert not PHRASES["hypothetical"].search("two aisles with near-identical labels")
