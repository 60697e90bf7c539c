"""`starcoach plan JOB.txt`: the plan in the terminal and as JSON, saved with --save."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from starcoach.cli import cli
from starcoach.plan import Plan, SavedPlan
from starcoach.storage import Database
from starcoach.storage.plans import PlanStore

POSTING = """Logistics Coordinator

- Plan delivery routes for a fleet of twelve vans and adapt them when drivers call in sick
- Work with the warehouse and customer service teams to keep promises to customers
- Track on-time delivery and fuel cost figures every week and explain what changed
"""


def write(tmp_path: Path, text: str | bytes, name: str = "job.txt") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_plan_in_the_terminal(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["plan", write(tmp_path, POSTING)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Practice plan: Logistics Coordinator" in out
    assert "WHAT THE POSTING ASKS FOR" in out and "Adaptability" in out
    assert "“Plan delivery routes for a fleet of twelve vans" in out
    assert out.count("Your story: no story yet") >= 6
    assert "starcoach mock --guides " in out


def test_json_is_the_declared_plan(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["plan", write(tmp_path, POSTING), "--json", "--level", "entry"])
    assert result.exit_code == 0, result.output
    plan = Plan.model_validate(json.loads(result.output))
    assert plan.level == "Entry" and plan.level_source == "given"
    assert 6 <= len(plan.questions) <= 10


def test_stdin_and_save(runner: CliRunner, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    result = runner.invoke(cli, ["plan", "-", "--save", "--db", url, "--json"], input=POSTING)
    assert result.exit_code == 0, result.output
    saved = SavedPlan.model_validate(json.loads(result.output))
    assert saved.posting == POSTING
    database = Database(url)
    try:
        assert PlanStore(database).get(saved.id).plan == saved.plan
    finally:
        database.close()
    shown = runner.invoke(cli, ["plan", "-", "--save", "--db", url], input=POSTING)
    assert f"Saved as plan #{saved.id + 1}" in shown.output


def test_bad_input_is_one_clear_line_and_nothing_saved(runner: CliRunner, tmp_path: Path) -> None:
    cases = {
        str(tmp_path / "missing.txt"): "Cannot read",
        write(tmp_path, b"\xff\xfe bad", "latin.txt"): "is not UTF-8 text",
        write(tmp_path, "\n\n", "empty.txt"): "empty",
        write(tmp_path, "Free parking and a pension.", "perks.txt"): "No competency found",
        write(tmp_path, "Lead the team. " * 2_000, "long.txt"): "the limit is 20,000",
    }
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    for path, message in cases.items():
        result = runner.invoke(cli, ["plan", path, "--save", "--db", url])
        assert result.exit_code != 0
        assert message in result.output and "Traceback" not in result.output
    database = Database(url)
    try:
        assert PlanStore(database).list() == []
    finally:
        database.close()


def test_an_unknown_level_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["plan", write(tmp_path, POSTING), "--level", "Intern"])
    assert result.exit_code == 2 and "Invalid value for '--level'" in result.output
