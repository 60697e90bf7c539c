"""`starcoach plans list|show|delete`: saved plans and their progress from the terminal, on
SQLite and on PostgreSQL (through the `database_url` fixture)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from starcoach.cli import cli
from starcoach.plan import PlanSummary, SavedPlan
from starcoach.practice import record_attempt
from starcoach.services import open_services
from starcoach.storage import AttemptStore, Database
from starcoach.storage.plans import PlanStore

POSTING = """Warehouse Team Leader

- Lead a shift of twelve pickers and keep them motivated through the busy season
- Work with transport and customer service to keep promises to customers
- Track accuracy figures every week and fix the causes of errors
"""


@pytest.fixture
def job(tmp_path: Path) -> str:
    path = tmp_path / "job.txt"
    path.write_text(POSTING, encoding="utf-8")
    return str(path)


def run(runner: CliRunner, *args: str, stdin: str | None = None) -> str:
    result = runner.invoke(cli, list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def save_plan(runner: CliRunner, job: str, url: str) -> SavedPlan:
    return SavedPlan.model_validate_json(run(runner, "plan", job, "--save", "--db", url, "--json"))


def rows(table: str) -> list[list[str]]:
    """A printed table's body as cells (columns are two or more spaces apart)."""
    return [re.split(r"\s{2,}", line.strip()) for line in table.strip().splitlines()[1:]]


def test_list_with_no_plans_says_how_to_make_one(runner: CliRunner, database_url: str) -> None:
    out = run(runner, "plans", "list", "--db", database_url)
    assert out.strip() == "No saved plans yet. Make one with: starcoach plan JOB.txt --save"
    assert json.loads(run(runner, "plans", "list", "--db", database_url, "--json")) == []


def test_list_shows_plans_newest_first(runner: CliRunner, database_url: str, job: str) -> None:
    older, newer = save_plan(runner, job, database_url), save_plan(runner, job, database_url)
    total = str(len(older.plan.questions))
    table = run(runner, "plans", "list", "--db", database_url)
    assert table.splitlines()[0].split() == ["ID", "TITLE", "LEVEL", "SAVED", "PRACTISED"]
    assert [row[0] for row in rows(table)] == [str(newer.id), str(older.id)]
    assert rows(table)[1] == [
        str(older.id),
        "Warehouse Team Leader",
        older.plan.level,
        older.created_at[:16].replace("T", " "),
        f"0 of {total}",
    ]
    listed = [
        PlanSummary.model_validate(item)
        for item in json.loads(run(runner, "plans", "list", "--db", database_url, "--json"))
    ]
    assert [(s.id, s.title, s.questions, s.practised) for s in listed] == [
        (newer.id, "Warehouse Team Leader", len(newer.plan.questions), 0),
        (older.id, "Warehouse Team Leader", len(older.plan.questions), 0),
    ]


def test_show_prints_the_plan_and_the_progress_since_saving(
    runner: CliRunner, database_url: str, job: str
) -> None:
    saved = save_plan(runner, job, database_url)
    first, second = saved.plan.questions[:2]
    services = open_services(database_url)
    try:  # practise the first question twice, as the web page would save it
        guide = services.library.get(first.guide_id)
        answers = [guide.sample_answer, "I worked hard and the team was happy with me."]
        scores = [
            record_attempt(services.attempts, services.library, answer=a, guide_id=guide.id).score
            for a in answers
        ]
        expected = PlanStore(services.database).get(saved.id)
    finally:
        services.close()
    best = max(score for score in scores if score is not None)

    out = run(runner, "plans", "show", str(saved.id), "--db", database_url)
    total = len(saved.plan.questions)
    assert out.startswith(f"Plan #{saved.id}, saved {saved.created_at[:16].replace('T', ' ')}: ")
    assert f"1 of {total} questions practised" in out.splitlines()[0]
    # the plan exactly as `starcoach plan` prints it (the same posting, the same story bank)
    assert run(runner, "plan", job, "--db", database_url) in out
    progress = rows(out.split("PROGRESS SINCE THE PLAN WAS SAVED\n")[1])
    assert progress[0] == ["1", first.title, "2", f"{best}/100"]
    assert progress[1] == ["2", second.title, "0", "-"]
    assert len(progress) == total
    # the figures the web app shows, read from the same store
    assert expected.progress[0].attempts == 2 and expected.progress[0].best_score == best

    shown = SavedPlan.model_validate_json(
        run(runner, "plans", "show", str(saved.id), "--db", database_url, "--json")
    )
    assert shown == expected
    listed = json.loads(run(runner, "plans", "list", "--db", database_url, "--json"))
    assert listed[0]["practised"] == 1


