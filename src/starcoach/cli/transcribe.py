"""`starcoach transcribe`: a recording's transcript with timings, and the helpers the other
commands use to transcribe with a progress bar and to show the delivery panel in the terminal."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ..speech.model import Delivery, SpokenAnswer, Transcript
    from ..speech.whisper import Progress


def stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


@contextmanager
def progress_bar(label: str) -> Iterator[Progress | None]:
    """A progress callback drawing a bar on stderr, or None when stderr is not a terminal (a
    pipe or a log keeps no bar characters)."""
    if not stderr_is_terminal():
        yield None
        return
    with click.progressbar(length=1000, label=label, file=sys.stderr, show_eta=True) as bar:
        done = 0

        def advance(fraction: float) -> None:
            nonlocal done
            step = round(fraction * 1000) - done
            if step > 0:
                bar.update(step)
                done += step

        yield advance
        advance(1.0)


def spoken(path: str, budget_seconds: int | None) -> SpokenAnswer:
    """Transcribe one recording with a progress bar on a terminal."""
    from ..speech import spoken_answer

    with progress_bar(f"Transcribing {Path(path).name}") as progress:
        return spoken_answer(Path(path), budget_seconds, progress=progress)


def stamp(seconds: float) -> str:
    """'1:05.3' for 65.3 seconds."""
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:04.1f}"


def render_transcript(transcript: Transcript) -> str:
    return "\n".join(f"[{stamp(s.start)} - {stamp(s.end)}] {s.text}" for s in transcript.sentences)


def render_delivery(delivery: Delivery) -> str:
    """The delivery panel as lines of text: information, never a verdict."""
    lines = [click.style("DELIVERY", bold=True, fg="cyan"), *delivery.notes]
    if len(delivery.pace) > 1:
        lines.append(
            "Pace: "
            + ", ".join(f"{stamp(p.start)} {round(p.words_per_minute)} wpm" for p in delivery.pace)
        )
    for pause in delivery.pauses:
        lines.append(f"Pause of {pause.seconds:.1f} s at {stamp(pause.start)}")
    if delivery.fillers:
        lines.append(
            "Fillers: " + ", ".join(f"{f.text} at {stamp(f.start)}" for f in delivery.fillers)
        )
    return "\n".join(lines)


@click.command()
@click.argument("file", type=click.Path(dir_okay=True))
@click.option("--json", "as_json", is_flag=True, help="Print the transcript as JSON.")
def transcribe(file: str, as_json: bool) -> None:
    """Transcribe a recording (wav, mp3, m4a, ogg or webm) offline, with timings.

    Needs the speech extra: pip install 'starcoach[speech]'.
    """
    answer = spoken(file, None)
    if as_json:
        click.echo(json.dumps(answer.transcript.model_dump(mode="json"), indent=2))
        return
    click.echo(render_transcript(answer.transcript))
    click.echo()
    click.echo(render_delivery(answer.delivery))
