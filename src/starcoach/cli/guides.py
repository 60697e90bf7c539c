"""`starcoach guides ...`: browse, convert, import, edit, export and lint question guides."""

from __future__ import annotations

import json
import random as random_module
import sys
from pathlib import Path
from typing import Any

import click

from ..config import DataFolderError
from ..errors import GuideFormatError, StarcoachError
from ..guides.edit import (
    GuideEditError,
    draft_path,
    drop_draft,
    editable,
    keep_draft,
    markdown_of,
    parse_edit,
    save_edit,
)
from ..guides.formats import FORMATS, SUFFIXES, read_guide, read_guide_file, write_guide
from ..guides.library import (
    BUNDLED,
    bundled_guide_files,
    load_library,
    reason_for,
    save_user_guides,
    user_guide_files,
)
from ..guides.lint import ERROR, Problem, lint
from ..guides.llm_writer import DEFAULT_ATTEMPTS, MAX_ATTEMPTS, write_with_model
from ..guides.model import Guide
from .output import write_output
from .render import render_guide, render_table

FORMAT_CHOICE = click.Choice(FORMATS, case_sensitive=False)


def _filters(function: Any) -> Any:
    """The filters shared by `list` and `random`."""
    options = [
        click.option("--competency", "-c", help="Only guides that assess this competency."),
        click.option("--level", "-l", help="Entry, Mid, Senior, Staff/Principal or Executive."),
        click.option("--category", help="For example Behavioral or Leadership."),
        click.option("--search", "-s", help="Free text, ranked by relevance."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _summary(guide: Guide, score: float | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": guide.id,
        "title": guide.title,
        "category": guide.category,
        "level": guide.level,
        "competencies": list(guide.competencies),
        "question": guide.question,
    }
    if score is not None:
        data["relevance"] = score
    return data


def _read_input(path: str, fmt: str | None) -> Guide:
    if path == "-":
        try:
            text = sys.stdin.read()
        except UnicodeDecodeError as exc:
            raise GuideFormatError(f"not UTF-8 text (byte {exc.start})", source="<stdin>") from None
        return read_guide(text, "<stdin>", fmt)
    return read_guide_file(path, fmt)


@click.group()
def guides() -> None:
    """Browse and convert question guides."""


@guides.command("list")
@_filters
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_guides(as_json: bool, **filters: str | None) -> None:
    """List guides, filtered and (with --search) ranked by relevance."""
    found = load_library().filter(**filters)
    if as_json:
        click.echo(json.dumps([_summary(g, s) for g, s in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("No guides match. Try fewer filters, or `starcoach guides list` for all.")
        return
    rows = [[g.id, g.level, g.title, ", ".join(g.competencies)] for g, _ in found]
    headers = ["ID", "LEVEL", "TITLE", "COMPETENCIES"]
    click.echo(render_table(rows, headers, shrink=(3, 2), drop=(3, 1)))
    noun = "guide" if len(found) == 1 else "guides"
    click.echo(
        click.style(f"\n{len(found)} {noun}. Show one with: starcoach guides show ID", dim=True)
    )


@guides.command()
@click.argument("guide_id")
@click.option("--to", "fmt", type=FORMAT_CHOICE, help="Print in this format instead.")
def show(guide_id: str, fmt: str | None) -> None:
    """Show a whole guide, section by section."""
    guide = load_library().get(guide_id)
    click.echo(write_guide(guide, fmt.lower()) if fmt else render_guide(guide), nl=not fmt)


@guides.command()
@_filters
@click.option("--seed", type=int, help="Make the pick repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def random(seed: int | None, as_json: bool, **filters: str | None) -> None:
    """Pick a practice question at random (with the same filters as `list`)."""
    found = load_library().filter(**filters)
    if not found:
        raise StarcoachError("No guide matches those filters.")
    guide = random_module.Random(seed).choice([g for g, _ in found])
    if as_json:
        click.echo(json.dumps(_summary(guide), indent=2, ensure_ascii=False))
        return
    click.echo(click.style(f"{guide.title}  ({guide.level}, id: {guide.id})", bold=True))
    click.echo(f"\n{guide.question}\n")
    click.echo(click.style(f"Read the guide: starcoach guides show {guide.id}", dim=True))


@guides.command()
@click.argument("question")
@click.option("--level", "-l", help="Entry, Mid (default), Senior, Staff/Principal or Executive.")
@click.option("--role", "-r", help='The role you are interviewing for, e.g. "Nurse manager".')
@click.option("--to", "fmt", type=FORMAT_CHOICE, help="Print in this format instead.")
@click.option("--save", is_flag=True, help="Also save it to your own library.")
@click.option("--replace", is_flag=True, help="With --save: replace a guide with the same id.")
@click.option("--model", "-m", help="A model llm knows: it writes the whole guide (llm extra).")
@click.option(
    "--attempts",
    type=click.IntRange(1, MAX_ATTEMPTS),
    default=DEFAULT_ATTEMPTS,
    show_default=True,
    help="With --model: tries before giving up.",
)
def new(
    question: str,
    level: str | None,
    role: str | None,
    fmt: str | None,
    save: bool,
    replace: bool,
    model: str | None,
    attempts: int,
) -> None:
    """Write a guide for any question: offline, signals, clarifying questions, a cheat code and
    a STAR skeleton to fill with your own story; with --model, a whole guide with a model
    answer that passes our checks (docs/guide-generation.md)."""
    if replace and not save:
        raise StarcoachError("--replace only makes sense with --save.")
    from ..guides.generate import generate_guide  # loads the engine: only when writing a guide

    library = load_library()
    if model:
        guide = write_with_model(
            question, list(library), model=model, level=level, role=role, attempts=attempts
        )
    else:
        guide = generate_guide(question, list(library), level=level, role=role)
    if save:
        (path,) = save_user_guides([guide], library, replace=replace)
    click.echo(write_guide(guide, fmt.lower()) if fmt else render_guide(guide), nl=not fmt)
    if save:
        click.echo(f"Saved '{guide.id}' -> {path}", err=True)


@guides.command()
@click.argument("path")
@click.option("--to", "fmt", type=FORMAT_CHOICE, required=True, help="The format to print.")
@click.option("--from", "source_fmt", type=FORMAT_CHOICE, help="Skip format detection.")
def convert(path: str, fmt: str, source_fmt: str | None) -> None:
    """Read a guide file (or - for stdin) in any format and print it in another."""
    guide = _read_input(path, source_fmt.lower() if source_fmt else None)
    click.echo(write_guide(guide, fmt.lower()), nl=False)


@guides.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--replace", is_flag=True, help="Replace guides that have the same id.")
def import_guides(paths: tuple[str, ...], replace: bool) -> None:
    """Add guide files (any format) to your own library."""
    loaded = [(path, _read_input(path, None)) for path in paths]
    errors = [p for p in lint(loaded) if p.severity == ERROR]
    if errors:
        raise StarcoachError("Nothing was imported:\n" + "\n".join(map(str, errors)))
    written = save_user_guides([g for _, g in loaded], load_library(), replace=replace)
    for path, (_, guide) in zip(written, loaded, strict=True):
        click.echo(f"Imported '{guide.id}' -> {path}")


@guides.command()
@click.argument("guide_id")
@click.option(
    "--copy", is_flag=True, help="A bundled guide: save your edit as your own copy (same id)."
)
@click.option("--strict", is_flag=True, help="Refuse lint warnings too, not only errors.")
@click.option("--discard", is_flag=True, help="Drop an edit kept after an error; start afresh.")
def edit(guide_id: str, copy: bool, strict: bool, discard: bool) -> None:
    """Edit one of your guides as Markdown in $VISUAL or $EDITOR. It is saved only if it
    parses and passes lint; otherwise your text is kept and reopened next time."""
    library = load_library()
    if copy:
        library.get(guide_id)
    else:
        editable(
            library,
            guide_id,
            how_to_copy=f"Edit your own copy with: starcoach guides edit {guide_id} --copy",
        )
    draft = draft_path(guide_id)
    if discard:
        drop_draft(guide_id)
    text = markdown_of(library.get(guide_id))
    if draft.is_file():
        text = draft.read_text(encoding="utf-8")
        click.echo(f"Reopening your unsaved edit from {draft} (--discard starts afresh).", err=True)
    edited = click.edit(text, extension=".md", require_save=True)
    if edited is None:
        click.echo("No changes: nothing was saved.", err=True)
        return
    try:
        guide, warnings = parse_edit(edited, guide_id, "your edit")
        if strict and warnings:
            raise GuideEditError(guide_id, warnings)
    except GuideEditError as error:
        raise GuideEditError(guide_id, error.problems, keep_draft(guide_id, edited)) from None
    was_bundled = library.origins[guide_id] == BUNDLED
    try:
        path = save_edit(guide, library)
    except DataFolderError as error:
        kept = keep_draft(guide_id, edited)
        raise DataFolderError(f"{error} Your edited text is kept in {kept}.") from None
    drop_draft(guide_id)
    for warning in warnings:
        click.echo(click.style("Warning: ", fg="yellow", bold=True) + str(warning), err=True)
    if was_bundled:
        click.echo(
            f"Saved your copy of '{guide_id}' -> {path}; it replaces the bundled guide "
            "(delete the file to get the bundled one back).",
            err=True,
        )
    else:
        click.echo(f"Saved '{guide_id}' -> {path}", err=True)


@guides.command()
@click.argument("guide_id")
@click.option("--to", "fmt", type=FORMAT_CHOICE, default="markdown", show_default=True)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True),
    help="Write to this file (default: print).",
)
def export(guide_id: str, fmt: str, output: str | None) -> None:
    """Write one guide out in the chosen format."""
    text = write_guide(load_library().get(guide_id), fmt.lower())
    if output is None:
        click.echo(text, nl=False)
        return
    write_output(output, text)
    click.echo(f"Wrote {output}", err=True)


@guides.command("lint")
@click.argument("paths", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def lint_command(paths: tuple[str, ...], strict: bool) -> None:
    """Check guide files (default: the bundled library and your own) for problems."""
    pairs, unreadable = _lint_targets(paths)
    problems = unreadable + lint(pairs)
    for problem in problems:
        color = "red" if problem.severity == ERROR else "yellow"
        click.echo(click.style(str(problem), fg=color))
    failing = [p for p in problems if p.severity == ERROR or strict]
    click.echo(_lint_summary(len(pairs) + len(unreadable), problems))
    if failing:
        sys.exit(1)


def _lint_targets(paths: tuple[str, ...]) -> tuple[list[tuple[str, Guide]], list[Problem]]:
    """The guides to check, and a problem for each file that cannot be read at all: every
    file is tried, so one unreadable file does not hide the others."""
    if not paths:
        pairs = [(name, read_guide(text, name, "markdown")) for name, text in bundled_guide_files()]
        files = user_guide_files()
    else:
        pairs, files = [], []
        for path in map(Path, paths):
            if _is_folder(path):
                files += sorted(
                    f for f in path.iterdir() if f.suffix in {*SUFFIXES.values(), ".yml"}
                )
            else:
                files.append(path)
    unreadable = []
    for file in files:
        try:
            pairs.append((str(file), read_guide_file(file)))
        except StarcoachError as error:
            unreadable.append(Problem(str(file), "?", ERROR, reason_for(error)))
    return pairs, unreadable


def _is_folder(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long, say: reading it as a file gives the reason
        return False


def _lint_summary(count: int, problems: list[Problem]) -> str:
    errors = sum(p.severity == ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{count} guides checked: {errors} errors, {warnings} warnings."
