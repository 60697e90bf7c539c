"""The defects found when the engine was tried on answers we did not write (issue 8), each pinned
by a test that fails if it comes back. The answers here are written for these tests, in voices
and settings the corpus does not use."""

from __future__ import annotations

from starcoach.analysis import analyze_answer
from starcoach.analysis.components import classify
from starcoach.analysis.matching import MATCH_THRESHOLD, closest_guide, inferred_signals
from starcoach.analysis.registry import FLAGS
from starcoach.analysis.result import Breakdown
from starcoach.analysis.scoring import explain_change
from starcoach.analysis.segment import segment
from starcoach.analysis.text import metrics_in
from starcoach.guides.library import Library

STRONG = (
    "Last spring I was a shift lead at a parcel depot near Leeds, running the early shift of "
    "fourteen sorters. My peer Dana ran the late shift, and for about six weeks her team kept "
    "leaving the loading bay half finished, so my people started each morning clearing "
    "forty or fifty misrouted parcels before the first van could leave. My sorters were "
    "getting short with hers in the group chat, and I could see it turning into a feud. "
    "Rather than raise it in the Monday huddle, I asked Dana for thirty minutes one-on-one, "
    "away from the team, and told her what I had seen on three specific nights, with photos "
    "of the bay at six in the morning. I asked what her shift looked like from her side. She "
    "explained she was short two people every Friday and had been told not to ask for "
    "overtime. I offered to lend her one of my sorters on Fridays, and together we wrote a "
    "one-page handover checklist that we both signed. I then went to our supervisor with her, "
    "not about her, and asked for the Friday gap to be filled properly. Within a month "
    "unfinished handovers fell from eleven to two, the first van left on time every day that "
    "quarter, and the supervisor rolled the checklist out to the other three depots. What I "
    "took from it is that the friction I was seeing was a staffing problem wearing a people "
    "costume. Since then I raise friction privately first and ask what is going on before I "
    "propose anything, and I bring the other person with me when I go upwards."
)
BLAME = (
    "Last spring I was a shift lead at a parcel depot, and my peer on the other shift kept "
    "leaving the loading bay half finished. Honestly she started it. The whole mess was her "
    "fault and our manager should have caught it. The rota kept changing under us, and there "
    "isn't much I can do about that. In the end handovers were still late about eleven times a "
    "month, and I moved to days."
)
OWNS_IT = (
    "Last spring I was a shift lead at a parcel depot. My peer on the other shift left the "
    "loading bay unfinished eleven times in a month, and our manager had not noticed. But I had "
    "never told her what it cost my shift, and that was on me. I asked her for thirty minutes "
    "one-on-one, away from the team, and we agreed a handover checklist. Unfinished handovers "
    "fell from eleven to two within a month. Since then I raise friction early and privately."
)
WE_THROUGHOUT = (
    "Last spring our team ran the early shift at a parcel depot near Leeds, fourteen sorters. The "
    "late shift kept leaving the loading bay half finished, so each morning we cleared forty or "
    "fifty misrouted parcels before the first van could leave. People were getting short with "
    "each other in the group chat. We asked the late shift lead for thirty minutes away from the "
    "rest of the team and showed her photos of the bay at six in the morning. We asked what her "
    "shift looked like from her side. She explained she was short two people every Friday. We "
    "offered to lend her one sorter on Fridays, and we wrote a one-page handover checklist "
    "together. We then went to the supervisor with her and asked for the Friday gap to be filled. "
    "Within a month unfinished handovers fell from eleven to two, the first van left on time "
    "every day that quarter, and the checklist went to the other three depots. What we took from "
    "it is that the friction was a staffing problem. Since then we raise friction privately "
    "first and ask what is going on before proposing anything."
)
BOAST = (
    "My biggest failure was probably that I give every project everything I have. Last year I "
    "stayed until midnight most nights to get our launch out, and my manager had to tell me to "
    "go home. The launch went out on time and customers loved it. I learned that I need to let "
    "others carry some of the load too."
)


def _run(library: Library, answer: str, guide: str = "conflict-with-a-colleague"):  # type: ignore[no-untyped-def]
    return analyze_answer(answer, guide=library.get(guide), library=list(library))


