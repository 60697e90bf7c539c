"""`starcoach stories ...`: the story bank in the terminal."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from ..errors import StarcoachError
from ..stories.files import (
    MAX_FILE_BYTES,
    read_story,
    read_story_bytes,
    read_story_file,
    write_body,
    write_story,
)
from ..stories.model import Story, StoryError
from .render import render_table, wrap

DB_OPTION = click.option(
    "--db", "database_url", metavar="URL", help="Database URL (default: SQLite in STARCOACH_HOME)."
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _bank(database_url: str | None) -> Any:
    from ..services import open_services

    return open_services(database_url).stories


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _summary(story: Story) -> str:
    analysis = story.analysis or {}
    lines = [click.style(f"#{story.id} {story.title}", bold=True)]
    if story.role or story.date:
        lines.append(click.style(" · ".join(filter(None, [story.role, story.date])), dim=True))
    lines.append("Competencies: " + (", ".join(story.competencies) or "none yet"))
    if analysis.get("error"):
        lines += wrap(analysis["error"], 2, "! ")
    if analysis.get("suggested_competencies"):
        lines.append("It shows: " + ", ".join(analysis["suggested_competencies"]))
    for gap in analysis.get("gaps", []):
        lines += wrap(gap["message"], 2, "! ")
    return "\n".join(lines)


@click.group()
def stories() -> None:
    """Your story bank: true stories to bend to many questions."""


@stories.command("add")
@click.argument("path")
@DB_OPTION
@JSON_OPTION
def add(path: str, database_url: str | None, as_json: bool) -> None:
    """Add a story from a file (Markdown with front matter, YAML or JSON; - for stdin)."""
    story = _read_stdin() if path == "-" else read_story_file(path)
    _print(_bank(database_url).add(story), as_json)


def _read_stdin() -> Story:
    if sys.stdin.isatty():
        click.echo("Reading the story from standard input; end it with Ctrl-D.", err=True)
    return read_story_bytes(sys.stdin.buffer.read(MAX_FILE_BYTES + 1), "<stdin>")


def _print(story: Story, as_json: bool) -> None:
    if as_json:
        _echo_json(story.to_dict())
    else:
        click.echo(_summary(story))
    error = (story.analysis or {}).get("error")
    if error:
        warning = f"story #{story.id} is saved. {error}"
        click.echo(click.style("Warning: ", fg="yellow", bold=True) + warning, err=True)


@stories.command("list")
@DB_OPTION
@JSON_OPTION
def list_stories(database_url: str | None, as_json: bool) -> None:
    """List your stories."""
    found = _bank(database_url).stories()
    if as_json:
        _echo_json([s.to_dict() for s in found])
        return
    if not found:
        click.echo("No stories yet. Add one with: starcoach stories add story.md")
        return
    rows = [[str(s.id), s.title, ", ".join(s.competencies)] for s in found]
    click.echo(render_table(rows, ["ID", "TITLE", "COMPETENCIES"], shrink=(2, 1)))


@stories.command("show")
@click.argument("story_id", type=int)
@DB_OPTION
@JSON_OPTION
def show(story_id: int, database_url: str | None, as_json: bool) -> None:
    """Show a story with its analysis."""
    story = _bank(database_url).get(story_id)
    if as_json:
        _echo_json(story.to_dict())
        return
    click.echo(_summary(story) + "\n")
    click.echo(write_body(story).rstrip())


@stories.command("edit")
@click.argument("story_id", type=int)
@click.option(
    "--file",
    "path",
    type=click.Path(exists=True, dir_okay=False),
    help="Replace the story with this file instead of opening an editor.",
)
@DB_OPTION
@JSON_OPTION
def edit(story_id: int, path: str | None, database_url: str | None, as_json: bool) -> None:
    """Edit a story in your $EDITOR (or replace it from --file); it is analyzed again."""
    bank = _bank(database_url)
    current = bank.get(story_id)
    if path:
        story = read_story_file(path)
    else:
        edited = click.edit(write_story(current), extension=".md")
        if edited is None:
            click.echo("No change.")
            return
        try:
            _print(bank.update(story_id, read_story(edited, "the edited story")), as_json)
        except StarcoachError as error:
            raise StoryError(f"{error} (your edit is kept in {_keep(edited, story_id)})") from None
        return
    _print(bank.update(story_id, story), as_json)


def _keep(text: str, story_id: int) -> Path:
    """Save a refused edit where the user will find it: the current folder (never over an
    earlier refused edit), else a temporary file."""
    try:
        for number in range(1, 1000):
            suffix = "" if number == 1 else f"-{number}"
            path = Path.cwd() / f"story-{story_id}-edit{suffix}.md"
            try:
                with path.open("x", encoding="utf-8") as handle:
                    handle.write(text)
                return path
            except FileExistsError:
                continue
    except OSError:
        pass
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", prefix=f"story-{story_id}-", suffix=".md", delete=False
    ) as temporary:
        temporary.write(text)
    return Path(temporary.name)


@stories.command("rm")
@click.argument("story_id", type=int)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@DB_OPTION
def remove(story_id: int, yes: bool, database_url: str | None) -> None:
    """Delete a story."""
    bank = _bank(database_url)
    story = bank.get(story_id)
    if not yes:
        click.confirm(f"Delete '{story.title}'?", abort=True)
    bank.delete(story_id)
    click.echo(f"Deleted #{story_id} {story.title}")


@stories.command("coverage")
@DB_OPTION
@JSON_OPTION
def coverage(database_url: str | None, as_json: bool) -> None:
    """Competencies against stories: strong, weak or none, and questions you are not ready for."""
    report = _bank(database_url).coverage()
    if as_json:
        _echo_json(report)
        return
    rows = [
        [r["competency"], r["status"], _best(r["best_title"], r["best_source"])]
        for r in report["competencies"]
    ]
    click.echo(render_table(rows, ["COMPETENCY", "STATUS", "BEST STORY"]))
    if any(r["best_source"] == "suggested" for r in report["competencies"]):
        click.echo("* found by the analysis, not among the story's competencies")
    click.echo(f"\nReady for {report['ready']} of {report['questions']} library questions.")
    for question in report["not_ready"][:10]:
        click.echo(f"  not ready: {question['title']} (needs {' and '.join(question['missing'])})")


def _best(title: str | None, source: str | None) -> str:
    return "-" if title is None else title + (" *" if source == "suggested" else "")


@stories.command("match")
@click.option("--question", "-q", required=True, help="The question, from the library or not.")
@DB_OPTION
@JSON_OPTION
def match(question: str, database_url: str | None, as_json: bool) -> None:
    """Your stories ranked by fit for a question, with a reason each."""
    ranked = _bank(database_url).match(question)
    if as_json:
        _echo_json(ranked)
        return
    if not ranked:
        click.echo("No stories yet. Add one with: starcoach stories add story.md")
    for number, item in enumerate(ranked, start=1):
        click.echo(f"{number}. #{item['story']} {item['title']}: {item['reason']}")
