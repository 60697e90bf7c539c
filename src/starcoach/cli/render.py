"""Plain terminal rendering: wrapped to the terminal's width, bold where the seed has structure.

click drops the styling when output is not a terminal, so pipes get clean text.
"""

from __future__ import annotations

import shutil
import sys
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
        kind = "Role" if guide.is_skeleton else "Sample answer role"
        out += wrap(f"{kind}: " + ", ".join(guide.roles), 0)
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
    narrative = (
        "a STAR skeleton to fill with your own story" if guide.is_skeleton else "the STAR narrative"
    )
    out += [_heading(f"Strategy Breakdown: {narrative}")]
    for part in STAR_PARTS:
        section = guide.star[part]
        out.append(click.style("  " + section.heading, bold=True, fg="green"))
        for point in section.points:
            out += _labelled(point.label, point.text, 4)
    return "\n".join(out)


MIN_CELL = 16


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def render_table(
    rows: list[list[str]],
    headers: list[str],
    shrink: tuple[int, ...] = (),
    drop: tuple[int, ...] = (),
) -> str:
    """A left-aligned table. On a terminal it fits the width: the `shrink` columns are cut, in
    that order, down to MIN_CELL (a cut cell ends with '…'), and if that is not enough the
    `drop` columns are left out. Piped or redirected output is never cut."""
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    keep = list(range(len(headers)))
    if stdout_is_terminal():
        room = shutil.get_terminal_size((80, 24)).columns

        def excess() -> int:
            return sum(widths[i] for i in keep) + 2 * (len(keep) - 1) - room

        for column in drop:
            floor = sum(min(widths[i], max(len(headers[i]), MIN_CELL)) for i in shrink if i in keep)
            fixed = sum(widths[i] for i in keep if i not in shrink)
            if floor + fixed + 2 * (len(keep) - 1) <= room:
                break
            keep.remove(column)
        for column in shrink:
            if column in keep and excess() > 0:
                cut = max(len(headers[column]), MIN_CELL, widths[column] - excess())
                widths[column] = min(widths[column], cut)

    def line(cells: list[str]) -> str:
        fitted = [
            cells[i] if len(cells[i]) <= widths[i] else cells[i][: widths[i] - 1] + "…"
            for i in keep
        ]
        return "  ".join(c.ljust(widths[i]) for c, i in zip(fitted, keep, strict=True)).rstrip()

    header = click.style(line(headers), bold=True)
    return "\n".join([header, *(line(r) for r in rows)])
