"""Each red flag fires on the answer that earns it, and none fires on a clean answer."""

from __future__ import annotations

import pytest

from starcoach.analysis import analyze_answer
from starcoach.guides.library import Library

SITUATION = (
    "Last spring I was the night shift lead at a regional grocery warehouse with 40 pickers. "
    "Our biggest customer, a chain of 60 stores, had started rejecting pallets because 6 percent "
    "of cases were picked to the wrong store. "
)
TASK = "My job was to get the error rate under 1 percent before their contract review in June. "
ACTIONS = [
    "I pulled two weeks of rejection reports and matched each error to its aisle and picker.",
    "I found that 70 percent of the errors came from two aisles where the slot labels looked "
    "almost identical.",
    "I asked maintenance to reprint those labels in two colours and I moved the fastest-selling "
    "items to eye level.",
    "I also paired each new picker with a veteran for their first three shifts.",
]
RESULT = (
    "Within six weeks the error rate fell from 6 percent to 0.8 percent, and the customer "
    "renewed the contract for two more years. "
)
LEARNING = (
    "Since then I start every quality problem by mapping where the errors happen before I "
    "change anything, and I still run a monthly label check on every aisle."
)


BLAME_ACTIONS = [
    "The day shift kept dropping the ball, and my manager never told me the labels had changed.",
    "Honestly it was not my fault: maintenance took forever to reprint anything.",
    *ACTIONS[2:],
]
WE_ACTIONS = [
    "We pulled two weeks of rejection reports and matched each error to its aisle.",
    "We found that most errors came from two aisles with near-identical labels.",
    "We asked maintenance to reprint the labels in two colours.",
    "We moved the fastest-selling items to eye level and our veterans paired with new pickers.",
]
WOULD_ACTIONS = [
    "In a situation like that I would pull the rejection reports first.",
    "I'd probably look for patterns by aisle and by picker.",
    "I would usually ask maintenance to fix the labels.",
    "What I always do is pair new people with veterans.",
]
BACKGROUND = (
    "The warehouse was built in the 1970s and had been extended twice, once in 1988 and once in "
    "2004, which is why the aisles were numbered in such a confusing way. The night shift had its "
    "own culture, with a lot of people who had been there for more than ten years and a few "
    "students who came and went every semester. The building had three docks on the north side "
    "and five on the south side, and trucks often queued on the access road in the evening. Our "
    "site manager had come from a clothing retailer and was still learning how grocery worked. "
)
GENERIC = (
    "I'm a very hard-working person and I always communicate clearly with everyone. At my last "
    "job there were some problems with quality and things like that. I usually try to look at the "
    "big picture and work with the team to make things better. I think it's important to stay "
    "positive and be a team player. In general I make sure everyone is on the same page, and "
    "overall it worked out and things got better. Everyone was happy with the result and I got "
    "good feedback from my manager. I learned that communication is really important and I "
    "always keep that in mind now in everything I do, whatever the situation is and whoever I "
    "work with."
)


def answer(
    situation: str = SITUATION,
    task: str = TASK,
    actions: list[str] | None = None,
    result: str = RESULT,
    learning: str = LEARNING,
) -> str:
    return situation + task + " ".join(actions or ACTIONS) + " " + result + learning


def flags_of(text: str, library: Library, guide: str = "first-job-mistake") -> list[str]:
    return analyze_answer(text, guide=library.get(guide)).flag_ids


def test_clean_answer_raises_no_flag(library: Library) -> None:
    assert flags_of(answer(), library) == []


@pytest.mark.parametrize(
    ("flag", "text"),
    [
        ("blame_shifting", answer(actions=BLAME_ACTIONS)),
        ("we_overuse", answer(actions=WE_ACTIONS)),
        ("no_quantified_result", answer(result="The error rate came down a lot and the customer "
                                               "was much happier with us. ")),
        ("missing_learning", answer(learning="")),
        ("hypothetical", answer(actions=WOULD_ACTIONS)),
        ("too_short", "I fixed a picking problem at a warehouse. The customer was happy."),
        ("too_long", answer(situation=SITUATION * 4, actions=ACTIONS * 9, learning=LEARNING * 3)),
        ("rambling_situation", answer(situation=SITUATION + BACKGROUND * 2)),
        ("vague", GENERIC),
    ],
)  # fmt: skip
def test_flag_fires(flag: str, text: str, library: Library) -> None:
    assert flag in flags_of(text, library)


def test_humble_brag_failure(library: Library) -> None:
    text = answer(
        actions=[
            "My biggest mistake was that I cared too much about getting it perfect.",
            "I worked every weekend for two months because I held everyone to a higher standard "
            "than the job needed.",
            *ACTIONS[2:],
        ]
    )
    assert "not_a_real_failure" in flags_of(text, library, "first-job-mistake")


def test_flag_evidence_quotes_the_answer(library: Library) -> None:
    text = answer(
        actions=[
            "We pulled the reports.",
            "We found the two aisles.",
            "We reprinted the labels.",
            "We paired new pickers with veterans.",
        ]
    )
    result = analyze_answer(text, guide=library.get("first-job-mistake"))
    flag = next(f for f in result.flags if f.id == "we_overuse")
    assert flag.evidence and all(e.quote in text for e in flag.evidence)
    assert "say 'we' and never 'I'" in flag.message
