"""`starcoach analyze` and `starcoach eval`: feedback on answers, and how good that feedback is."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from ..errors import StarcoachError

# The time budget a spoken answer is shown against, as in a mock interview.
AUDIO_BUDGET = 180
STDIN_HINT = (
    "Reading your answer from standard input; finish with Ctrl-D (Ctrl-Z, Enter on Windows)."
)


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_answer(source: str) -> str:
    if source == "-":
        if stdin_is_terminal():  # someone typing, not a pipe: say what the silence means
            click.echo(STDIN_HINT, err=True)
        try:
            return sys.stdin.read()
        except UnicodeDecodeError:
            raise StarcoachError("Standard input is not UTF-8 text.") from None
    try:
        return Path(source).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StarcoachError(f"{source} is not UTF-8 text.") from None
    except OSError as exc:
        raise StarcoachError(f"Cannot read {source}: {exc.strerror or exc}") from None


@click.command()
@click.argument("source", default="-", metavar="[FILE | -]")
@click.option("--guide", "-g", "guide_id", help="Judge against this library guide.")
@click.option("--question", "-q", help="The question answered (the closest guide is used).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "jsonl"]),
    default=None,
    help="text (default) or json; jsonl with --batch (the default there).",
)
@click.option(
    "--batch",
    type=click.Path(dir_okay=False),
    help="A JSONL file of {id, guide or question, answer} lines.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for --batch (default: all cores). Output order never changes.",
)
@click.option(
    "--audio",
    type=click.Path(),
    help="A spoken answer (wav, mp3, m4a, ogg, webm): transcribed offline, then analyzed.",
)
@click.option(
    "--seconds",
    type=click.IntRange(min=1),
    default=None,
    help=f"Time budget for --audio, shown against the speaking time (default {AUDIO_BUDGET}).",
)
def analyze(
    source: str,
    guide_id: str | None,
    question: str | None,
    fmt: str | None,
    batch: str | None,
    jobs: int | None,
    audio: str | None,
    seconds: int | None,
) -> None:
    """Feedback on an answer: STAR structure, signals with evidence, flags, follow-ups.

    Reads the answer from FILE, or from standard input, or transcribes the recording given
    with --audio (needs pip install 'starcoach[speech]').
    """
    if guide_id and question:
        raise click.UsageError("Give --guide or --question, not both.")
    if seconds is not None and not audio:
        raise click.UsageError("--seconds goes with --audio.")
    if audio:
        if batch or jobs is not None or fmt == "jsonl":
            raise click.UsageError("--audio analyzes one recording: leave out --batch and --jobs.")
        if source != "-":
            raise click.UsageError(f"Give the answer as --audio or as FILE ({source}), not both.")
        _analyze_audio(audio, guide_id, question, fmt == "json", seconds or AUDIO_BUDGET)
        return
    if batch:
        if fmt in ("text", "json"):
            raise click.UsageError("--batch writes JSON lines: leave out --format or give jsonl.")
        if guide_id or question:
            raise click.UsageError("With --batch, give each line its own 'guide' or 'question'.")
        if source != "-":
            raise click.UsageError(f"Give the answers with --batch, not also as FILE ({source}).")
        _run_batch(batch, jobs or os.cpu_count() or 1)
        return
    if jobs is not None:
        raise click.UsageError("--jobs goes with --batch.")
    if fmt == "jsonl":
        raise click.UsageError("--format jsonl goes with --batch.")
    from ..api import analyze as analyze_text

    result = analyze_text(_read_answer(source), guide=guide_id, question=question)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        from .report import render_analysis

        click.echo(render_analysis(result))


def _analyze_audio(
    path: str, guide_id: str | None, question: str | None, as_json: bool, budget: int
) -> None:
    """Transcribe, then judge the transcript exactly as a typed answer is judged."""
    from ..api import analyze as analyze_text
    from .transcribe import render_delivery, render_transcript, spoken

    answer = spoken(path, budget)
    result = analyze_text(answer.transcript.text, guide=guide_id, question=question)
    if as_json:
        payload = {**result.to_dict(), "spoken": answer.model_dump(mode="json")}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return
    from .report import render_analysis

    click.echo(click.style("TRANSCRIPT", bold=True, fg="cyan"))
    click.echo(render_transcript(answer.transcript))
    click.echo()
    click.echo(render_delivery(answer.delivery))
    click.echo()
    click.echo(render_analysis(result))


def _lines(stream: TextIO) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(stream, start=1):
        if line.strip():
            yield number, line


def _one(number: int, line: str) -> dict[str, Any]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"id": None, "line": number, "error": f"line {number}: invalid JSON ({exc.msg})"}
    if not isinstance(item, dict):
        return {"id": None, "line": number, "error": f"line {number}: expected a JSON object"}
    key = item.get("id")
    answer = item.get("answer")
    if not isinstance(answer, str):
        return {"id": key, "line": number, "error": f"line {number}: 'answer' must be text"}
    for field in ("guide", "question"):
        if item.get(field) is not None and not isinstance(item[field], str):
            return {"id": key, "line": number, "error": f"line {number}: '{field}' must be text"}
    from ..api import analyze as analyze_text

    try:
        result = analyze_text(answer, guide=item.get("guide"), question=item.get("question"))
    except StarcoachError as error:
        return {"id": key, "line": number, "error": f"line {number}: {error}"}
    return {"id": key, "analysis": result.to_dict()}


def _one_line(item: tuple[int, str]) -> tuple[str, bool]:
    """One input line's output line, and whether it failed (a top-level function: picklable)."""
    result = _one(*item)
    return json.dumps(result, ensure_ascii=False), "error" in result


