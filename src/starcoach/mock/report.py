"""The mock interview's scorecard as Markdown and as PDF (fpdf2, no network, no fonts to fetch)."""

from __future__ import annotations

from typing import Any

REPLACEMENTS = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u2022": "-",
}


def _clock(seconds: int | None) -> str:
    return "-" if seconds is None else f"{seconds // 60}:{seconds % 60:02d}"


def markdown(view: dict[str, Any]) -> str:
    report = view["report"] or {}
    lines = [f"# Mock interview {view['id']}: {view['track']['label']}", ""]
    if not view["finished"]:
        lines += ["*In progress: the scorecard appears when the last question is answered.*", ""]
    else:
        lines += [f"**Recommendation: {report['recommendation'].replace('_', ' ')}**", ""]
        lines += [f"- {reason}" for reason in report["reasons"]] + [""]
        lines += ["## Fix these first", ""]
        for number, fix in enumerate(report["fixes"], start=1):
            lines.append(
                f"{number}. **{fix['issue'].replace('_', ' ')}** (question "
                f"{fix['question']}): {fix['advice']}"
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
            lines.append(
                f"Score {question['score']}/100 ({question['rating'].replace('_', ' ')})"
                + (
                    f", main answer in {_clock(timing[number]['seconds'])} of "
                    f"{_clock(timing[number]['budget'])}"
                    if number in timing
                    else ""
                )
            )
            lines.append("")
        for turn in question["turns"]:
            who = "Question" if turn["kind"] == "question" else "Follow-up"
            lines += [
                f"**{who}:** {turn['prompt']}",
                "",
                f"{turn['answer']}",
                f"*({_clock(turn['seconds'])})*",
                "",
            ]
    return "\n".join(lines).rstrip() + "\n"


def pdf(view: dict[str, Any]) -> bytes:
    from fpdf import FPDF

    document = FPDF(format="A4")
    document.set_auto_page_break(auto=True, margin=15)
    document.add_page()
    width = document.w - document.l_margin - document.r_margin
    for line in markdown(view).splitlines():
        text = "".join(REPLACEMENTS.get(c, c) for c in line)
        text = text.encode("latin-1", "replace").decode("latin-1")
        if text.startswith("# "):
            document.set_font("Helvetica", "B", 16)
            document.multi_cell(width, 8, text[2:])
        elif text.startswith("## "):
            document.ln(2)
            document.set_font("Helvetica", "B", 13)
            document.multi_cell(width, 7, text[3:])
        elif not text.strip():
            document.ln(3)
        else:
            document.set_font("Helvetica", "", 10)
            document.multi_cell(width, 5, text.replace("**", "").replace("*", ""))
    return bytes(document.output())
