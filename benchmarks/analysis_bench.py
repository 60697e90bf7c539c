"""How fast the coach is: latency by answer length, the embedding's cost, batch throughput with
one and two processes, start-up, and the peak memory of one `starcoach analyze`.

Run: python benchmarks/analysis_bench.py [--runs N]
Publishes nothing itself: copy the figures into docs/performance.md with the date and machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from starcoach.analysis import analyze_answer
from starcoach.analysis.embedding import use_embeddings
from starcoach.guides.library import load_library
from starcoach.guides.search import rank

WEIGHTS = Path(__file__).resolve().parent.parent / "src" / "starcoach" / "analysis" / "weights"
PEAK_MEMORY = (
    "import resource, runpy, sys; sys.argv = ['starcoach'] + sys.argv[1:]\n"
    "try:\n    runpy.run_module('starcoach', run_name='__main__')\n"
    "except SystemExit:\n    pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)"
)


def answer_of(words: int) -> str:
    """Bundled sample answers, joined (repeated as needed) and cut at a sentence end."""
    text = " ".join(g.sample_answer for g in load_library(include_user=False))
    while len(text.split()) < words + 50:
        text = f"{text} {text}"
    cut = " ".join(text.split()[:words])
    return cut[: cut.rfind(".") + 1]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def in_process(runs: int, answer: str) -> tuple[float, float]:
    library = load_library(include_user=False)
    guide = library.get("failed-product-launch")
    guides = list(library)
    analyze_answer(answer, guide=guide, library=guides)  # warm the caches, as a server would
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        analyze_answer(answer, guide=guide, library=guides)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), percentile(samples, 0.95)


def wall(command: list[str], runs: int = 7, stdin: str | None = None) -> float:
    env = {**os.environ, "STARCOACH_HOME": tempfile.mkdtemp()}
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, input=stdin, capture_output=True, text=True, check=True, env=env)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def batch_throughput(answer: str, count: int, jobs: int) -> float:
    """Answers a second through `starcoach analyze --batch --jobs N`, start-up included."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for i in range(count):
            line = {"id": i, "guide": "failed-product-launch", "answer": answer}
            handle.write(json.dumps(line) + "\n")
    command = [sys.executable, "-m", "starcoach", "analyze", "--batch", handle.name]
    seconds = wall([*command, "--jobs", str(jobs)], runs=3) / 1000
    return count / seconds


def peak_memory_mb(answer: str) -> float:
    """Peak resident memory of one `starcoach analyze` process, in MB."""
    result = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY, "analyze", "--guide", "failed-product-launch"],
        input=answer, capture_output=True, text=True, check=True,
        env={**os.environ, "STARCOACH_HOME": tempfile.mkdtemp()},
    )  # fmt: skip
    return int(result.stderr.strip().splitlines()[-1]) / 1024


def search_cost(repeats: int) -> float:
    """Median ms of a library search over 1,000 guides (the index is built once and reused)."""
    guides = list(load_library(include_user=False))
    many = [g.with_changes(id=f"{g.id}-{i}") for i in range(29) for g in guides][:1000]
    rank(many, "conflict with a colleague")
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        rank(many, "conflict with a colleague")
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=100)
    runs = parser.parse_args().runs
    python = [sys.executable]
    short, long = answer_of(400), answer_of(3000)
    p50, p95 = in_process(runs, short)
    print(f"in process, {len(short.split())}-word answer: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    long_p50, _ = in_process(max(runs // 10, 5), long)
    print(
        f"in process, {len(long.split())}-word answer: p50 {long_p50:.1f} ms "
        f"({long_p50 / p50:.1f}x the short one)"
    )
    use_embeddings(False)
    plain_p50, _ = in_process(runs // 2, short)
    use_embeddings(True)
    size = sum(f.stat().st_size for f in WEIGHTS.rglob("*") if f.is_file()) / 1e6
    print(f"  embedding switched off: p50 {plain_p50:.1f} ms; weights on disk {size:.1f} MB")
    for jobs in (1, 2):
        rate = batch_throughput(short, 200, jobs)
        print(f"batch of 200 answers, --jobs {jobs}: {rate:.0f} answers/s (start-up included)")
    print(f"peak memory of one `starcoach analyze`: {peak_memory_mb(short):.0f} MB")
    print(f"search over 1,000 guides: {search_cost(20):.1f} ms p50")
    print(
        f"import starcoach: {wall([*python, '-c', 'import starcoach']):.0f} ms wall "
        f"(python alone: {wall([*python, '-c', 'pass']):.0f} ms)"
    )
    print(f"starcoach --help: {wall([*python, '-m', 'starcoach', '--help']):.0f} ms wall")
    one = [*python, "-m", "starcoach", "analyze", "--guide", "failed-product-launch"]
    print(f"one `starcoach analyze` call: {wall([*one, '--format', 'json'], stdin=short):.0f} ms")


if __name__ == "__main__":
    main()
