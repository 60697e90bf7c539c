"""Plain terminal rendering: wrapped to the terminal's width, bold where the seed has structure.

click drops the styling when output is not a terminal, so pipes get clean text.
"""

from __future__ import annotations

import shutil
import textwrap

import click

from ..guides.model import STAR_PARTS, Guide


def _columns() -> int:
    return max(60, shutil.get_terminal_size((100, 24)).columns)


def _width() -> int:
    """Prose is easier to read in lines of at most 100 characters."""
    return min(_columns(), 100)


def wrap(text: str, indent: int, bullet: str = "") -> list[str]:
    first = " " * indent + bullet
    rest = " " * (indent + len(bullet))
    lines: list[str] = []
    for paragraph in text.split("\n") or [""]:
        lines += textwrap.wrap(
            paragraph, _width(), initial_indent=first, subsequent_indent=rest
        ) or [first.rstrip()]
        first = rest
    return lines


def _heading(text: str) -> str:
    return click.style(text.upper(), bold=True, fg="cyan")


def _labelled(label: str | None, text: str, indent: int) -> list[str]:
    """Wrap 'Label: text', then bold the label in the first line only."""
    if not label:
        return wrap(text, indent, "• ")
    lines = wrap(f"{label}: {text}", indent, "• ")
    prefix = " " * indent + "• "
    lines[0] = prefix + lines[0][len(prefix) :].replace(
        f"{label}:", click.style(f"{label}:", bold=True), 1
    )
    return lines


def render_guide(guide: Guide) -> str:
    """The whole guide, section by section, in the seed's hierarchy."""
    out = [
        click.style(guide.title, bold=True),
        click.style(f"{guide.category} · {guide.level} level · id: {guide.id}", dim=True),
    ]
    if guide.competencies:
        out += wrap("Competencies: " + ", ".join(guide.competencies), 0)
    if guide.roles:
        out += wrap("Sample answer role: " + ", ".join(guide.roles), 0)
    out += ["", _heading("The question"), *wrap(guide.question, 2), ""]
    out += [_heading("Questions & Insights"), click.style("  Clarifying questions", bold=True)]
    for question in guide.clarifying_questions:
        out += wrap(question, 4, "• ")
    out += [click.style("  Assumptions", bold=True), *wrap(guide.assumptions, 4), ""]
    out += [
        _heading("Coach Strategy"),
        click.style("  Signals the interviewer listens for", bold=True),
    ]
    for signal in guide.signals:
        out += _labelled(signal.name, signal.description, 4)
    out += [click.style("  Cheat code", bold=True), *wrap(guide.cheat_code, 4), ""]
    out += [_heading("Strategy Breakdown: the STAR narrative")]
    for part in STAR_PARTS:
        section = guide.star[part]
        out.append(click.style("  " + section.heading, bold=True, fg="green"))
        for point in section.points:
            out += _labelled(point.label, point.text, 4)
    return "\n".join(out)


def render_table(rows: list[list[str]], headers: list[str], shrink: tuple[int, ...] = ()) -> str:
    """A left-aligned table that fits the terminal by cutting the `shrink` columns, in that
    order, down to no less than their header (cut cells end with '…')."""
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    for column in shrink:
        excess = sum(widths) + 2 * (len(headers) - 1) - _columns()
        if excess > 0:
            widths[column] = max(len(headers[column]), 20, widths[column] - excess)

    def line(cells: list[str]) -> str:
        fitted = [
            c if len(c) <= w else c[: w - 1] + "…" for c, w in zip(cells, widths, strict=True)
        ]
        return "  ".join(c.ljust(w) for c, w in zip(fitted, widths, strict=True)).rstrip()

    header = click.style(line(headers), bold=True)
    return "\n".join([header, *(line(r) for r in rows)])
