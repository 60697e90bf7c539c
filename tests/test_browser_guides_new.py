"""The New guide page in a real browser (Debian's chromium, driven by Playwright) against a real
server: write a guide for a question outside the library, save it, open it and practise it; and
have a language model write one (a fake model registered with llm in the server's process).

Skipped where chromium or playwright is missing; CI installs both."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from starcoach.guides.library import load_library
from support import CHROMIUM, FLAGS, browser_page, free_port, running_server

playwright_api = pytest.importorskip("playwright.sync_api")
BUNDLED_GUIDES = list(load_library(include_user=False))
BUNDLED = len(BUNDLED_GUIDES)
if not Path(CHROMIUM).exists():
    pytest.skip("chromium is not installed", allow_module_level=True)

QUESTION = "Tell me about a time you had to calm an angry patient's family in the emergency room."


def test_write_save_and_practise_a_new_guide(server: str, home: Path, tmp_path: Path) -> None:
    expect = playwright_api.expect
    with browser_page(FLAGS) as opened:
        p: object = opened
        p.goto(server + "/")  # type: ignore[attr-defined]
        p.click("nav >> text=New guide")  # type: ignore[attr-defined]
        p.fill("#question", QUESTION)  # type: ignore[attr-defined]
        p.select_option("select[name=level]", "Senior")  # type: ignore[attr-defined]
        p.fill("input[name=role]", "Nurse manager")  # type: ignore[attr-defined]
        p.click("button:has-text('Write the guide')")  # type: ignore[attr-defined]
        guide = p.locator("#generated-guide")  # type: ignore[attr-defined]
        expect(guide.locator("h2")).to_have_text("Calm an Angry Patient's Family")
        expect(guide).to_contain_text("What to Cover:")
        expect(guide).to_contain_text("Example from Another Guide:")
        expect(p.locator("#question")).to_have_value(QUESTION)  # type: ignore[attr-defined]
        p.screenshot(path=str(tmp_path / "new-guide.png"), full_page=True)  # type: ignore[attr-defined]
        assert not (home / "guides").exists()

        p.click("button:has-text('Save to my library')")  # type: ignore[attr-defined]
        expect(p.locator("h1")).to_have_text("Calm an Angry Patient's Family")  # type: ignore[attr-defined]
        assert (home / "guides" / "calm-an-angry-patient-s-family.md").is_file()
        p.click("text=Show the STAR skeleton")  # type: ignore[attr-defined]
        expect(p.locator("details.model-answer")).to_contain_text("What to Cover")  # type: ignore[attr-defined]
        p.click("text=Practice this question")  # type: ignore[attr-defined]
        expect(p.locator("#answer")).to_be_visible()  # type: ignore[attr-defined]

        p.goto(server + "/")  # type: ignore[attr-defined]
        expect(p.locator("#count")).to_contain_text(f"{BUNDLED + 1} of {BUNDLED + 1} questions")  # type: ignore[attr-defined]


MODEL_QUESTION = (
    "Tell me about a time you clashed with a fellow nurse over how a shift handover was done."
)

# `starcoach serve` with a fake model registered through llm's plugin hook first, in the same
# process (waitress serves from it): the model answers every prompt with a bundled guide's seed.
SERVE_WITH_A_FAKE_MODEL = """
import sys
import llm
from starcoach.cli import main
from starcoach.guides.formats import write_guide
from starcoach.guides.library import load_library

SEED = write_guide(load_library(include_user=False).get("conflict-with-a-colleague"), "seed")

class Scripted(llm.Model):
    model_id = "starcoach-fake"

    def execute(self, prompt, stream, response, conversation):
        yield SEED

class Plugin:
    __name__ = "StarcoachFakeModel"

    @llm.hookimpl
    def register_models(self, register):
        register(Scripted())

llm.plugins.pm.register(Plugin(), name="starcoach-fake-model")
sys.argv = ["starcoach", "serve", "--port", sys.argv[1]]
main()
"""


@pytest.fixture
def model_server(home: Path, tmp_path: Path) -> Iterator[str]:
    pytest.importorskip("llm")
    port = free_port()
    env = {**os.environ, "LLM_USER_PATH": str(tmp_path / "llm")}
    command = [sys.executable, "-c", SERVE_WITH_A_FAKE_MODEL, str(port)]
    with running_server(command, env, port, tmp_path / "server.log") as url:
        yield url


def test_a_language_model_writes_the_guide(model_server: str, home: Path, tmp_path: Path) -> None:
    expect = playwright_api.expect
    with browser_page(FLAGS) as opened:
        p: object = opened
        p.goto(model_server + "/new-guide")  # type: ignore[attr-defined]
        model = p.locator("select[name=model]")  # type: ignore[attr-defined]
        expect(model).to_have_value("")  # starcoach (offline) first
        expect(p.locator("#model-note")).to_contain_text("may take a while")  # type: ignore[attr-defined]
        p.fill("#question", MODEL_QUESTION)  # type: ignore[attr-defined]
        model.select_option("starcoach-fake")
        p.click("button:has-text('Write the guide')")  # type: ignore[attr-defined]
        guide = p.locator("#generated-guide")  # type: ignore[attr-defined]
        expect(guide.locator("#written-by")).to_contain_text("starcoach-fake")
        expect(guide).to_contain_text("Strategy Breakdown: the model answer")
        expect(model).to_have_value("starcoach-fake")  # the choice is kept
        p.screenshot(path=str(tmp_path / "new-guide-model.png"), full_page=True)  # type: ignore[attr-defined]

        p.click("button:has-text('Save to my library')")  # type: ignore[attr-defined]
        expect(p.locator("#written-by")).to_contain_text("starcoach-fake")  # type: ignore[attr-defined]
        expect(p.locator(".the-question")).to_have_text(MODEL_QUESTION)  # type: ignore[attr-defined]
        saved = home / "guides" / "working-through-a-serious-conflict-with-a-peer.md"
        assert "source: llm:starcoach-fake" in saved.read_text(encoding="utf-8")
        p.click("text=Show the model answer")  # type: ignore[attr-defined]
        expect(p.locator("details.model-answer")).to_contain_text("Situation")  # type: ignore[attr-defined]
