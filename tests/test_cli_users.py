"""`starcoach users ...` and `starcoach cohorts ...`: what each prints and stores, and a clear
one-line error with the right exit code for every bad input."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import text

from starcoach.accounts import Accounts, Role, passwords
from starcoach.cli import cli
from starcoach.errors import AuthenticationError
from starcoach.storage import AccountStore, CohortStore, Database
from test_accounts import CountingHasher

PASSWORD = "a long enough password"
Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def cheap_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", CountingHasher())


@pytest.fixture
def run(runner: CliRunner, database_url: str) -> Run:
    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, [*args, "--db", database_url], input=input)

    return invoke


@pytest.fixture
def database(database_url: str, open_database: Callable[..., Database]) -> Database:
    return open_database(database_url)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def fails(result: Result, code: int, message: str) -> None:
    """One line on stderr naming the problem, the exit code, no traceback."""
    assert result.exit_code == code, result.output
    line = result.stderr.strip()  # a refused prompt's line is ended first
    assert "\n" not in line and line.startswith("Error: ")
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.output


def token_in(output: str, kind: str, base: str = "http://127.0.0.1:8000") -> str:
    match = re.search(rf"^{re.escape(base)}/{kind}/([A-Za-z0-9_-]{{40,}})$", output, re.M)
    assert match, output
    return match.group(1)


def test_an_admin_added_with_a_password_from_stdin_can_log_in(run: Run, database: Database) -> None:
    out = ok(
        run(
            "users", "add", "Ada@Example.com", "--role", "admin", "--name", "Ada",
            "--password-stdin", input=PASSWORD + "\n",
        )
    )  # fmt: skip
    assert out == "Added ada@example.com as an admin; they can log in now.\n"
    user = Accounts(AccountStore(database)).authenticate("ada@example.com", PASSWORD, "::1")
    assert (user.name, user.role) == ("Ada", Role.ADMIN)


def test_without_a_password_it_prints_an_invitation_link(run: Run, database: Database) -> None:
    out = ok(run("users", "add", "bo@example.com", "--role", "candidate"))
    assert out.startswith("Invited bo@example.com as a candidate. Send them this link; it works")
    token = token_in(out, "join")
    store = AccountStore(database)
    invitation = store.invitation(token)
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    assert store.redeem_invitation(token, PASSWORD).has_password

    out = ok(
        run("users", "add", "cy@example.com", "--role", "coach", "--base-url", "https://c.example/")
    )
    token_in(out, "join", "https://c.example")


def test_users_list_shows_status_and_never_a_hash(run: Run) -> None:
    assert "No accounts yet" in ok(run("users", "list"))
    ok(
        run(
            "users", "add", "ada@example.com", "--role", "admin", "--password-stdin", input=PASSWORD
        )
    )
    ok(run("users", "add", "bo@example.com", "--role", "candidate"))
    table = ok(run("users", "list"))
    assert re.search(r"ada@example\.com\s+admin\s+active", table)
    assert re.search(r"bo@example\.com\s+candidate\s+invited", table)
    listed = ok(run("users", "list", "--json"))
    assert "argon2" not in listed and "hash" not in listed
    rows = json.loads(listed)
    assert [(r["email"], r["role"], r["has_password"]) for r in rows] == [
        ("ada@example.com", "admin", True),
        ("bo@example.com", "candidate", False),
    ]
    assert set(rows[0]) == {
        "id", "email", "name", "role", "has_password", "session_version", "created_at",
        "last_login_at",
    }  # fmt: skip


def test_bad_input_is_one_clear_line(run: Run, database: Database) -> None:
    ok(
        run(
            "users", "add", "ada@example.com", "--role", "admin", "--password-stdin", input=PASSWORD
        )
    )
    fails(run("users", "add", "ADA@example.com", "--role", "coach"), 4, "already exists")
    fails(run("users", "add", "not-an-email", "--role", "coach"), 2, "it has no @")
    fails(
        run("users", "add", "bo@example.com", "--role", "coach", "--password-stdin", input=""),
        2,
        "No password on standard input",
    )
    fails(
        run(
            "users", "add", "bo@example.com", "--role", "coach", "--password-stdin", input="short\n"
        ),
        2,
        "too short: it has 5 characters",
    )
    fails(
        run("users", "add", "bo@example.com", "--role", "coach", "--cohort", "Nope"),
        3,
        "No cohort named 'Nope'",
    )
    assert [u.email for u in AccountStore(database).list_users()] == ["ada@example.com"]
    bad_role = run("users", "add", "bo@example.com", "--role", "boss")
    assert bad_role.exit_code == 2 and "'boss' is not one of" in bad_role.stderr
    bad_url = run("users", "reset-link", "ada@example.com", "--base-url", "c.example")
    assert bad_url.exit_code == 2 and "--base-url" in bad_url.stderr
    for command in (
        ("users", "remove", "nobody@example.com", "--yes"),
        ("users", "reset-link", "nobody@example.com"),
        ("users", "set-role", "nobody@example.com", "coach"),
        ("cohorts", "add", "Nope", "ada@example.com"),
        ("cohorts", "show", "Nope"),
    ):
        fails(run(*command), 3, "No ")
    fails(run("users", "set-role", "ada@example.com", "coach"), 2, "only admin")
    fails(run("users", "remove", "ada@example.com", "--yes"), 2, "only admin")


def test_reset_link_sets_a_new_password_within_a_day(run: Run, database: Database) -> None:
    ok(
        run(
            "users",
            "add",
            "bo@example.com",
            "--role",
            "candidate",
            "--password-stdin",
            input=PASSWORD,
        )
    )
    out = ok(run("users", "reset-link", "BO@example.com", "--base-url", "https://c.example"))
    assert out.startswith("Password reset link for bo@example.com; it works once, until ")
    token = token_in(out, "reset", "https://c.example")
    store = AccountStore(database)
    invitation = store.invitation(token)
    assert invitation.expires_at - invitation.created_at == timedelta(hours=24)
    store.redeem_invitation(token, "the new password, chosen")
    accounts = Accounts(store)
    assert accounts.authenticate("bo@example.com", "the new password, chosen", "::1").id == 1
    with pytest.raises(AuthenticationError):
        accounts.authenticate("bo@example.com", PASSWORD, "::1")


def test_set_role(run: Run, database: Database) -> None:
    ok(run("users", "add", "bo@example.com", "--role", "candidate"))
    assert (
        ok(run("users", "set-role", "bo@example.com", "ADMIN"))
        == "bo@example.com is now an admin.\n"
    )
    assert AccountStore(database).list_users()[0].role is Role.ADMIN


def test_removing_a_user_deletes_their_data_after_asking(run: Run, database: Database) -> None:
    ok(run("users", "add", "bo@example.com", "--role", "candidate"))
    ok(run("users", "add", "cy@example.com", "--role", "candidate"))
    with database.engine.begin() as connection:
        for owner in (1, 1, 2):
            connection.execute(
                text(
                    "INSERT INTO attempts (question, answer, created_at, owner_id)"
                    " VALUES ('Q', 'A', CURRENT_TIMESTAMP, :o)"
                ),
                {"o": owner},
            )
    assert "Kept bo@example.com." in ok(run("users", "remove", "bo@example.com", input="n\n"))
    fails(run("users", "remove", "bo@example.com"), 1, "no answer to the confirmation")
    out = ok(run("users", "remove", "bo@example.com", "--yes"))
    assert out == (
        "Removed bo@example.com and all their data: 2 answers, 0 stories, 0 mock interviews, "
        "0 plans, 0 recordings.\n"
    )
    with database.engine.connect() as connection:
        owners = connection.execute(text("SELECT owner_id FROM attempts")).scalars().all()
    assert owners == [2]
    assert [u.email for u in AccountStore(database).list_users()] == ["cy@example.com"]


def test_cohorts(run: Run, database: Database) -> None:
    assert "No cohorts yet" in ok(run("cohorts", "list"))
    assert ok(run("cohorts", "create", " Spring 2026 ")) == "Created cohort Spring 2026.\n"
    fails(run("cohorts", "create", "Spring 2026"), 4, "already exists")
    fails(run("cohorts", "create", " "), 2, "The cohort name is empty")
    ok(run("users", "add", "coach@example.com", "--role", "coach"))
    ok(run("users", "add", "amy@example.com", "--role", "candidate"))
    out = ok(
        run("users", "add", "zed@example.com", "--role", "candidate", "--cohort", "Spring 2026")
    )
    assert "as a candidate in cohort Spring 2026." in out

    fails(
        run("cohorts", "add", "Spring 2026", "amy@example.com", "nobody@example.com"), 3, "nobody"
    )
    out = ok(run("cohorts", "add", "Spring 2026", "amy@example.com", "coach@example.com"))
    assert out == (
        "In cohort Spring 2026: amy@example.com (candidate), coach@example.com (coach).\n"
    )
    ok(run("cohorts", "add", "Spring 2026", "zed@example.com", "--as", "coach"))
    shown = ok(run("cohorts", "show", "Spring 2026"))
    assert shown.startswith("Cohort Spring 2026, created ")
    assert ": 2 coaches, 1 candidate\n" in shown
    assert re.search(r"amy@example\.com\s+candidate\s+invited", shown)
    data = json.loads(ok(run("cohorts", "show", "Spring 2026", "--json")))
    assert [(m["user"]["email"], m["role"]) for m in data["members"]] == [
        ("coach@example.com", "coach"),
        ("zed@example.com", "coach"),
        ("amy@example.com", "candidate"),
    ]
    listed = json.loads(ok(run("cohorts", "list", "--json")))
    assert [(c["name"], c["candidates"], c["coaches"]) for c in listed] == [("Spring 2026", 1, 2)]

    out = ok(run("cohorts", "remove", "Spring 2026", "zed@example.com"))
    assert out.startswith("Took zed@example.com out of cohort Spring 2026")
    fails(run("cohorts", "remove", "Spring 2026", "zed@example.com"), 3, "is not in cohort")
    cohort = CohortStore(database).cohort_by_name("Spring 2026")
    assert cohort is not None
    assert len(CohortStore(database).members(cohort.id)) == 2


def test_the_database_url_may_come_from_the_environment(
    runner: CliRunner, database_url: str, monkeypatch: pytest.MonkeyPatch, database: Database
) -> None:
    monkeypatch.setenv("STARCOACH_DATABASE_URL", database_url)
    ok(runner.invoke(cli, ["users", "add", "ev@example.com", "--role", "coach"]))
    assert [u.email for u in AccountStore(database).list_users()] == ["ev@example.com"]


def test_claim_gives_the_single_user_data_to_one_account(run: Run, database: Database) -> None:
    ok(run("users", "add", "bo@example.com", "--role", "admin", "--password-stdin",
           input="a long password\n"))  # fmt: skip
    ok(run("users", "add", "cy@example.com", "--role", "candidate"))
    with database.engine.begin() as connection:
        for owner in (None, None, 2):
            connection.execute(
                text(
                    "INSERT INTO attempts (question, answer, created_at, owner_id)"
                    " VALUES ('Q', 'A', CURRENT_TIMESTAMP, :o)"
                ),
                {"o": owner},
            )
    out = ok(run("users", "claim", "bo@example.com"))
    assert out == (
        "bo@example.com now owns 2 answers, 0 stories, 0 mock interviews and 0 plans saved "
        "without an account.\n"
    )
    with database.engine.connect() as connection:
        owners = connection.execute(text("SELECT owner_id FROM attempts ORDER BY id")).all()
    assert [row[0] for row in owners] == [1, 1, 2]
    assert "now owns 0 answers" in ok(run("users", "claim", "cy@example.com"))
    fails(run("users", "claim", "who@example.com"), 3, "No account with the email")