def plan_ids(url: str) -> list[int]:
    database = Database(url)
    try:
        return [summary.id for summary in PlanStore(database).list()]
    finally:
        database.close()


def test_delete_asks_first_and_keeps_the_answers(
    runner: CliRunner, database_url: str, job: str
) -> None:
    saved = save_plan(runner, job, database_url)
    services = open_services(database_url)
    try:
        guide = services.library.get(saved.plan.guide_ids[0])
        record_attempt(
            services.attempts, services.library, answer=guide.sample_answer, guide_id=guide.id
        )
    finally:
        services.close()
    plan_id = str(saved.id)

    kept = run(runner, "plans", "delete", plan_id, "--db", database_url, stdin="n\n")
    assert "Delete plan #" in kept and f"Kept plan #{plan_id}" in kept
    assert plan_ids(database_url) == [saved.id]

    deleted = run(runner, "plans", "delete", plan_id, "--db", database_url, stdin="y\n")
    assert f"Deleted plan #{plan_id} “Warehouse Team Leader”" in deleted
    assert plan_ids(database_url) == []
    database = Database(database_url)
    try:
        assert AttemptStore(database).count() == 1
    finally:
        database.close()


def test_delete_without_an_answer_refuses_and_yes_skips_the_question(
    runner: CliRunner, database_url: str, job: str
) -> None:
    plan_id = str(save_plan(runner, job, database_url).id)
    refused = runner.invoke(cli, ["plans", "delete", plan_id, "--db", database_url])
    assert refused.exit_code == 1
    assert "Error: Nothing deleted: no answer to the confirmation. Add --yes" in refused.output
    assert "Traceback" not in refused.output
    assert plan_ids(database_url) == [int(plan_id)]

    out = run(runner, "plans", "delete", plan_id, "--yes", "--db", database_url)
    assert "[y/N]" not in out and f"Deleted plan #{plan_id}" in out
    assert plan_ids(database_url) == []
    assert "No saved plans yet" in run(runner, "plans", "list", "--db", database_url)


@pytest.mark.parametrize("command", ["show", "delete"])
@pytest.mark.parametrize("plan_id", ["999", "0", "-4", "99999999999"])
def test_an_unknown_id_is_one_clear_line(
    runner: CliRunner, database_url: str, command: str, plan_id: str
) -> None:
    extra = ["--yes"] if command == "delete" else []
    result = runner.invoke(cli, ["plans", command, *extra, "--db", database_url, "--", plan_id])
    assert result.exit_code == 3, result.output
    assert result.output.strip() == f"Error: No plan with id {plan_id}."


def test_a_sqlite_url_in_a_folder_of_its_own(runner: CliRunner, tmp_path: Path, job: str) -> None:
    """--db points the commands at that file, not at STARCOACH_HOME."""
    url = f"sqlite:///{tmp_path / 'elsewhere' / 'plans.db'}"
    (tmp_path / "elsewhere").mkdir()
    saved = save_plan(runner, job, url)
    assert rows(run(runner, "plans", "list", "--db", url))[0][0] == str(saved.id)
    assert "No saved plans yet" in run(runner, "plans", "list")
    assert (tmp_path / "elsewhere" / "plans.db").exists()
