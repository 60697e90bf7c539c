"""The interviewer: follow-ups drawn from what the candidate just said, and the final verdict.

Pure functions over analyses; the session module keeps the conversation in the database.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from ..analysis.registry import FLAG_PRIORITY, FLAGS
from ..analysis.signals import families_for

MAX_QUOTE_WORDS = 14
# Flags whose follow-up reads better tied to the candidate's words, besides the registry's own.
QUOTED = {"vague", "no_quantified_result"}
DEEPENING = [
    'You said "{quote}". Why that approach rather than the obvious alternative?',
    'You said "{quote}". What was the hardest part of that, and who pushed back?',
    "What would have happened if you had not stepped in?",
]


SPOKEN_LEAD = re.compile(
    r"^(?:(?:ok(?:ay)?|so|um+|uh+|and|well|like|yeah|you know|i mean)"
    r"[\s,]+)+",
    re.IGNORECASE,
)


def short_quote(text: str, words: int = MAX_QUOTE_WORDS) -> str:
    """The first words of a sentence, without the 'ok so um' a transcript starts with."""
    parts = SPOKEN_LEAD.sub("", text.strip()).rstrip(".!?").split()
    quote = " ".join(parts[:words])
    return quote + ("..." if len(parts) > words else "")


def _quote_for(flag: dict[str, Any], analysis: dict[str, Any]) -> str:
    if flag.get("evidence"):
        return short_quote(flag["evidence"][0]["quote"])
    results = [s["text"] for s in analysis["sentences"] if s["component"] == "result"]
    actions = [s["text"] for s in analysis["sentences"] if s["component"] == "action"]
    pool = results or actions or [s["text"] for s in analysis["sentences"]]
    return short_quote(pool[0]) if pool else ""


def followups(analysis: dict[str, Any], seed: int = 0) -> list[str]:
    """1–2 follow-up questions for a main answer, aimed at its biggest gaps, quoting it."""
    flags = sorted(analysis["flags"], key=lambda f: FLAG_PRIORITY.index(f["id"]))
    asked: list[str] = []
    for flag in flags:
        asked.append(_probe(flag, analysis))
        if len(asked) == 2:
            break
    if len(asked) < 2 and analysis["overall"]["rating"] in ("strong_hire", "hire"):
        decisive = [
            s["text"]
            for s in analysis["sentences"]
            if s["component"] == "action" and re.search(r"\bI\b", s["text"])
        ]
        template = DEEPENING[seed % len(DEEPENING)]
        if decisive or "{quote}" not in template:
            asked.append(template.format(quote=short_quote(decisive[0]) if decisive else ""))
    elif len(asked) < 2:
        weakest = sorted(analysis["signals"], key=lambda s: (s["score"], s["name"]))
        for signal in weakest[:1]:
            families = families_for(signal["name"], "")
            if families and signal["score"] <= 2:
                asked.append(families[0].probe)
    return list(dict.fromkeys(asked))[:2] or [FLAGS["missing_learning"].probe]


def _probe(flag: dict[str, Any], analysis: dict[str, Any]) -> str:
    """The registry's follow-up for a flag, in the words of this answer."""
    spec = FLAGS[flag["id"]]
    if flag["id"] == "off_topic":
        return spec.probe.format(question_short=f"about {analysis['guide']['title'].lower()}")
    quote = _quote_for(flag, analysis)
    if quote and (spec.anchored or flag["id"] in QUOTED):
        return f'You said "{quote}". {spec.probe}'
    return spec.probe


def recommendation(scores: list[int]) -> str:
    mean = sum(scores) / len(scores) if scores else 0
    if mean >= 80:
        return "strong_hire"
    if mean >= 63:
        return "hire"
    if mean >= 45:
        return "mixed"
    if mean >= 25:
        return "no_hire"
    return "strong_no_hire"


def scorecard(
    questions: list[dict[str, Any]], descriptions: dict[str, str] | None = None
) -> dict[str, Any]:
    """The session's verdict: per-signal scores, a recommendation with reasons, three fixes.
    Signals are grouped into areas (ownership, communication, ...) read from their names and
    `descriptions`, so a session's different guides add up."""
    descriptions = descriptions or {}
    judged = [q for q in questions if q.get("analysis")]
    by_area: dict[str, list[int]] = defaultdict(list)
    rows = []
    for number, question in enumerate(judged, start=1):
        for signal in question["analysis"]["signals"]:
            families = families_for(signal["name"], descriptions.get(signal["name"], ""))
            area = families[0].id.replace("_", " ").title() if families else signal["name"]
            by_area[area].append(signal["score"])
            rows.append(
                {
                    "question": number,
                    "signal": signal["name"],
                    "area": area,
                    "score": signal["score"],
                }
            )
    means = {area: round(sum(v) / len(v), 2) for area, v in by_area.items()}
    areas = [
        {"area": area, "mean": means[area], "count": len(by_area[area])}
        for area in sorted(means, key=lambda a: (-means[a], a))
    ]
    scores = [q["analysis"]["overall"]["score"] for q in judged]
    verdict = recommendation(scores)
    reasons = []
    if scores:
        reasons.append(
            f"Average score {sum(scores) / len(scores):.0f}/100 over {len(scores)} "
            "questions, follow-ups included."
        )
    if areas:
        reasons.append(f"Strongest: {areas[0]['area']} ({areas[0]['mean']}/4).")
        reasons.append(f"Weakest: {areas[-1]['area']} ({areas[-1]['mean']}/4).")
    flag_counts = Counter(f["id"] for q in judged for f in q["analysis"]["flags"])
    if flag_counts:
        common = ", ".join(f"{k.replace('_', ' ')} ({v})" for k, v in flag_counts.most_common(3))
        reasons.append(f"Red flags across the session: {common}.")
    return {
        "recommendation": verdict,
        "reasons": reasons,
        "signals": rows,
        "areas": areas,
        "fixes": fixes(judged),
    }


def fixes(judged: list[dict[str, Any]], limit: int = 3) -> list[dict[str, Any]]:
    """The three things to fix first, most serious first, each with the candidate's words."""
    found: list[dict[str, Any]] = []
    seen: set[str] = set()
    flagged = [
        (FLAG_PRIORITY.index(f["id"]), number, f)
        for number, q in enumerate(judged, start=1)
        for f in q["analysis"]["flags"]
    ]
    for _, number, flag in sorted(flagged, key=lambda item: (item[0], item[1])):
        if flag["id"] in seen:
            continue
        seen.add(flag["id"])
        quote = flag["evidence"][0]["quote"] if flag.get("evidence") else None
        found.append(
            {"question": number, "issue": flag["id"], "advice": flag["message"], "quote": quote}
        )
        if len(found) == limit:
            return found
    weak = sorted(
        (
            (s["score"], number, s)
            for number, q in enumerate(judged, start=1)
            for s in q["analysis"]["signals"]
        ),
        key=lambda item: (item[0], item[1]),
    )
    for score, number, signal in weak:
        if signal["name"] in seen or score > 2:
            continue
        seen.add(signal["name"])
        quote = signal["evidence"][0]["quote"] if signal.get("evidence") else None
        found.append(
            {
                "question": number,
                "issue": signal["name"],
                "advice": signal["advice"],
                "quote": quote,
            }
        )
        if len(found) == limit:
            break
    return found
