"""`starcoach plans ...`: the saved practice plans, and how far each has been practised.

The figures come from the same store as the web app's History and plan pages
(storage/plans.py), so the terminal and the browser always agree.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from ..errors import StarcoachError
from .plan import render_plan
from .render import render_table

if TYPE_CHECKING:  # storage pulls in SQLAlchemy; `starcoach --help` need not
    from ..plan.model import SavedPlan
    from ..storage.plans import PlanStore

DB_OPTION = click.option(
    "--db", "database_url", metavar="URL", help="Database URL (default: SQLite in STARCOACH_HOME)."
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
NO_PLANS = "No saved plans yet. Make one with: starcoach plan JOB.txt --save"


@contextmanager
def _store(database_url: str | None) -> Iterator[PlanStore]:
    """The plan store of the open services (the single-user owner's), closed however the
    command ends."""
    from ..services import open_services

    services = open_services(database_url)
    try:
        yield services.plans
    finally:
        services.close()


def _when(stamp: str) -> str:
    """'2026-12-05T01:58:07.5+00:00' as '2026-12-05 01:58', as `starcoach mock list` shows it."""
    return stamp[:16].replace("T", " ")


@click.group()
def plans() -> None:
    """Your saved practice plans (make one with `starcoach plan JOB.txt --save`)."""


@plans.command("list")
@DB_OPTION
@JSON_OPTION
def list_plans(database_url: str | None, as_json: bool) -> None:
    """The saved plans, newest first, with how many of their questions you have practised."""
    with _store(database_url) as store:
        summaries = store.list()
    if as_json:
        rows = [summary.model_dump(mode="json") for summary in summaries]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not summaries:
        click.echo(NO_PLANS)
        return
    table = [
        [str(s.id), s.title, s.level, _when(s.created_at), f"{s.practised} of {s.questions}"]
        for s in summaries
    ]
    click.echo(render_table(table, ["ID", "TITLE", "LEVEL", "SAVED", "PRACTISED"], shrink=(1,)))


def render_progress(saved: SavedPlan) -> list[str]:
    """Per plan question, the answers given since the plan was saved and the best score: the
    figures the web app's plan page shows."""
    done = {p.guide_id: p for p in saved.progress}
    rows = []
    for number, question in enumerate(saved.plan.questions, 1):
        progress = done[question.guide_id]
        best = "-" if progress.best_score is None else f"{progress.best_score}/100"
        rows.append([str(number), question.title, str(progress.attempts), best])
    heading = click.style("PROGRESS SINCE THE PLAN WAS SAVED", bold=True, fg="cyan")
    return [heading, render_table(rows, ["#", "QUESTION", "ANSWERS", "BEST"], shrink=(1,))]


@plans.command("show")
@click.argument("plan_id", type=int, metavar="ID")
@DB_OPTION
@JSON_OPTION
def show(plan_id: int, database_url: str | None, as_json: bool) -> None:
    """One saved plan as `starcoach plan` prints it, then the progress made on each question
    since it was saved (practice answers and mock interview answers, with the best score)."""
    with _store(database_url) as store:
        saved = store.get(plan_id)
    if as_json:
        click.echo(saved.model_dump_json(indent=2))
        return
    total = len(saved.plan.questions)
    click.echo(
        f"Plan #{saved.id}, saved {_when(saved.created_at)}: "
        f"{saved.practised} of {total} questions practised"
    )
    click.echo()
    for line in [*render_plan(saved.plan), "", *render_progress(saved)]:
        click.echo(line)


@plans.command("delete")
@click.argument("plan_id", type=int, metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@DB_OPTION
def delete(plan_id: int, yes: bool, database_url: str | None) -> None:
    """Delete a saved plan. The answers you gave to its questions are kept."""
    with _store(database_url) as store:
        saved = store.get(plan_id)
        name = f"plan #{plan_id} “{saved.plan.title}”"
        if not yes and not _confirmed(f"Delete {name}? Your answers are kept."):
            click.echo(f"Kept {name}.")
            return
        store.delete(plan_id)
    click.echo(f"Deleted {name}. Your answers to its questions are kept.")


def _confirmed(prompt: str) -> bool:
    """Ask; with no answer to read (standard input closed or empty) refuse, never hang."""
    try:
        return click.confirm(prompt, default=False)
    except click.Abort:
        click.echo(err=True)  # end the unanswered prompt's line
        raise StarcoachError(
            "Nothing deleted: no answer to the confirmation. Add --yes to delete without asking."
        ) from None
