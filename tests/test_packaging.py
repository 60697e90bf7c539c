"""The built wheel carries the bundled guides and works on its own, outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_the_library_and_runs(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheel = next(tmp_path.glob("starcoach-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        guides = [n for n in names if n.startswith("starcoach/guides/library/")]
        archive.extractall(tmp_path / "site")
    for needed in (
        "starcoach/web/templates/base.html",
        "starcoach/web/static/style.css",
        "starcoach/web/static/app.js",
        "starcoach/analysis/weights/components.json",
    ):
        assert needed in names, f"{needed} is missing from the wheel"
    source_guides = list((ROOT / "src" / "starcoach" / "guides" / "library").glob("*.md"))
    assert len(guides) == len(source_guides) >= 30
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "STARCOACH_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "starcoach", "guides", "list", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert result.stdout.count('"id":') == len(source_guides)
