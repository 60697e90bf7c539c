"""Generated bad input at every route of the app: never a 5xx, never a traceback, and every API
error is JSON whose message says what is wrong.

Routes are read from `app.url_map`, so a new route is fuzzed without touching this file. Runs
are derandomized (the same examples every time) so CI is stable.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from conftest import form_token

EXAMPLES = 50  # per route and method (about 45 of them): some 2,000 requests, ~15 s on SQLite
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

HUGE = [2**31, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63) - 1]
NASTY_TEXT = ["", " ", "\x00", "a\x00b", "\ud800", "\udfff x", "💥" * 3, "é", "1e20", "-5", "0"]
FIELDS = [
    "answer", "guide_id", "question", "previous_id", "seconds", "seconds_taken",
    "seconds_per_answer", "length", "guides", "competencies", "track", "level", "kind",
    "title", "situation", "task", "action", "result", "learning", "numbers", "role", "date",
    "id", "analysis", "limit", "before", "after", "search", "competency", "category", "from",
]  # fmt: skip
SAMPLE_ANSWER = "I led the fix myself and errors fell from 6% to 1% within a month."
STORY = {"title": "Pallets", "situation": "Errors hit 6% on nights."}
ATTEMPT = {"guide_id": "failed-product-launch", "answer": SAMPLE_ANSWER}
NEW_GUIDE_QUESTION = "Tell me about a time you calmed an upset patient."
# A body each known route accepts; the fuzz spoils one or two fields of it, so the bad value
# gets past the rest of the checks. A route not listed here gets generated bodies only.
GOOD_BODIES: dict[str, dict[str, Any]] = {
    "/api/attempts": ATTEMPT,
    "/api/analyze": ATTEMPT,
    "/api/stories": STORY,
    "/api/stories/<id:story_id>": STORY,
    "/api/mock-sessions": {"track": "new-graduate", "length": 3},
    "/api/mock-sessions/<id:session_id>/answers": {"answer": SAMPLE_ANSWER, "seconds": 60},
    "/attempts": ATTEMPT,
    "/stories": STORY,
    "/stories/<id:story_id>": STORY,
    "/mock": {"kind": "track", "track": "new-graduate"},
    "/mock/<id:session_id>/answer": {"answer": SAMPLE_ANSWER},
    "/api/guides/new": {"question": NEW_GUIDE_QUESTION, "level": "Senior", "save": True},
    "/new-guide": {"question": NEW_GUIDE_QUESTION, "role": "Nurse"},
    "/new-guide/save": {"question": NEW_GUIDE_QUESTION, "replace": "true"},
}

texts = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.text(max_size=40),
    st.sampled_from([SAMPLE_ANSWER, "failed-product-launch", "new-graduate", "Senior"]),
)
numbers = st.one_of(
    st.sampled_from(HUGE),
    st.integers(min_value=-10, max_value=10),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
)
scalars = st.one_of(st.none(), texts, numbers)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(FIELDS), inner, max_size=4)
    ),
    max_leaves=12,
)
objects = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), json_values, max_size=6)
raw_bodies = st.sampled_from(
    [
        b"[" * 50_000 + b"]" * 50_000,
        b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
        b'{"answer": "caf\xe9"}',
        b'{"answer": NaN}',
        b'{"answer": 1e999}',
        b'{"answer": "\\ud800", "guide_id": "failed-product-launch"}',
        b'{"answer": ',
        b"\xff\xfe\x00",
        b"",
        b"null",
        b"[]",
    ]
)
path_values = st.one_of(
    st.sampled_from([str(v) for v in HUGE] + ["0", "-1", "1e3", "9" * 60, "é", "💥", "%00", "."]),
    st.text(min_size=1, max_size=12),
)
query_values = st.dictionaries(
    st.sampled_from(FIELDS) | st.text(min_size=1, max_size=6),
    st.sampled_from(NASTY_TEXT + [str(v) for v in HUGE] + ["9" * 5_000, "1.5", "%"])
    | st.text(max_size=12),
    max_size=4,
)


def escape(value: str) -> str:
    """%-escaped UTF-8; a lone surrogate goes as the bytes an attacker would send."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def concrete(rule: Rule, known: dict[str, Any], data: st.DataObject) -> str:
    """The rule's path with each argument a known good value or a generated bad one."""

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        good = known.get(name)
        use_good = good is not None and data.draw(st.integers(0, 2)) > 0
        value = str(good) if use_good else data.draw(path_values)
        return escape(value)

    return re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", fill, rule.rule)