def test_components_come_from_content_not_position() -> None:
    labels = classify(
        [
            "Revenue grew 40% that quarter, and here is how it happened.",
            "I would call the client first.",
        ]
    )
    assert labels == ["result", "other"]
    assert classify(["My peer owned the weekly report."]) != ["task"]
    spans = segment(STRONG)
    sentences = [STRONG[a:b] for a, b in spans]
    forward = classify(sentences)
    backward = classify(sentences[::-1])[::-1]
    agree = sum(a == b for a, b in zip(forward, backward, strict=True)) / len(forward)
    assert agree >= 0.75


def test_blame_in_ordinary_words_is_flagged_and_owning_is_not(library: Library) -> None:
    blamed = _run(library, BLAME)
    assert "blame_shifting" in blamed.flag_ids
    assert blamed.overall.rating in ("no_hire", "strong_no_hire")
    tagged = [s.text for s in blamed.sentences if "blame" in s.tags]
    assert any("she started it" in t for t in tagged)
    assert any("should have caught it" in t for t in tagged)
    owned = _run(library, OWNS_IT)
    assert "blame_shifting" not in owned.flag_ids
    assert owned.overall.score > blamed.overall.score + 25


def test_a_disguised_strength_is_not_a_failure(library: Library) -> None:
    result = _run(library, BOAST, guide="failed-product-launch")
    assert "not_a_real_failure" in result.flag_ids
    assert result.overall.rating in ("no_hire", "strong_no_hire")


def test_a_story_about_something_else_is_off_topic(library: Library) -> None:
    conflict = library.get("conflict-with-a-colleague").sample_answer
    own = analyze_answer(conflict, guide=library.get("conflict-with-a-colleague"),
                         library=list(library))  # fmt: skip
    assert own.relevance.on_topic and own.overall.rating in ("hire", "strong_hire")
    for other in ("leading-through-layoffs", "delivering-bad-news-to-the-board"):
        result = analyze_answer(conflict, guide=library.get(other), library=list(library))
        assert "off_topic" in result.flag_ids, other
        assert result.overall.score <= 37 and result.relevance.reason
        assert result.followups[0].startswith("That's a good story, but I asked about")
    launch = library.get("failed-product-launch").sample_answer
    asked = analyze_answer(launch, question="Tell me about a conflict with a colleague.",
                           library=list(library))  # fmt: skip
    assert "off_topic" in asked.flag_ids


def test_strong_answers_reach_strong_hire_and_the_scale_is_not_compressed(
    library: Library,
) -> None:
    strong = _run(library, STRONG)
    assert strong.overall.rating == "strong_hire", strong.breakdown
    no_learning = _run(library, STRONG.split(" What I took from it")[0])
    assert "missing_learning" in no_learning.flag_ids
    assert no_learning.overall.rating == "hire"
    assert strong.overall.score > no_learning.overall.score
    # The rubric: missing learning alone is a 4, "we" for your own actions a 3.
    we_story = _run(library, WE_THROUGHOUT)
    assert "we_overuse" in we_story.flag_ids
    assert no_learning.overall.score > we_story.overall.score


def test_the_score_is_explained_with_quotes_and_the_best_change(library: Library) -> None:
    result = _run(library, BLAME)
    items = {c.id: c for c in result.breakdown.contributions}
    assert items["blame_shifting"].cap == 2 and items["blame_shifting"].evidence is not None
    assert items["blame_shifting"].evidence.quote in BLAME
    assert result.breakdown.tier <= 2.45 and result.overall.rating in ("no_hire", "strong_no_hire")
    assert result.breakdown.best_change_tiers > 0 and result.breakdown.best_change
    strong = _run(library, STRONG)
    lines = explain_change(strong.breakdown, result.breakdown)
    assert any(line.startswith("New: Blame on others") for line in lines)
    assert lines[-1].startswith(f"Tier {strong.breakdown.tier:.1f}")
    assert Breakdown.model_validate(result.breakdown.model_dump()) == result.breakdown


def test_evidence_and_advice_speak_of_their_own_signal(library: Library) -> None:
    result = _run(library, STRONG)
    private = next(s for s in result.signals if s.name == "Private Before Public")
    assert private.score >= 3
    assert any("thirty minutes" in e.quote for e in private.evidence)
    for signal in result.signals:
        assert signal.name in signal.advice or signal.score >= 4
        if signal.score <= 1:
            assert signal.evidence == []
        for evidence in signal.evidence:
            assert evidence.quote in STRONG
    unrelated = analyze_answer(
        "I rebuilt the warehouse pick labels in two colours and errors fell from 6% to 1%. "
        "Since then I check the labels every month and I train new pickers on them.",
        guide=library.get("conflict-with-a-colleague"),
    )
    safety = next(s for s in unrelated.signals if s.name == "Patient Safety Anchor")
    assert safety.score <= 2


