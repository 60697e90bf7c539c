"""benchmarks/isolation_walk.py, the figures of docs/performance.md's isolation section, runs and
finds nothing: every route walked as another candidate, a coach of another cohort and a visitor
answers without the owner's marker, and the owner's data is unchanged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "isolation_walk.py"


def test_the_walk_finds_no_leak_and_changes_nothing(database_url: str) -> None:
    run = subprocess.run(
        [sys.executable, str(SCRIPT), "--db", database_url],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    rows = [line for line in run.stdout.splitlines() if line.startswith(("| Bo", "| Dev", "| vis"))]
    assert len(rows) == 3
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert int(cells[1]) > 100 and cells[3] == "0", row  # every route; no marker
    assert "unchanged after the walks: yes" in run.stdout
