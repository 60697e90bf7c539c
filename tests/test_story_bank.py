"""What the bank reads in a story: numbers in its words, competencies the analysis found, and a
question matched against the story's own text."""

from __future__ import annotations

from starcoach.guides.library import Library
from starcoach.stories import Story
from starcoach.stories.insight import analyze_story, coverage, match_stories

CLASH = Story(
    title="Spring 2023",
    situation="Two senior engineers on my team disagreed sharply about whether to rewrite the "
    "billing service, and the argument had stalled the sprint.",
    action="I sat down with each of them separately to hear what worried them, then ran a "
    "one-hour session where we listed the risks side by side. I proposed a two-week spike to "
    "test the riskiest part.",
    result="They agreed on the spike, the rewrite shipped a month later, and both told me the "
    "meeting cleared the air.",
    learning="I now bring people who clash into one room early, with the facts on the table.",
)
PALLETS = Story(
    title="Spring 2022",
    situation="Our warehouse shipped pallets to the wrong stores.",
    action="I pulled two weeks of rejection reports and had the aisle labels reprinted in two "
    "colours.",
    result="Errors fell from 6 percent to 0.8 percent in six weeks.",
    learning="I map where errors happen before I change anything.",
)


def test_numbers_in_the_text_count(library: Library) -> None:
    story = Story(
        title="Churn",
        situation="Customers were leaving our app within a month of signing up.",
        action="I interviewed ten of them and rebuilt the onboarding checklist myself.",
        result="Churn fell 70% in the next quarter.",
        learning="I now talk to users before I change a flow.",
    )
    analysis = analyze_story(story, library.competencies())
    assert "70%" in analysis["numbers_in_text"]
    assert "no_numbers" not in {gap["id"] for gap in analysis["gaps"]}
    bare = story.with_changes(result="Churn went down a lot in the next quarter.")
    gaps = {gap["id"] for gap in analyze_story(bare, library.competencies())["gaps"]}
    assert "no_numbers" in gaps


def test_coverage_counts_suggested_competencies_and_says_so(library: Library) -> None:
    analysis = analyze_story(CLASH, library.competencies())
    found = analysis["suggested_competencies"][0]
    story = CLASH.with_changes(id=1, analysis=analysis)
    assert found not in story.competencies
    rows = {
        r["competency"]: r for r in coverage([story], library.competencies(), [])["competencies"]
    }
    assert rows[found]["status"] == "strong"
    assert rows[found]["best_story"] == 1 and rows[found]["best_source"] == "suggested"
    assert rows[found]["suggested"] == [1] and rows[found]["declared"] == []
    tagged = story.with_changes(competencies=(found,))
    rows = {
        r["competency"]: r for r in coverage([tagged], library.competencies(), [])["competencies"]
    }
    assert rows[found]["best_source"] == "declared" and rows[found]["declared"] == [1]


def test_matching_reads_the_story_text(library: Library) -> None:
    """Neither title nor tags say anything; unanalyzed, only the text can tell them apart. The
    story that fits is saved second, so a tie would put it last."""
    bank = [PALLETS.with_changes(id=1), CLASH.with_changes(id=2)]
    for question in (
        "Tell me about a time you had a disagreement with a coworker.",
        # A paraphrase sharing no content word with the story.
        "When did two colleagues not see eye to eye, and how did you help?",
    ):
        ranked = match_stories(question, bank, list(library))
        assert [r["story"] for r in ranked] == [2, 1], question
        assert ranked[0]["closeness"] > ranked[1]["closeness"] + 0.1
    ranked = match_stories("Give an example of when you reduced errors.", bank, list(library))
    assert [r["story"] for r in ranked] == [1, 2]
    assert "close to the question" in ranked[0]["reason"]
