"""How well a job posting's competencies are found, and how long a plan takes.

Run: python benchmarks/plan_bench.py [--split test|tune|all] [--repeat N] [--verbose]

Reads corpus/job_descriptions/*.txt and labels.json (the competencies each posting asks for,
labelled before recognition was tuned). Precision and recall are counted over every (posting,
competency) pair of the split; the level read from each title is compared with the label too.
The recognition settings were chosen on the tune split only: the test split is the honest figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from starcoach.analysis.competencies import recognise
from starcoach.guides.library import load_library
from starcoach.plan.build import build_plan, detect_level

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "job_descriptions"


def load(split: str) -> list[tuple[str, str, dict[str, object]]]:
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))["postings"]
    return [
        (name, (CORPUS / f"{name}.txt").read_text(encoding="utf-8"), label)
        for name, label in sorted(labels.items())
        if split == "all" or label["split"] == split
    ]


def agreement(split: str, verbose: bool) -> dict[str, float]:
    """Micro precision, recall and F1 of the competencies found, and the level's accuracy."""
    hits = found_total = wanted_total = levels_right = 0
    postings = load(split)
    for name, text, label in postings:
        found = {m.name for m in recognise(text)}
        wanted = set(label["competencies"])  # type: ignore[call-overload]
        hits += len(found & wanted)
        found_total += len(found)
        wanted_total += len(wanted)
        level = detect_level(text)[0]
        levels_right += level == label["level"]
        if verbose:
            print(f"{name}: extra {sorted(found - wanted)} missed {sorted(wanted - found)}")
            print(f"  level {level} (labelled {label['level']})")
    precision = hits / found_total if found_total else 0.0
    recall = hits / wanted_total if wanted_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "postings": len(postings),
        "labelled": wanted_total,
        "found": found_total,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "level accuracy": levels_right / len(postings) if postings else 0.0,
    }


def timing(repeat: int) -> dict[str, float]:
    """Milliseconds per plan over every posting, warm (the engine loaded, as in the web app)."""
    guides = list(load_library(include_user=False))
    texts = [text for _, text, _ in load("all")]
    build_plan(texts[0], guides)  # load the embedding and the library index once
    samples = []
    for _ in range(repeat):
        for text in texts:
            start = time.perf_counter()
            build_plan(text, guides)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "median ms": statistics.median(samples),
        "p95 ms": samples[int(0.95 * (len(samples) - 1))],
        "max ms": samples[-1],
    }


FIRST_PLAN = """
import time
from pathlib import Path
from starcoach.guides.library import load_library
from starcoach.plan.build import build_plan
text = Path({path!r}).read_text(encoding="utf-8")
guides = list(load_library(include_user=False))
start = time.perf_counter()
build_plan(text, guides)
print(time.perf_counter() - start)
"""


def first_plan_seconds() -> float:
    """The first plan in a fresh process, which loads the embedding and indexes the library."""
    script = FIRST_PLAN.format(path=str(CORPUS / "senior-backend-engineer.txt"))
    done = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    )
    return float(done.stdout.strip())


def cold_seconds() -> float:
    """`starcoach plan` from a fresh process, end to end (imports, database, library, plan)."""
    posting = CORPUS / "senior-backend-engineer.txt"
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "starcoach", "plan", str(posting)],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=["test", "tune", "all"], default="test")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args()
    figures = agreement(options.split, options.verbose)
    print(f"Competencies on the {options.split} split:")
    for key, value in figures.items():
        print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")
    print("Time per plan:")
    for key, value in timing(options.repeat).items():
        print(f"  {key}: {value:.1f}")
    print(f"  first plan in a new process: {first_plan_seconds():.2f} s")
    print(f"  `starcoach plan` in a new process: {cold_seconds():.2f} s")


if __name__ == "__main__":
    main()
