"""The feedback page reads like a coach: the next step first, the rating in plain words, each
point once, flag titles instead of ids, the user's paragraphs kept with a named part per run, and
a time taken only when the timer measured writing."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient

from conftest import form_token
from starcoach.analysis.registry import FLAGS
from starcoach.web.feedback_view import next_steps, time_taken
from starcoach.web.progress import COMPONENT_LABELS

GUIDE = "failed-product-launch"
# 44 words of generalities: too short, vague, no number and no learning.
THIN = (
    "I would usually talk to the team when a launch goes badly.\n\n"
    "We would look at the numbers together and we would fix whatever the problem was. "
    "I think it went fine in the end and everyone was happy with how we handled it."
)
PARAGRAPHS = (
    "Last spring our team launched a snack line that missed its sales target.\n\n"
    "I was the brand manager, so I owned the plan. I had not tested the price.\n\n"
    "I called the buyers, cut the range to two flavours and moved the budget into sampling. "
    "Sales recovered to eighty percent of plan within a quarter. "
    "Since then I test prices before I commit."
)


def feedback(client: FlaskClient, answer: str, **fields: str) -> str:
    data = {"csrf_token": form_token(client), "guide_id": GUIDE, "answer": answer, **fields}
    response = client.post("/attempts", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client.get(response.headers["Location"]).get_data(as_text=True)


def text_of(page: str) -> str:
    """What a reader sees: the page without its tags, attributes or scripts."""
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def section(page: str, heading_id: str) -> str:
    start = page.index(f'id="{heading_id}"')
    return page[start : page.find("</section>", start)]


def test_flags_show_their_titles_and_each_point_appears_once(client: FlaskClient) -> None:
    page = feedback(client, THIN, seconds_taken="2")
    seen = text_of(page)
    flagged = ["too_short", "vague", "no_quantified_result", "missing_learning"]
    for flag_id, spec in FLAGS.items():
        assert flag_id not in page, flag_id  # no machine id anywhere, not even in markup
        spaced = flag_id.replace("_", " ")
        if spaced != spec.title.lower():
            assert spaced not in seen.lower(), flag_id  # nor an id with its underscores dropped
    steps = section(page, "next")
    for flag_id in flagged:
        assert FLAGS[flag_id].title in steps, flag_id
    # Each flag's message is written once on the page (not again under another heading).
    messages = re.findall(r'class="card step step-flag">.*?</strong>: ([^<]+)', page)
    assert len(messages) == len(flagged)
    for message in messages:
        assert seen.count(html.unescape(message.strip())) == 1
    assert "Red flags</h2>" not in page
    # A signal's advice is given once: in the steps, or on its card, never both.
    for advice in re.findall(r'<p class="advice">([^<]+)</p>', page):
        assert page.count(advice) == 1


def test_the_verdict_leads_with_the_next_step_in_sentence_case(client: FlaskClient) -> None:
    page = feedback(client, THIN, seconds_taken="2")
    seen = text_of(page)
    assert "STRONG NO HIRE" not in seen and "NO HIRE" not in seen
    assert "Not yet an answer" in seen and "strong no hire" in seen  # honest, not shouted
    next_step = page.index('id="next-step"')
    assert next_step < page.index('id="rating"') and next_step < page.index('id="score"')
    first = re.search(r'id="first-step">([^<]+)<', page)
    assert first and first.group(1) == FLAGS["too_short"].fix


def test_a_pasted_answer_shows_no_time_and_says_why(client: FlaskClient) -> None:
    pasted = feedback(client, THIN, seconds_taken="2")
    assert not re.search(r"you took \d", pasted)
    assert "time not shown: the answer went in faster than anyone types or speaks" in pasted
    untimed = feedback(client, THIN)
    assert not re.search(r"you took \d", untimed) and "not timed: the answer was pasted" in untimed
    typed = feedback(client, THIN, seconds_taken="95")  # 44 words in 1:35: typed
    assert "you took 1:35" in typed and 'id="time-not-shown"' not in typed


def test_time_taken_needs_a_humanly_possible_pace() -> None:
    from starcoach.storage.attempts import Attempt

    def attempt(seconds: int | None) -> Attempt:
        fields = dict.fromkeys(Attempt.__dataclass_fields__)
        return Attempt(**{**fields, "seconds_taken": seconds})

    assert time_taken(attempt(151), 452) == "2:31"  # 180 words a minute: a fast speaker
    assert time_taken(attempt(2), 66) is None
    assert time_taken(attempt(60), 250) is None
    assert time_taken(attempt(None), 66) is None and time_taken(attempt(0), 66) is None


def test_paragraphs_are_kept_and_every_run_is_labelled(client: FlaskClient) -> None:
    page = feedback(client, PARAGRAPHS, seconds_taken="200")
    answer = section(page, "structure")
    paragraphs = re.findall(r'<p class="para">(.*?)</p>', answer, flags=re.S)
    assert len(paragraphs) == 3
    tag = re.compile(r'<span class="part-tag[^"]*">[^<]*</span>')
    words = [text_of(tag.sub("", p)) for p in paragraphs]
    assert words == [" ".join(part.split()) for part in PARAGRAPHS.split("\n\n")]
    # Each paragraph opens with a visible part label, and each change of part gets one too.
    for paragraph in paragraphs:
        assert paragraph.startswith('<span class="part-tag tag-')
        parts = re.findall(r'data-component="(\w+)"', paragraph)
        labels = re.findall(r'<span class="part-tag tag-\w+">([^<]+)</span>', paragraph)
        runs = [p for i, p in enumerate(parts) if i == 0 or parts[i - 1] != p]
        assert labels == [COMPONENT_LABELS[p] for p in runs]
    # The legend is words, not colours alone.
    legend = re.search(r'<ul class="legend".*?</ul>', answer, flags=re.S)
    assert legend and "Situation</span>" in legend.group(0) and "% of the answer" in legend.group(0)


def test_the_next_steps_heading_only_shows_with_steps(client: FlaskClient) -> None:
    strong = {
        "flags": [],
        "signals": [{"id": "a", "name": "Ownership", "score": 3, "advice": "x", "evidence": []}],
    }
    assert next_steps(strong) == []
    weak = {**strong, "signals": [{**strong["signals"][0], "score": 2}]}  # type: ignore[dict-item]
    assert [s.title for s in next_steps(weak)] == ["Ownership (2/4)"]
    page = feedback(client, THIN)
    assert page.count('id="next"') == 1 and '<ol class="steps" id="steps">\n      <li' in page


def test_the_practice_timer_is_not_a_live_region(client: FlaskClient) -> None:
    page = client.get(f"/practice/{GUIDE}").get_data(as_text=True)
    bar = re.search(r'<div class="practice-bar">.*?</div>', page, flags=re.S)
    assert bar and "aria-live" not in bar.group(0)
    assert 'id="timer" role="timer"' in page  # role timer: never announced on its own
    assert '<span id="timer-status" class="visually-hidden" role="status">' in page
    assert f'data-draft-key="guide:{GUIDE}"' in page
    assert 'data-draft-key="own"' in client.get("/practice").get_data(as_text=True)


def test_the_mock_interview_timer_is_not_a_live_region_either(client: FlaskClient) -> None:
    started = client.post("/api/mock-sessions", json={"track": "new-graduate", "length": 3})
    page = client.get(f"/mock/{started.get_json()['id']}").get_data(as_text=True)
    bar = re.search(r'<div class="practice-bar">.*?</div>', page, flags=re.S)
    assert bar and "aria-live" not in bar.group(0)
    assert 'role="timer"' in bar.group(0) and 'id="timer-status"' in bar.group(0)