def check(response: Any, path: str, method: str) -> None:
    body = response.get_data().decode("utf-8", "replace")  # a PDF is bytes
    response.close()
    where = f"{method} {path} -> {response.status_code}"
    assert response.status_code < 500, where + "\n" + body[:800]
    assert "Traceback" not in body, where
    if response.status_code < 400:
        return
    if path.startswith("/api/"):
        error = response.get_json()
        assert isinstance(error, dict) and isinstance(error.get("error"), str), where
        assert len(error["error"]) > 10, where
        for detail in error.get("details") or []:
            if detail["field"]:
                assert f"'{detail['field']}'" in error["error"], (where, error)
    else:
        assert response.mimetype == "text/html" and "<!doctype html>" in body, where


def spoil(data: st.DataObject, good: dict[str, Any], values: st.SearchStrategy[Any]) -> Any:
    """`good` with one or two fields replaced, removed, or with nasty text appended."""
    body = dict(good)
    for _ in range(data.draw(st.integers(1, 2))):
        own = sorted(body) if body and data.draw(st.integers(0, 2)) > 0 else FIELDS
        name = data.draw(st.sampled_from(own))
        how = data.draw(st.sampled_from(["replace", "remove", "append"]))
        if how == "remove":
            body.pop(name, None)
        elif how == "append" and isinstance(body.get(name), str):
            body[name] += data.draw(st.sampled_from(NASTY_TEXT))
        else:
            body[name] = data.draw(values)
    return body


def fuzz_route(client: FlaskClient, rule: Rule, method: str, known: dict[str, Any]) -> None:
    token = form_token(client)
    api = rule.rule.startswith("/api/")

    @FUZZ
    @given(data=st.data(), query=query_values)
    def run(data: st.DataObject, query: dict[str, str]) -> None:
        path = concrete(rule, known, data)
        url = f"{path}?{urlencode(query, quote_via=lambda v, *_: escape(v))}" if query else path
        options: dict[str, Any] = {}
        if method in ("POST", "PUT", "PATCH") and api:
            kind = data.draw(st.sampled_from(["spoiled", "object", "value", "raw"]))
            if kind == "raw":
                options["data"] = data.draw(raw_bodies)
            else:
                value = {
                    "spoiled": lambda: spoil(data, GOOD_BODIES.get(rule.rule, {}), json_values),
                    "object": lambda: data.draw(objects),
                    "value": lambda: data.draw(json_values),
                }[kind]()
                text = json.dumps(value, ensure_ascii=data.draw(st.booleans()))
                options["data"] = text.encode("utf-8", "surrogatepass")
            options["content_type"] = "application/json"
        elif method == "POST":
            fields = spoil(data, GOOD_BODIES.get(rule.rule, {}), texts)
            if data.draw(st.integers(0, 4)) > 0:
                fields["csrf_token"] = token
            options["data"] = urlencode(fields, quote_via=lambda v, *_: escape(v))
            options["content_type"] = "application/x-www-form-urlencoded"
        check(client.open(url, method=method, **options), path, method)

    run()


def records(client: FlaskClient) -> dict[str, Any]:
    """Good values for every path argument: a guide and records made here (fuzzing one route
    may delete them, so each route gets its own)."""
    return {
        "guide_id": "failed-product-launch",
        "story_id": client.post("/api/stories", json=STORY).get_json()["id"],
        "attempt_id": client.post("/api/attempts", json=ATTEMPT).get_json()["id"],
        "session_id": client.post(
            "/api/mock-sessions", json={"track": "new-graduate", "length": 3}
        ).get_json()["id"],
        "filename": "style.css",
    }


def test_every_route_survives_generated_bad_input(app: Flask, client: FlaskClient) -> None:
    rules = list(app.url_map.iter_rules())
    assert len(rules) >= 30
    fuzzed = 0
    for rule in rules:
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            fuzz_route(client, rule, method, records(client))
            fuzzed += 1
    assert fuzzed == sum(len((r.methods or set()) - {"HEAD", "OPTIONS"}) for r in rules)