def _run_batch(path: str, jobs: int) -> None:
    """Analyze every line; with several jobs, in worker processes, printed in input order."""
    try:
        stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        raise StarcoachError(f"Cannot read {path}: {exc.strerror or exc}") from None
    try:
        with stream:
            lines = list(_lines(stream))
    except UnicodeDecodeError as exc:
        raise StarcoachError(
            f"{path} is not UTF-8 text (byte {exc.start}): save it as UTF-8 JSON lines."
        ) from None
    jobs = min(jobs, max(len(lines), 1))
    pool = None
    if jobs > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=jobs)
        results: Iterator[tuple[str, bool]] = pool.map(
            _one_line, lines, chunksize=max(1, len(lines) // (jobs * 8))
        )
    else:
        results = map(_one_line, lines)
    failed = 0
    try:
        with click.progressbar(
            results, length=len(lines), label="Analyzing", file=sys.stderr,
            hidden=not sys.stderr.isatty(),
        ) as progress:  # fmt: skip
            for line, error in progress:
                failed += error
                click.echo(line)
    finally:
        if pool is not None:
            pool.shutdown()
    if failed:
        click.echo(f"{failed} of {len(lines)} lines could not be analyzed.", err=True)
    if lines and failed == len(lines):
        raise click.exceptions.Exit(1)  # nothing was analyzed: a script must be able to tell


@click.command("eval")
@click.option(
    "--split", type=click.Choice(["train", "dev", "test"]), default="test", show_default=True
)
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, exists=True),
    help="The corpus folder (default: corpus/ in the source checkout).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--without-embeddings", is_flag=True, help="Ablation: switch the embedding off.")
@click.option(
    "--without-trained-weights", is_flag=True, help="Ablation: the hand-set fallbacks only."
)
def evaluate(
    split: str,
    corpus: str | None,
    as_json: bool,
    without_embeddings: bool,
    without_trained_weights: bool,
) -> None:
    """Measure the coach on the labelled corpus (needs the source checkout)."""
    from ..analysis.embedding import use_embeddings
    from ..analysis.models import use_trained_weights
    from ..evaluation.corpus import load_corpus
    from ..evaluation.evaluate import evaluate as run
    from ..evaluation.evaluate import format_report

    labelled = load_corpus(Path(corpus) if corpus else None)  # a bad corpus fails first
    use_embeddings(not without_embeddings)
    use_trained_weights(not without_trained_weights)
    try:
        report = run(labelled, split)
    finally:  # the switches are process-wide: hand the engine back as it normally runs
        use_embeddings(True)
        use_trained_weights(True)
    if as_json:
        data = report.to_dict()
        data.pop("misses")
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(format_report(report))
