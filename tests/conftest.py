"""Shared fixtures: every test gets its own empty STARCOACH_HOME."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from starcoach.guides.library import Library, load_library
from starcoach.storage import Database

FIXTURES = Path(__file__).parent / "fixtures"
SEED_PATH = FIXTURES / "seed_000.txt"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "starcoach-home"
    monkeypatch.setenv("STARCOACH_HOME", str(folder))
    monkeypatch.delenv("STARCOACH_DATABASE_URL", raising=False)  # the data folder's SQLite
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


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    """The PostgreSQL at STARCOACH_TEST_DATABASE_URL, if set. Under pytest-xdist each worker
    gets a database of its own beside it (`NAME_gw0`, ...), made here if missing, so workers
    never empty each other's."""
    url = os.environ.get("STARCOACH_TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    from sqlalchemy import create_engine, make_url, text

    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
        ).first()
        if found is None:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def database_url(tmp_path: Path, postgres_url: str | None) -> Iterator[str]:
    """SQLite in the test's folder, or the PostgreSQL at STARCOACH_TEST_DATABASE_URL, emptied
    before each test (CI runs the storage and web tests a second time that way)."""
    url = postgres_url
    if not url:
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        # Every table, whatever revision made it (a list here went stale with each new one).
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield url


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    from starcoach.web import create_app

    application = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": database_url}
    )
    yield application
    application.extensions["starcoach"].close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def form_token(client: FlaskClient, path: str = "/practice") -> str:
    """The CSRF token a page hands the browser."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def open_database() -> Iterator[Callable[..., Database]]:
    """Opens databases for a test and closes them all afterwards (PostgreSQL warns otherwise)."""
    opened: list[Database] = []

    def opener(url: str, **options: str) -> Database:
        database = Database(url, **options)
        opened.append(database)
        return database

    yield opener
    for database in opened:
        database.close()


@pytest.fixture
def server(home: Path, tmp_path: Path) -> Iterator[str]:
    """`starcoach serve` in a subprocess on a free port, with this test's STARCOACH_HOME; the
    browser tests drive it."""
    from support import free_port, running_server

    port = free_port()
    command = [sys.executable, "-m", "starcoach", "serve", "--port", str(port)]
    with running_server(command, dict(os.environ), port, tmp_path / "server.log") as url:
        yield url


@pytest.fixture
def page() -> Iterator[object]:
    """A chromium page (a playwright Page), closed after the test."""
    from support import FLAGS, browser_page

    with browser_page(FLAGS) as opened:
        yield opened


PASSWORD = "correct horse battery"


@pytest.fixture
def shared_app(database_url: str) -> Iterator[Flask]:
    """The app with accounts on (`serve --shared`), and one admin, admin@example.org."""
    from starcoach.accounts.model import Role
    from starcoach.storage.accounts import AccountStore
    from starcoach.web import create_app

    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-" + "x" * 32,
            "DATABASE_URL": database_url,
            "SHARED": True,
        }
    )
    AccountStore(application.extensions["starcoach"].database).add_user(
        "admin@example.org", Role.ADMIN, password=PASSWORD
    )
    yield application
    application.extensions["starcoach"].close()


def add_account(app: Flask, email: str, role: str = "candidate") -> int:
    """A user who can log in with PASSWORD; returns the id."""
    from starcoach.accounts.model import Role
    from starcoach.storage.accounts import AccountStore

    store = AccountStore(app.extensions["starcoach"].database)
    return store.add_user(email, Role(role), password=PASSWORD).id


def add_accounts(app: Flask, **roles: str) -> dict[str, int]:
    """Accounts by first name (`ann="candidate"`), each NAME@example.org: their ids by name."""
    return {name: add_account(app, f"{name}@example.org", role) for name, role in roles.items()}


def add_cohort(app: Flask, name: str, coaches: list[int], candidates: list[int]) -> int:
    """A cohort with these members; returns its id."""
    from starcoach.accounts.model import CohortRole
    from starcoach.storage import CohortStore

    store = CohortStore(app.extensions["starcoach"].database)
    cohort_id = store.create_cohort(name).id
    members = [(i, CohortRole.COACH) for i in coaches]
    store.add_members(cohort_id, members + [(i, CohortRole.CANDIDATE) for i in candidates])
    return cohort_id


def log_in(app: Flask, email: str) -> FlaskClient:
    """A client logged in through the JSON API as `email` (password PASSWORD)."""
    client = app.test_client()
    response = client.post("/api/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.get_json()
    return client
