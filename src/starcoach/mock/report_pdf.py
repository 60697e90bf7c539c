"""The scorecard drawn as an A4 PDF with fpdf2.

The text is set in DejaVu Sans, vendored in mock/fonts/ (with its licence), so whatever the
candidate typed (Ł, €, →, curly quotes) prints as itself, with nothing fetched at run time.
Every block is a multi_cell as wide as the text column, which returns to the left margin after
it, so long lines wrap inside the margins, and fpdf2 breaks pages; the tables use fpdf2's table
API, which wraps its cells and repeats its heading on a new page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF, FontFace
from fpdf.enums import TableBordersLayout, XPos, YPos

from .report import clock, score_line, spoken_line, words

FONTS = Path(__file__).parent / "fonts"
FONT = "DejaVu"
MARGIN = 18  # millimetres, on every side
INK = (33, 37, 41)
MUTED = (90, 96, 104)
RULE = (200, 205, 212)
HEADING_FILL = (236, 239, 243)
VERDICT_INK = {
    "strong_hire": (21, 110, 60),
    "hire": (21, 110, 60),
    "mixed": (150, 90, 0),
    "no_hire": (170, 40, 40),
    "strong_no_hire": (170, 40, 40),
}


class _Page(FPDF):
    """An A4 page in DejaVu Sans with a 'page n of N' footer."""

    def __init__(self, footer_text: str) -> None:
        super().__init__(format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)
        self.set_creator("starcoach")
        self.set_title(footer_text)

    def footer(self) -> None:
        self.set_y(-MARGIN + 4)
        self.style(8, colour=MUTED)
        self.cell(0, 4, f"{self.footer_text} · page {self.page_no()} of {{nb}}", align="C")

    def style(self, size: float, bold: bool = False, colour: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.set_text_color(*colour)

    def room(self, height: float) -> None:
        """Start a new page unless `height` millimetres are left (keeps a heading with its text)."""
        if self.get_y() + height > self.page_break_trigger:
            self.add_page()

    def block(self, text: str, height: float = 5.2, indent: float = 0) -> None:
        """A paragraph wrapped to the text column, `indent` mm in from the left margin."""
        self.set_x(self.l_margin + indent)
        self.multi_cell(
            self.epw - indent, height, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    def heading(self, text: str, size: float = 13, keep: float = 14) -> None:
        """A section title with a rule under it, kept on a page with `keep` mm of what follows."""
        self.ln(4)
        self.room(10 + keep)
        self.style(size, bold=True)
        self.block(text, height=size * 0.5)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() + 1, self.l_margin + self.epw, self.get_y() + 1)
        self.ln(3)

    def item(self, label: str, text: str, indent: float = 6) -> None:
        """A list item: its label ('•', '2.') in the gutter, its text wrapped beside it."""
        self.room(11)
        top = self.get_y()
        self.cell(indent, 5.2, label)
        self.set_xy(self.l_margin, top)
        self.block(text, indent=indent)

    def grid(
        self, rows: list[list[str]], widths: tuple[float, ...], align: tuple[str, ...]
    ) -> None:
        """A table with a shaded heading row, wrapped cells and lines between rows."""
        self.style(9.5)
        self.set_draw_color(*RULE)
        with self.table(
            col_widths=widths,
            text_align=align,
            line_height=5.2,
            padding=(1.2, 2),
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEADING_FILL),
        ) as table:
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value)
        self.ln(2)


def render(view: dict[str, Any]) -> bytes:
    """Every section of the scorecard page, in its order, as PDF bytes."""
    title = f"Mock interview {view['id']}: {view['track']['label']}"
    page = _Page(footer_text=f"Mock interview {view['id']}")
    page.add_page()
    page.style(18, bold=True)
    page.block(title, height=8)
    page.ln(2)
    report = view["report"]
    if not view["finished"] or not report:
        page.style(10.5, colour=MUTED)
        page.block("In progress: the scorecard appears when the last question is answered.")
    else:
        _verdict(page, report)
        _fixes(page, report["fixes"])
        _areas(page, report["areas"])
        _per_question(page, view["questions"], report.get("timing", []))
        _stories(page, report["stories_used"])
    _conversation(page, view["questions"], (report or {}).get("timing", []))
    return bytes(page.output())


def _verdict(page: _Page, report: dict[str, Any]) -> None:
    page.style(16, bold=True, colour=VERDICT_INK.get(report["recommendation"], INK))
    page.block(f"Recommendation: {words(report['recommendation'])}", height=8)
    page.ln(1)
    page.style(10.5)
    for reason in report["reasons"]:
        page.item("•", reason)


def _fixes(page: _Page, fixes: list[dict[str, Any]]) -> None:
    page.heading("Fix these first")
    if not fixes:
        page.style(10.5, colour=MUTED)
        page.block("Nothing stood out to fix first.")
    for number, fix in enumerate(fixes, start=1):
        page.style(10.5, bold=True)
        page.item(f"{number}.", f"{words(fix['issue'])} (question {fix['question']})")
        page.style(10.5)
        page.block(fix["advice"], indent=6)
        if fix["quote"]:
            page.style(10, colour=MUTED)
            page.block(f"“{fix['quote']}”", indent=11)
        page.ln(2)


def _areas(page: _Page, areas: list[dict[str, Any]]) -> None:
    page.heading("Scorecard by area", keep=_table_height(len(areas)))
    rows = [["Area", "Mean (0–4)", "Signals"]]
    rows += [[a["area"], f"{a['mean']}/4", str(a["count"])] for a in areas]
    page.grid(rows, widths=(3, 1, 1), align=("LEFT", "RIGHT", "RIGHT"))


def _per_question(
    page: _Page, questions: list[dict[str, Any]], timing: list[dict[str, Any]]
) -> None:
    page.heading("Question by question", keep=_table_height(len(questions)))
    times = {t["question"]: t for t in timing}
    rows = [["#", "Question", "Score", "Main answer time"]]
    for number, question in enumerate(questions, start=1):
        rated = question["score"] is not None
        spent = times.get(number)
        rows.append(
            [
                str(number),
                question["title"],
                f"{question['score']} ({words(question['rating'])})" if rated else "-",
                f"{clock(spent['seconds'])} of {clock(spent['budget'])}" if spent else "-",
            ]
        )
    page.grid(rows, widths=(0.5, 4, 1.8, 1.8), align=("RIGHT", "LEFT", "LEFT", "LEFT"))


def _table_height(rows: int) -> float:
    """Room to ask for before a table, so a short one is not split after a row or two."""
    return min((rows + 1) * 8.5, 100)


def _stories(page: _Page, used: list[dict[str, Any]]) -> None:
    page.heading("Stories you used")
    page.style(10.5)
    for story in used:
        page.item("•", f"Question {story['question']}: {story['title']}")
    if not used:
        page.item("•", "None of your saved stories was recognised.")


def _conversation(
    page: _Page, questions: list[dict[str, Any]], timing: list[dict[str, Any]]
) -> None:
    page.heading("The conversation")
    times = {t["question"]: t for t in timing}
    for number, question in enumerate(questions, start=1):
        page.ln(1)
        page.room(30)
        page.style(11.5, bold=True)
        page.block(f"Question {number}: {question['title']}", height=6)
        page.style(10.5, colour=MUTED)
        page.block(question["question"], indent=4)
        if question["score"] is not None:
            page.style(10, bold=True, colour=MUTED)
            page.block(score_line(question, times.get(number)), indent=4)
        for turn in question["turns"]:
            page.ln(1.5)
            page.room(16)
            if turn["kind"] != "question":  # the main question is printed above
                page.style(10.5, bold=True)
                page.block(f"Follow-up: {turn['prompt']}")
            page.style(9, bold=True, colour=MUTED)
            page.block(f"Your answer · {clock(turn['seconds'])}")
            page.style(10.5)
            page.block(turn["answer"])
            spoken = spoken_line(turn)
            if spoken:
                page.style(9, colour=MUTED)
                page.block(spoken)
        page.ln(2)
