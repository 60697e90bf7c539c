"""How fast the coach is: latency for a 400-word answer, batch throughput, start-up costs.

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
from starcoach.analysis.models import use_trained_weights
from starcoach.guides.library import load_library

WEIGHTS = Path(__file__).resolve().parent.parent / "src" / "starcoach" / "analysis" / "weights"


def answer_of(words: int) -> str:
    """Bundled sample answers, joined and cut to the wanted length at a sentence end."""
    text = " ".join(g.sample_answer for g in load_library(include_user=False))
    cut = " ".join(text.split()[:words])
    return cut[: cut.rfind(".") + 1]


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(fraction * len(ordered)), len(ordered) - 1)]


def in_process(runs: int, answer: str) -> tuple[float, float]:
    guide = load_library(include_user=False).get("failed-product-launch")
    analyze_answer(answer, guide=guide)  # warm the caches once, as a running server would
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        analyze_answer(answer, guide=guide)
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


def batch_throughput(answer: str, count: int) -> float:
    """Answers a second through `starcoach analyze --batch`, start-up included."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as handle:
        for i in range(count):
            handle.write(
                json.dumps({"id": i, "guide": "failed-product-launch", "answer": answer}) + "\n"
            )
    command = [sys.executable, "-m", "starcoach", "analyze", "--batch", handle.name]
    seconds = wall(command, runs=3) / 1000
    return count / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=200)
    runs = parser.parse_args().runs
    answer = answer_of(400)
    words = len(answer.split())
    p50, p95 = in_process(runs, answer)
    print(f"in-process, {words}-word answer: p50 {p50:.1f} ms, p95 {p95:.1f} ms ({runs} runs)")
    use_trained_weights(False)
    p50_rules, _ = in_process(runs // 2, answer)
    use_trained_weights(True)
    size = sum(f.stat().st_size for f in WEIGHTS.glob("*.json")) / 1e6
    print(f"  without trained weights: p50 {p50_rules:.1f} ms; weights on disk: {size:.2f} MB")
    print(
        f"batch (starcoach analyze --batch, 200 answers): "
        f"{batch_throughput(answer, 200):.0f} answers/s"
    )
    python = [sys.executable]
    print(
        f"import starcoach: {wall([*python, '-c', 'import starcoach']):.0f} ms wall "
        f"(python alone: {wall([*python, '-c', 'pass']):.0f} ms)"
    )
    print(
        f"import starcoach + engine: "
        f"{wall([*python, '-c', 'import starcoach.analysis.engine']):.0f} ms wall"
    )
    print(f"starcoach --help: {wall([*python, '-m', 'starcoach', '--help']):.0f} ms wall")
    one = [
        *python,
        "-m",
        "starcoach",
        "analyze",
        "--guide",
        "failed-product-launch",
        "--format",
        "json",
    ]
    print(f"one `starcoach analyze` call: {wall(one, stdin=answer):.0f} ms wall")


if __name__ == "__main__":
    main()
