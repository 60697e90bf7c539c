"""Hypothesis: for generated guides, converting A -> B -> A gives A back.

JSON, YAML and Markdown carry any text. The seed layout is line-oriented with keyword headers and
no escapes, so its property runs over prose made of ordinary words (see docs/guide-format.md).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from starcoach.guides.formats import read_guide, write_guide
from starcoach.guides.model import LEVELS, STAR_PARTS, Guide, Point, Signal, StarPart, clean_line

ANY_TEXT = (
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
    .map(clean_line)
    .filter(bool)
)
# Labels and signal names end in ':' in every format; ':**' would close a bold label early.
NAME_TEXT = ANY_TEXT.filter(lambda s: ":**" not in s and not s.endswith(":"))
PARAGRAPHS = st.lists(ANY_TEXT, min_size=0, max_size=3).map("\n".join)


def guides(
    text: st.SearchStrategy[str],
    name: st.SearchStrategy[str],
    paragraphs: st.SearchStrategy[str],
    title: st.SearchStrategy[str],
    category: st.SearchStrategy[str],
) -> st.SearchStrategy[Guide]:
    point = st.builds(Point, text, st.none() | name)
    part = st.tuples(name, st.lists(point, max_size=4))
    return st.builds(
        Guide,
        id=st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,3}", fullmatch=True),
        category=category,
        title=title,
        question=text,
        level=st.sampled_from(LEVELS),
        competencies=st.lists(text, max_size=4).map(tuple),
        clarifying_questions=st.lists(text, max_size=3).map(tuple),
        assumptions=paragraphs,
        signals=st.lists(st.builds(Signal, name, text), max_size=5).map(tuple),
        cheat_code=paragraphs,
        star=st.tuples(*[part] * len(STAR_PARTS)).map(
            lambda parts: {
                key: StarPart(f"{key.title()} – {heading}", tuple(points))
                for key, (heading, points) in zip(STAR_PARTS, parts, strict=True)
            }
        ),
        metadata=st.fixed_dictionaries(
            {},
            optional={
                "roles": st.lists(text, max_size=2),
                "tags": st.lists(text, max_size=2),
                "source": text,
            },
        ),
    )


@settings(max_examples=150, deadline=None)
@given(
    guide=guides(ANY_TEXT, NAME_TEXT, PARAGRAPHS, ANY_TEXT, ANY_TEXT),
    pair=st.sampled_from(
        [("json", "yaml"), ("yaml", "markdown"), ("markdown", "json"), ("markdown", "yaml")]
    ),
)
def test_structured_formats_round_trip(guide: Guide, pair: tuple[str, str]) -> None:
    first, second = pair
    through_a = read_guide(write_guide(guide, first), f"a.{first}")
    through_b = read_guide(write_guide(through_a, second), f"b.{second}")
    assert through_b == guide
    assert read_guide(write_guide(through_b, first), f"c.{first}") == guide


WORDS = st.sampled_from(
    "we shipped the plan late because I chose speed over review 40% of 12 orders "
    "budget client nurse store, then; (pilot) 'draft' \"quote\" cost $3M – café".split()
)
PROSE = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
TITLE_WORD = st.sampled_from("Owning Leading Rescuing Building Choosing Delivering".split())
SEED_TITLE = st.tuples(TITLE_WORD, PROSE).map(" ".join)
SEED_NAME = st.lists(
    st.sampled_from("Clear Honest Ownership Impact Pivot Shift".split()), min_size=1, max_size=3
).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    guide=guides(
        PROSE,
        SEED_NAME,
        st.lists(PROSE, max_size=3).map("\n".join),
        SEED_TITLE,
        st.sampled_from(["Behavioral", "Leadership", "Culture Fit"]),
    ),
    other=st.sampled_from(["json", "yaml", "markdown"]),
)
def test_seed_round_trips_every_field(guide: Guide, other: str) -> None:
    # The seed layout holds no id or metadata: the id comes back derived from the title.
    bare = guide.with_changes(metadata={})
    through_seed = read_guide(write_guide(bare, "seed"), "a.txt")
    assert through_seed.with_changes(id=guide.id) == bare
    through_other = read_guide(write_guide(through_seed, other), f"b.{other}")
    assert read_guide(write_guide(through_other, "seed"), "c.txt") == through_seed
