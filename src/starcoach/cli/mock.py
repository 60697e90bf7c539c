"""`starcoach mock`: a mock interview in the terminal, typed or scripted from a file."""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from typing import TYPE_CHECKING, Any, TextIO

import click
from click.core import ParameterSource

from ..errors import AnswerError, StarcoachError
from .output import write_output
from .render import render_table, wrap

if TYPE_CHECKING:
    from ..mock.script import Reply, ScriptItem
    from ..services import Services


class TitleTimer:
    """Shows the time spent on the current answer in the terminal's title bar, every second,
    so it stays visible without disturbing what is being typed. The title is cleared when the
    answer ends, however it ends (Ctrl-C included), so no stale timer is left behind."""

    def __init__(self, budget: int, stream: TextIO | None = None) -> None:
        self.budget = budget
        self.stream = stream or sys.stdout
        self.start = time.monotonic()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TitleTimer:
        if self.stream.isatty():
            self.thread.start()
        return self

    def _run(self) -> None:
        while not self.stop_event.wait(1.0):
            self._title(f"starcoach {clock(self.elapsed)} of {clock(self.budget)}")

    def _title(self, text: str) -> None:
        self.stream.write(f"\033]0;{text}\007")
        self.stream.flush()

    @property
    def elapsed(self) -> int:
        return round(time.monotonic() - self.start)

    def __exit__(self, *_: object) -> None:
        self.stop_event.set()
        if self.thread.is_alive():
            self.thread.join()
            self._title("")


def clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


END_OF_ANSWER = "."
HOW_TO_FINISH = "Finish each answer with a line holding only a full stop (.), or press Ctrl-D."


def _typed_answer() -> str | None:
    """Lines up to one holding only '.', or the end of input; blank lines are paragraph
    breaks, so a pasted answer of several paragraphs stays one answer. None when the input
    ended before anything was typed."""
    lines: list[str] = []
    while True:
        try:
            line = input()
        except EOFError:
            break
        if line.strip() == END_OF_ANSWER:
            return "\n".join(lines).strip()
        lines.append(line)
    text = "\n".join(lines).strip()
    return text or None


def _print_prompt(prompt: dict[str, Any], err: bool = False) -> None:
    where = f"Question {prompt['number']} of {prompt['of']}"
    if prompt["kind"] == "followup":
        where += f" · follow-up {prompt['followup']} of {prompt['followups']}"
    click.echo("\n" + click.style(where, fg="cyan", bold=True), err=err)
    click.echo("\n".join(wrap(prompt["text"], 2)), err=err)


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


def _stopped(session_id: int) -> str:
    return (
        f"Session #{session_id} is saved as far as it got; continue it with: "
        f"starcoach mock resume {session_id}"
    )


def _interview(services: Services, view: dict[str, Any], *, quiet: bool) -> dict[str, Any]:
    """Ask each prompt at the keyboard until the session ends. A refused answer (too short,
    not English...) is explained and the same prompt asked again; nothing already answered
    is lost if the user stops (Ctrl-C or end of input), since every answer is saved. With
    `quiet` (--json) the prompts go to stderr, so stdout holds only the JSON."""
    from ..mock.session import SessionMovedOnError

    seconds = view["track"]["seconds_per_answer"]
    while not view["finished"]:
        _print_prompt(view["prompt"], err=quiet)
        with TitleTimer(seconds) as timer:
            answer = _typed_answer()
        if answer is None:
            raise StarcoachError(f"The input ended before an answer. {_stopped(view['id'])}")
        try:
            view = services.mock.answer(view["id"], answer, timer.elapsed)
        except AnswerError as error:
            click.echo(f"  {error} Please answer again.", err=True)
            view = services.mock.get(view["id"])
            continue
        except SessionMovedOnError as error:
            click.echo(f"  {error}", err=True)
            view = services.mock.get(view["id"])
            continue
        over = " (over time)" if timer.elapsed > seconds else ""
        click.echo(
            click.style(f"  ⏱ {clock(timer.elapsed)} of {clock(seconds)}{over}", dim=True),
            err=quiet,
        )
    return view


def _scripted(
    services: Services, view: dict[str, Any], script: list[ScriptItem], *, quiet: bool
) -> dict[str, Any]:
    """Answer from the file: each main answer, then as many of its follow-up answers as the
    interviewer asks for; a follow-up the file has no answer for is skipped, and said so."""
    for number, item in enumerate(script, start=1):
        if not quiet:
            _print_prompt(view["prompt"])
        view = _give(services, view, item.answer)
        spare = list(item.follow_ups)
        while view["prompt"] and view["prompt"]["kind"] == "followup":
            prompt = view["prompt"]
            if not quiet:
                _print_prompt(prompt)
            if not spare:
                click.echo(
                    f"No answer in the file for follow-up {prompt['followup']} of question "
                    f"{number}: skipped.",
                    err=True,
                )
                view = services.mock.skip_followups(view["id"])
                break
            view = _give(services, view, spare.pop(0))
        if spare:
            click.echo(
                f"Question {number} had fewer follow-ups than the file answers: "
                f"{len(spare)} follow-up answer(s) not used.",
                err=True,
            )
    return view


def _give(services: Services, view: dict[str, Any], reply: Reply) -> dict[str, Any]:
    """Answer the current prompt; a recording's answer keeps its transcript and delivery."""
    if reply.spoken is None:
        return services.mock.answer(view["id"], reply.text)
    seconds = round(reply.spoken.delivery.speaking_seconds)
    spoken = reply.spoken.model_dump(mode="json")
    return services.mock.answer(view["id"], reply.text, seconds, spoken=spoken)


