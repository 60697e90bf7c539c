"""`starcoach plan JOB.txt`: a practice plan from a job posting."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import StarcoachError
from ..guides.model import LEVELS
from .render import wrap

if TYPE_CHECKING:  # the plan package loads the engine; `starcoach --help` must not
    from ..plan.model import Plan

STDIN_HINT = "Reading the job description from standard input; end it with Ctrl-D."


def _read_posting(source: str) -> str:
    from ..plan.build import MAX_POSTING_CHARACTERS, check_posting

    limit = MAX_POSTING_CHARACTERS * 4 + 1  # bytes: a character is at most four
    try:
        if source == "-":
            if sys.stdin.isatty():
                click.echo(STDIN_HINT, err=True)
            data = sys.stdin.buffer.read(limit)
        else:
            with Path(source).open("rb") as handle:
                data = handle.read(limit)
    except OSError as exc:
        raise StarcoachError(f"Cannot read {source}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        name = "Standard input" if source == "-" else source
        raise StarcoachError(f"{name} is not UTF-8 text.") from None
    return check_posting(text)


def render_plan(plan: Plan) -> list[str]:
    """The plan as terminal lines: what the posting asks for, then the questions in order."""
    lines = [click.style(f"Practice plan: {plan.title}", bold=True)]
    shown_by = "as given" if plan.level_source == "given" else f"from “{plan.level_source}”"
    lines.append(f"Level: {plan.level} ({shown_by})")
    lines += ["", click.style("WHAT THE POSTING ASKS FOR", bold=True, fg="cyan")]
    for competency in plan.competencies:
        lines.append(f"  {competency.name} ({competency.score:.2f})")
        for words in competency.evidence:
            lines += wrap(f"“{words}”", 4)
    lines += ["", click.style("QUESTIONS TO PRACTISE, MOST LIKELY FIRST", bold=True, fg="cyan")]
    for number, question in enumerate(plan.questions, 1):
        lines.append(
            click.style(f"{number:>2}. {question.title}", bold=True) + f"  [{question.guide_id}]"
        )
        lines += wrap(question.question, 4)
        lines.append(f"    Tests: {', '.join(question.competencies)} · level {question.level}")
        story = question.story
        lines.append(
            f"    Your story: #{story.id} {story.title} ({story.reason})"
            if story
            else "    Your story: no story yet"
        )
    lines += ["", "Start a mock interview on this plan:"]
    lines.append(f"  starcoach mock --guides {','.join(plan.mock_guide_ids)}")
    return lines


@click.command()
@click.argument("source", metavar="JOB.txt | -")
@click.option(
    "--level",
    type=click.Choice(LEVELS, case_sensitive=False),
    help="The level of the role (default: read from the posting's title).",
)
@click.option("--save", is_flag=True, help="Save the plan, to follow progress in the history.")
@click.option("--db", "database_url", metavar="URL", help="Database URL (with --save).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def plan(
    source: str, level: str | None, save: bool, database_url: str | None, as_json: bool
) -> None:
    """A practice plan from a job description: the competencies it asks for, with its words,
    and the 6 to 10 library questions to practise, most likely first, each with your best story
    from the story bank (or "no story yet")."""
    from ..plan.build import build_plan
    from ..services import open_services

    posting = _read_posting(source)
    chosen = next((known for known in LEVELS if level and known.lower() == level.lower()), None)
    services = open_services(database_url)  # the story bank lives in the database
    try:
        stories = services.stories.stories()
        made = build_plan(posting, list(services.library), stories, level=chosen)
        saved = services.plans.add(posting, made) if save else None
    finally:
        services.close()
    if as_json:
        click.echo(saved.model_dump_json(indent=2) if saved else made.model_dump_json(indent=2))
        return
    for line in render_plan(made):
        click.echo(line)
    if saved:
        click.echo(f"Saved as plan #{saved.id}: see it with `starcoach serve`, under History.")
