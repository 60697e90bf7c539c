"""Retraining is reproducible: the shipped weights are exactly what the corpus gives."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_retraining_reproduces_the_shipped_score_signal_and_flag_models(tmp_path: Path) -> None:
    """The models downstream of every other (they read the engine's own output); the full
    `--check` over every step takes about a minute and is run before each release."""
    weights = ROOT / "src" / "starcoach" / "analysis" / "weights"
    before = {p.name: p.read_bytes() for p in weights.glob("*.json")}
    result = subprocess.run(
        [sys.executable, "-m", "starcoach.evaluation.train", "--check", "--only", "flags",
         "signals", "overall"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert result.stdout.strip().endswith("reproduced")
    assert {p.name: p.read_bytes() for p in weights.glob("*.json")} == before