def _finish(view: dict[str, Any], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(view, indent=2, ensure_ascii=False))
        return
    _print_report(view)
    click.echo(
        f"\nSaved as session #{view['id']}. Export it: starcoach mock report "
        f"{view['id']} --format pdf -o interview.pdf"
    )


def _keyboard(services: Services, view: dict[str, Any], *, quiet: bool) -> None:
    """The interactive interview, with Ctrl-C leaving a resumable session and a clean title."""
    seconds = view["track"]["seconds_per_answer"]
    click.echo(f"You have {clock(seconds)} per answer. {HOW_TO_FINISH}", err=quiet)
    try:
        view = _interview(services, view, quiet=quiet)
    except KeyboardInterrupt:
        click.echo(f"\nStopped. {_stopped(view['id'])}", err=True)
        raise click.exceptions.Exit(130) from None
    _finish(view, quiet)


@click.group(invoke_without_command=True)
@click.option("--track", help="A themed loop's id: see `starcoach mock tracks`.")
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

    Choose the questions with --track, or --guides, or --level and --competency. Finish each
    typed answer with a line holding only a full stop (.), or Ctrl-D; blank lines inside an
    answer are kept. Every answer is saved: see sessions with `starcoach mock list`, continue
    one with `starcoach mock resume ID`, export it with `starcoach mock report ID`.
    """
    if ctx.invoked_subcommand is not None:
        given = [
            max(param.opts, key=len)
            for param in ctx.command.params
            if param.name and ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE
        ]
        if given:  # they would be ignored: say so rather than run without them
            raise click.UsageError(
                f"{', '.join(given)} start a new interview; `mock {ctx.invoked_subcommand}` "
                "takes its own options (see --help)."
            )
        return
    from ..mock.script import read_script
    from ..mock.tracks import choose_questions
    from ..services import open_services

    guide_ids = tuple(g.strip() for g in guides.split(",") if g.strip()) if guides else ()
    if guides is not None and not guide_ids:
        raise click.UsageError("--guides needs guide ids, comma separated.")
    explicit_length = ctx.get_parameter_source("length") is ParameterSource.COMMANDLINE
    if guide_ids and explicit_length and length != len(guide_ids):
        raise click.UsageError(
            f"--length {length} does not match the {len(guide_ids)} guides given; "
            "leave out --length with --guides."
        )
    services = open_services(database_url)
    options: dict[str, Any] = {
        "track": track,
        "level": level,
        "competencies": competencies,
        "guides": guide_ids,
        "length": len(guide_ids) or length,
    }
    _, chosen = choose_questions(services.library, **options)
    script = (
        read_script(
            answers_path,
            len(chosen),
            budget_seconds=seconds,
            on_audio=lambda recording: click.echo(f"Transcribing {recording} ...", err=True),
        )
        if answers_path
        else None
    )
    view = services.mock.start(**options, seconds_per_answer=seconds)
    if not as_json:
        click.echo(
            click.style(f"Mock interview #{view['id']}: {view['track']['label']}", bold=True)
        )
    if script is None:
        _keyboard(services, view, quiet=as_json)
        return
    try:
        view = _scripted(services, view, script, quiet=as_json)
    except BaseException:
        with contextlib.suppress(StarcoachError):
            services.mock.delete(view["id"])  # a failed scripted run leaves no half session
        raise
    _finish(view, as_json)


@mock.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option("--db", "database_url", metavar="URL", help="Database URL.")
def list_sessions(as_json: bool, database_url: str | None) -> None:
    """Your mock interviews, newest first: id, track, progress, when started and finished."""
    from ..services import open_services

    sessions = open_services(database_url).mock.sessions()
    if as_json:
        click.echo(json.dumps(sessions, indent=2, ensure_ascii=False))
        return
    if not sessions:
        click.echo("No mock interviews yet. Start one: starcoach mock --track new-graduate")
        return
    rows = [
        [
            str(s["id"]),
            "finished" if s["finished"] else f"at question {s['answered'] + 1} of {s['questions']}",
            _when(s["started_at"]),
            _when(s["finished_at"]) or "-",
            s["track"],
        ]
        for s in sessions
    ]
    click.echo(render_table(rows, ["ID", "PROGRESS", "STARTED", "FINISHED", "TRACK"], shrink=(4,)))


def _when(stamp: str | None) -> str:
    return stamp[:16].replace("T", " ") if stamp else ""


@mock.command("tracks")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a list.")
def list_tracks(as_json: bool) -> None:
    """The themed loops --track takes: id, title, what they ask about and their questions."""
    from ..mock.tracks import TRACKS

    if as_json:
        tracks = [track.model_dump(mode="json") for track in TRACKS.values()]
        click.echo(json.dumps(tracks, indent=2, ensure_ascii=False))
        return
    for track in TRACKS.values():
        click.echo(click.style(track.id, bold=True) + f"  {track.title}")
        click.echo(f"  {track.description}")
        click.echo(f"  {', '.join(track.guides)}")


@mock.command("resume")
@click.argument("session_id", type=int)
@click.option("--db", "database_url", metavar="URL", help="Database URL.")
@click.option("--json", "as_json", is_flag=True, help="Print the final session as JSON.")
def resume(session_id: int, database_url: str | None, as_json: bool) -> None:
    """Continue an unfinished mock interview at its current question."""
    from ..services import open_services

    services = open_services(database_url)
    view = services.mock.get(session_id)
    if view["finished"]:
        raise StarcoachError(
            f"Mock session #{session_id} is finished. See it with: "
            f"starcoach mock report {session_id}"
        )
    if not as_json:
        click.echo(
            click.style(f"Mock interview #{view['id']}: {view['track']['label']}", bold=True)
        )
    _keyboard(services, view, quiet=as_json)


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
