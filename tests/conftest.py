"""Shared fixtures: every test gets its own empty STARCOACH_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from starcoach.guides.library import Library, load_library

FIXTURES = Path(__file__).parent / "fixtures"
SEED_PATH = FIXTURES / "seed_000.txt"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "starcoach-home"
    monkeypatch.setenv("STARCOACH_HOME", str(folder))
    return folder


@pytest.fixture
def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(include_user=False)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="session")
def strong_answer(library: Library) -> str:
    """A strong sample answer from the library, as one text."""
    return library.get("failed-product-launch").sample_answer
