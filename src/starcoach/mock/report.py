"""The mock interview's scorecard as Markdown, and the entry point for its PDF.

Both show what the scorecard page shows: the recommendation and its reasons, the fixes with the
candidate's words, the areas, the timing, the stories used and the whole conversation.
"""

from __future__ import annotations

from typing import Any


def clock(seconds: float | None) -> str:
    """'2:05' for 125 seconds, '-' when unknown."""
    if seconds is None:
        return "-"
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def words(name: str) -> str:
    """A machine name ('no_quantified_result') as words."""
    return name.replace("_", " ")


def score_line(question: dict[str, Any], timing: dict[str, Any] | None) -> str:
    """'Score 72/100 (hire), main answer in 2:00 of 2:30'."""
    line = f"Score {question['score']}/100 ({words(question['rating'])})"
    if timing:
        line += f", main answer in {clock(timing['seconds'])} of {clock(timing['budget'])}"
    return line


def spoken_line(turn: dict[str, Any]) -> str | None:
    """How a spoken answer was delivered, as the scorecard page says it; None if typed."""
    spoken = turn.get("spoken")
    if not spoken or not spoken.get("delivery"):
        return None
    delivery = spoken["delivery"]
    budget = delivery.get("budget_seconds")
    pauses, fillers = len(delivery["pauses"]), len(delivery["fillers"])
    return (
        f"Spoken: {clock(delivery['speaking_seconds'])}"
        + (f" of {clock(budget)}" if budget else "")
        + f" · {round(delivery['words_per_minute'])} words a minute"
        + f" · {pauses} pause{'' if pauses == 1 else 's'} over 2 s"
        + f" · {fillers} filler word{'' if fillers == 1 else 's'}"
    )


def markdown(view: dict[str, Any]) -> str:
    report = view["report"] or {}
    lines = [f"# Mock interview {view['id']}: {view['track']['label']}", ""]
    if not view["finished"]:
        lines += ["*In progress: the scorecard appears when the last question is answered.*", ""]
    else:
        lines += [f"**Recommendation: {words(report['recommendation'])}**", ""]
        lines += [f"- {reason}" for reason in report["reasons"]] + [""]
        lines += ["## Fix these first", ""]
        for number, fix in enumerate(report["fixes"], start=1):
            lines.append(
                f"{number}. **{words(fix['issue'])}** (question {fix['question']}): {fix['advice']}"
            )
            if fix["quote"]:
                lines.append(f'   > "{fix["quote"]}"')
        lines += [
            "",
            "## Scorecard by area",
            "",
            "| area | mean (0-4) | signals |",
            "| --- | --- | --- |",
        ]
        lines += [f"| {a['area']} | {a['mean']} | {a['count']} |" for a in report["areas"]]
        lines += ["", "## Stories used", ""]
        lines += [f"- Question {s['question']}: {s['title']}" for s in report["stories_used"]] or [
            "- None of your saved stories was recognised."
        ]
        lines.append("")
    timing = {t["question"]: t for t in report.get("timing", [])}
    for number, question in enumerate(view["questions"], start=1):
        lines += [f"## Question {number}: {question['title']}", "", f"> {question['question']}", ""]
        if question["score"] is not None:
            lines += [score_line(question, timing.get(number)), ""]
        for turn in question["turns"]:
            who = "Question" if turn["kind"] == "question" else "Follow-up"
            lines += [f"**{who}:** {turn['prompt']}", "", f"{turn['answer']}"]
            lines.append(f"*({clock(turn['seconds'])})*")
            spoken = spoken_line(turn)
            lines += [f"*{spoken}*", ""] if spoken else [""]
    return "\n".join(lines).rstrip() + "\n"


def pdf(view: dict[str, Any]) -> bytes:
    """The scorecard as an A4 PDF (fpdf2 is imported only when a PDF is asked for)."""
    from .report_pdf import render

    return render(view)