def test_questions_find_their_guide_in_other_words(library: Library) -> None:
    guides = list(library)
    for question, wanted in [
        ("Tell me about a conflict with a colleague", "conflict-with-a-colleague"),
        ("Tell me about a launch that failed.", "failed-product-launch"),
        ("Describe a time you mentored someone.", "mentoring-someone-to-success"),
    ]:
        match = closest_guide(question, guides)
        assert match is not None and match[0].id == wanted and match[1] >= MATCH_THRESHOLD
    names = [s.name for s in inferred_signals("Tell me about a time you were under pressure.")]
    assert "Integrity" not in names
    names = [s.name for s in inferred_signals("Tell me about your first week in a new team.")]
    assert "Innovation" not in names


def test_indexes_are_built_once_not_on_every_call(library: Library) -> None:
    from starcoach.analysis import matching
    from starcoach.guides import search

    guides = list(library)
    search.rank(guides, "conflict")
    matching.closest_guide("a conflict", guides)
    built = (search.build_index.cache_info().misses, matching._index.cache_info().misses)
    for _ in range(3):
        search.rank(guides, "a peer who disagreed")
        matching.closest_guide("a peer who disagreed", guides)
    assert (search.build_index.cache_info().misses, matching._index.cache_info().misses) == built


def test_small_defects_stay_fixed(library: Library) -> None:
    assert metrics_in("Churn fell 40%.") == ["40%"]
    assert metrics_in("I changed three things.") == []
    text = "The mistake was someone else's. Then I fixed it."
    assert [text[a:b] for a, b in segment(text)] == [
        "The mistake was someone else's.",
        "Then I fixed it.",
    ]
    lesson_numbers = (
        "Last year I ran the front desk at a 60-room hotel. A coach party of forty arrived "
        "early and their rooms were not ready. I asked housekeeping to clean their floor "
        "first and gave the guests vouchers for the cafe. Everything was ready soon after. "
        "Since then I check the arrival list at 8 p.m. and brief 2 people for early arrivals."
    )
    result = analyze_answer(lesson_numbers, guide=library.get("rescuing-an-unhappy-customer"))
    assert "no_quantified_result" in result.flag_ids
    assert "rambling_situation" not in result.flag_ids
    assert not any("differently" in q for q in result.followups)
    spoken = ("so um im the shift lead and ive got twelve people and i decided to split the "
              "rota so i rang each of them and i moved the late starts") * 2  # fmt: skip
    spoken_result = analyze_answer(spoken, guide=library.get("prioritizing-under-pressure"))
    assert spoken_result.metrics.i_count >= 4 and "we_overuse" not in spoken_result.flag_ids


def test_signals_map_to_the_family_they_mean(library: Library) -> None:
    """Generic words ("colleague", "clear") no longer pull a signal into the wrong family, so a
    weak signal is probed with a question about that signal."""
    from starcoach.analysis.signals import families_for

    guide = library.get("contributing-to-a-team-project")
    help_signal = next(s for s in guide.signals if s.name == "Asking for Help Well")
    assert "conflict" not in [f.id for f in families_for(help_signal.name, help_signal.description)]
    private = library.get("conflict-with-a-colleague").signals[0]
    assert families_for(private.name, private.description)[0].id == "conflict"


def test_a_not_yet_answer_is_told_the_first_thing_to_fix(library: Library) -> None:
    """ "I would..." talk: the lift is to tell a real story, not to add a number to it, and the
    relevance note says there is no story rather than that no question was asked."""
    answer = (
        "In general I think conflict is healthy when it is managed well. I always try to listen "
        "to both sides and find common ground. If I had a disagreement with a colleague I would "
        "probably take them for a coffee and talk it through calmly. I would make sure we both "
        "felt heard and then agree on a way forward. Communication is key in these situations."
    )
    result = _run(library, answer)
    assert result.breakdown.best_change in {
        FLAGS[f].fix for f in ("too_short", "hypothetical", "vague")
    }
    assert "no story" in result.relevance.reason and not result.relevance.judged
