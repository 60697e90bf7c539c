"""`starcoach mock`: a mock interview in the terminal, typed or scripted from a file."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from ..errors import StarcoachError
from .output import write_output
from .render import wrap


def _answers_from(path: str) -> Iterator[str]:
    """A JSON list of strings, or plain text with answers separated by lines of '---'."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise StarcoachError(f"Cannot read {path}: {exc.strerror or exc}") from None
    if text.lstrip().startswith("["):
        items = json.loads(text)
        if not all(isinstance(item, str) for item in items):
            raise StarcoachError(f"{path}: expected a JSON list of answers (strings).")
        yield from items
        return
    block: list[str] = []
    for line in text.splitlines():
        if line.strip() == "---":
            yield "\n".join(block).strip()
            block = []
        else:
            block.append(line)
    if "\n".join(block).strip():
        yield "\n".join(block).strip()


class TitleTimer:
    """Shows the time spent on the current answer in the terminal's title bar, every second,
    so it stays visible without disturbing what is being typed."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.start = time.monotonic()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TitleTimer:
        if sys.stdout.isatty():
            self.thread.start()
        return self

    def _run(self) -> None:
        while not self.stop_event.wait(1.0):
            sys.stdout.write(f"\033]0;starcoach {clock(self.elapsed)} of {clock(self.budget)}\007")
            sys.stdout.flush()

    @property
    def elapsed(self) -> int:
        return round(time.monotonic() - self.start)

    def __exit__(self, *_: object) -> None:
        self.stop_event.set()


def clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _typed_answer() -> str:
    lines: list[str] = []
    while True:
        try:
            line = input()
        except EOFError:
            break
        if not line.strip() and lines:
            break
        if line.strip():
            lines.append(line)
    return "\n".join(lines)


def _print_prompt(prompt: dict[str, Any]) -> None:
    where = f"Question {prompt['number']} of {prompt['of']}"
    if prompt["kind"] == "followup":
        where += f" · follow-up {prompt['followup']} of {prompt['followups']}"
    click.echo("\n" + click.style(where, fg="cyan", bold=True))
    click.echo("\n".join(wrap(prompt["text"], 2)))


def _print_report(view: dict[str, Any]) -> None:
    report = view["report"]
    click.echo("\n" + click.style("SCORECARD", fg="cyan", bold=True))
    click.echo(
        click.style("Recommendation: " + report["recommendation"].replace("_", " "), bold=True)
    )
    for reason in report["reasons"]:
        click.echo("\n".join(wrap(reason, 2, "- ")))
    click.echo(click.style("\nFix these first", bold=True))
    for number, fix in enumerate(report["fixes"], start=1):
        click.echo(
            "\n".join(
                wrap(
                    f"{fix['issue'].replace('_', ' ')} (question "
                    f"{fix['question']}): {fix['advice']}",
                    2,
                    f"{number}. ",
                )
            )
        )
        if fix["quote"]:
            click.echo("\n".join(wrap(f"\u201c{fix['quote']}\u201d", 6)))
    click.echo(click.style("\nBy area", bold=True))
    for area in report["areas"]:
        bar = "●" * round(area["mean"]) + "○" * (4 - round(area["mean"]))
        click.echo(f"  {bar}  {area['area']} ({area['mean']}/4)")
    click.echo(click.style("\nQuestions", bold=True))
    for question, timing in zip(view["questions"], report["timing"], strict=True):
        click.echo(
            f"  {timing['question']}. {question['title']}: {question['score']}/100, "
            f"{clock(timing['seconds'] or 0)} of {clock(timing['budget'])}"
        )
    used = report["stories_used"]
    click.echo(click.style("\nStories used", bold=True))
    click.echo(
        "\n".join(f"  Question {s['question']}: {s['title']}" for s in used)
        or "  none of your saved stories was recognised"
    )


@click.group(invoke_without_command=True)
@click.option(
    "--track", help="senior-leadership, new-graduate, people-management or principles-loop."
)
@click.option("--level", help="Pick questions at this level.")
@click.option(
    "--competency",
    "competencies",
    multiple=True,
    help="Pick questions that assess this (repeatable).",
)
@click.option("--guides", help="Your own list of guide ids, comma separated.")
@click.option("--length", default=4, show_default=True, type=int, help="Main questions, 3 to 6.")
@click.option("--seconds", default=180, show_default=True, type=int, help="Time budget per answer.")
@click.option(
    "--answers",
    "answers_path",
    type=click.Path(dir_okay=False),
    help="Take the answers from this file instead of the keyboard (for scripts).",
)
@click.option("--db", "database_url", metavar="URL", help="Database URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the final session as JSON.")
@click.pass_context
def mock(
    ctx: click.Context,
    track: str | None,
    level: str | None,
    competencies: tuple[str, ...],
    guides: str | None,
    length: int,
    seconds: int,
    answers_path: str | None,
    database_url: str | None,
    as_json: bool,
) -> None:
    """A mock interview: questions, follow-ups on what you said, and a scorecard.

    Type each answer and finish it with an empty line. The session is saved; export it later
    with `starcoach mock report ID`.
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..services import open_services

    services = open_services(database_url)
    guide_ids = tuple(g.strip() for g in guides.split(",") if g.strip()) if guides else ()
    view = services.mock.start(
        track=track,
        level=level,
        competencies=competencies,
        guides=guide_ids,
        length=len(guide_ids) or length,
        seconds_per_answer=seconds,
    )
    scripted = _answers_from(answers_path) if answers_path else None
    quiet = as_json
    if not quiet:
        click.echo(
            click.style(f"Mock interview #{view['id']}: {view['track']['label']}", bold=True)
        )
        if not scripted:
            click.echo(
                f"You have {clock(seconds)} per answer. Finish each answer with an empty line."
            )
    while not view["finished"]:
        prompt = view["prompt"]
        if not quiet:
            _print_prompt(prompt)
        if scripted is not None:
            answer = next(scripted, None)
            if answer is None:
                raise StarcoachError(
                    f"The answers file ran out at question {prompt['number']}"
                    + (f", follow-up {prompt['followup']}" if prompt["kind"] == "followup" else "")
                    + f". Session #{view['id']} is saved as far as it got."
                )
            taken = None
        else:
            with TitleTimer(seconds) as timer:
                answer = _typed_answer()
            taken = timer.elapsed
            over = " (over time)" if taken > seconds else ""
            click.echo(click.style(f"  ⏱ {clock(taken)} of {clock(seconds)}{over}", dim=True))
        view = services.mock.answer(view["id"], answer, taken)
    if as_json:
        click.echo(json.dumps(view, indent=2, ensure_ascii=False))
    else:
        _print_report(view)
        click.echo(
            f"\nSaved as session #{view['id']}. Export it: starcoach mock report "
            f"{view['id']} --format pdf -o interview.pdf"
        )


@mock.command("report")
@click.argument("session_id", type=int)
@click.option(
    "--format", "fmt", type=click.Choice(["md", "pdf", "json"]), default="md", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False),
    help="Write to this file (default: print; PDF needs a file).",
)
@click.option("--db", "database_url", metavar="URL", help="Database URL.")
def report(session_id: int, fmt: str, output: str | None, database_url: str | None) -> None:
    """Export a saved mock interview as Markdown, PDF or JSON."""
    from ..mock.report import markdown, pdf
    from ..services import open_services

    view = open_services(database_url).mock.get(session_id)
    if fmt == "pdf":
        if not output:
            raise click.UsageError("PDF output needs --output FILE.")
        write_output(output, pdf(view))
        click.echo(f"Wrote {output}", err=True)
        return
    text = markdown(view) if fmt == "md" else json.dumps(view, indent=2, ensure_ascii=False)
    if output:
        write_output(output, text)
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text)
