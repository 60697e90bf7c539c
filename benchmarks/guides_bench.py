"""How long the guide layer takes: loading the bundled library, converting, searching.

Run: python benchmarks/guides_bench.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from starcoach.guides.formats import FORMATS, read_guide, write_guide
from starcoach.guides.library import load_library

SEED = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "seed_000.txt"


def timed(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and 95th percentile in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=50)
    repeat = parser.parse_args().repeat
    library = load_library(include_user=False)
    guides = list(library)
    seed_text = SEED.read_text(encoding="utf-8")
    rows = [
        (
            f"load bundled library ({len(guides)} guides)",
            lambda: load_library(include_user=False),
        ),
        ("read the seed file", lambda: read_guide(seed_text)),
        ("search 'conflict with a peer'", lambda: library.filter(search="conflict with a peer")),
    ]
    for fmt in FORMATS:
        texts = [write_guide(g, fmt) for g in guides]
        rows.append(
            (f"read all {len(guides)} guides as {fmt}", lambda t=texts: [read_guide(x) for x in t])
        )
    print(f"{'operation':45} {'p50 ms':>9} {'p95 ms':>9}")
    for name, function in rows:
        p50, p95 = timed(function, repeat)
        print(f"{name:45} {p50:9.2f} {p95:9.2f}")
    commands = {
        "starcoach --help": [sys.executable, "-m", "starcoach", "--help"],
        "starcoach guides list": [sys.executable, "-m", "starcoach", "guides", "list"],
    }
    for name, command in commands.items():
        p50, p95 = timed(lambda c=command: subprocess.run(c, capture_output=True, check=True), 10)
        print(f"{'wall time: ' + name:45} {p50:9.2f} {p95:9.2f}")


if __name__ == "__main__":
    main()
