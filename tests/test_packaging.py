"""The built wheel carries the bundled guides and works on its own, outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built as a wheel, once for this file's tests."""
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(folder), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    return next(folder.glob("starcoach-*.whl"))


def test_wheel_ships_the_library_and_runs(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        guides = [n for n in names if n.startswith("starcoach/guides/library/")]
        archive.extractall(tmp_path / "site")
    for needed in (
        "starcoach/web/templates/base.html",
        "starcoach/web/static/style.css",
        "starcoach/web/static/app.js",
        "starcoach/analysis/weights/components.json",
        "starcoach/analysis/weights/embedding/model.safetensors",
        "starcoach/analysis/data/lexicon.yaml",
        "starcoach/analysis/data/flags.yaml",
        "starcoach/speech/data/fillers.yaml",
        "starcoach/guides/data/signals.yaml",
        "starcoach/guides/data/themes.yaml",
        "starcoach/mock/fonts/DejaVuSans.ttf",
        "starcoach/mock/fonts/DejaVuSans-Bold.ttf",
        "starcoach/mock/fonts/LICENSE-DejaVu.txt",
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


def test_installed_wheel_analyzes_offline(wheel: Path, tmp_path: Path) -> None:
    """The embedding and every weight load from the wheel, with no network and no source tree."""
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "STARCOACH_HOME": str(tmp_path),
           "HF_HUB_OFFLINE": "1", "NO_PROXY": "*", "HTTPS_PROXY": "http://127.0.0.1:9"}  # fmt: skip
    answer = (
        "Last spring I led the night shift at a warehouse. I rebuilt the pick labels myself and "
        "errors fell from 6 percent to 1 percent in six weeks. Since then I check labels monthly."
    )
    result = subprocess.run(
        [sys.executable, "-m", "starcoach", "analyze", "--guide", "failed-product-launch",
         "--format", "json"],
        input=answer, cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert '"breakdown"' in result.stdout and '"relevance"' in result.stdout
