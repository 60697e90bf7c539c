"""`starcoach guides new --model`: a fake model registered with `llm`'s plugin hook, as llm's own
tests do, answers from a queue; nothing needs a network or a real model."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from starcoach.cli import cli
from starcoach.guides.formats import write_guide
from starcoach.guides.library import Library, load_library
from starcoach.guides.lint import check_guide
from starcoach.guides.llm_writer import ModelGuideError, write_with_model

llm = pytest.importorskip("llm")

QUESTION = (
    "Tell me about a time you clashed with a fellow nurse over how a shift handover was done."
)


class QueuedModel(llm.Model):  # type: ignore[misc]
    """Answers each prompt with the next queued text and keeps the prompts it was sent."""

    model_id = "starcoach-fake"

    def __init__(self) -> None:
        self.queue: list[str] = []
        self.prompts: list[str] = []

    def execute(self, prompt: Any, stream: bool, response: Any, conversation: Any) -> Iterator[str]:
        self.prompts.append(prompt.prompt)
        yield self.queue.pop(0) if self.queue else "I have nothing more to say."


@pytest.fixture
def fake_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[QueuedModel]:
    monkeypatch.setenv("LLM_USER_PATH", str(tmp_path / "llm"))
    model = QueuedModel()

    class Plugin:
        __name__ = "StarcoachFakeModel"

        @llm.hookimpl  # type: ignore[misc]
        def register_models(self, register: Any) -> None:
            register(model)

    llm.plugins.pm.register(Plugin(), name="starcoach-fake-model")
    try:
        yield model
    finally:
        llm.plugins.pm.unregister(name="starcoach-fake-model")


def seed_of(library: Library, guide_id: str) -> str:
    """A bundled guide in the seed layout: what a capable model would write."""
    return write_guide(library.get(guide_id), "seed")


def test_a_model_written_guide_that_passes_every_check(
    fake_model: QueuedModel, library: Library
) -> None:
    fake_model.queue.append("```\n" + seed_of(library, "conflict-with-a-colleague") + "```")
    guide = write_with_model(QUESTION, list(library), model="starcoach-fake", level="Mid")
    assert guide.question == QUESTION and guide.level == "Mid"
    assert guide.metadata["source"] == "llm:starcoach-fake" and not guide.is_skeleton
    assert check_guide(guide) == []
    assert len(fake_model.prompts) == 1 and QUESTION in fake_model.prompts[0]
    assert "300 to 500 words" in fake_model.prompts[0]


def test_problems_go_back_to_the_model_until_it_gets_it_right(
    fake_model: QueuedModel, library: Library
) -> None:
    off_topic = seed_of(library, "failed-product-launch")  # a launch story for a conflict
    fake_model.queue += [
        "Sure! Here is a guide.",
        off_topic,
        seed_of(library, "conflict-with-a-colleague"),
    ]
    guide = write_with_model(QUESTION, list(library), model="starcoach-fake")
    assert guide.title == library.get("conflict-with-a-colleague").title
    assert len(fake_model.prompts) == 3
    assert "the layout could not be read" in fake_model.prompts[1]
    assert "off topic" in fake_model.prompts[2]


def test_a_bounded_number_of_attempts_then_a_clear_error(
    fake_model: QueuedModel, library: Library
) -> None:
    short = library.get("conflict-with-a-colleague")
    thin = short.with_changes(star={"situation": short.star["situation"]})
    fake_model.queue += [write_guide(thin, "seed")] * 3
    with pytest.raises(
        ModelGuideError, match="did not write a usable guide in 2 attempts"
    ) as error:
        write_with_model(QUESTION, list(library), model="starcoach-fake", attempts=2)
    assert "has no points" in str(error.value)
    assert len(fake_model.prompts) == 2


def test_cli_saves_the_model_guide(fake_model: QueuedModel, runner: CliRunner, home: Path) -> None:
    library = load_library(include_user=False)
    fake_model.queue.append(seed_of(library, "conflict-with-a-colleague"))
    result = runner.invoke(
        cli, ["guides", "new", QUESTION, "--model", "starcoach-fake", "--save", "--to", "json"]
    )
    assert result.exit_code == 0, result.output
    saved = load_library().get("working-through-a-serious-conflict-with-a-peer")
    assert saved.question == QUESTION and saved.metadata["source"] == "llm:starcoach-fake"
    assert runner.invoke(cli, ["guides", "lint", "--strict"]).exit_code == 0


def test_cli_names_an_unknown_model(fake_model: QueuedModel, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["guides", "new", QUESTION, "--model", "no-such-model"])
    assert result.exit_code == 2 and "llm has no model 'no-such-model'" in result.output
    assert "Traceback" not in result.output


def test_without_the_extra_the_error_says_what_to_install(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "llm", None)  # import llm now fails
    result = runner.invoke(cli, ["guides", "new", QUESTION, "--model", "anything"])
    assert result.exit_code == 2 and "pip install 'starcoach[llm]'" in result.output
