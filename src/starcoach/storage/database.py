"""Opening the database and keeping its schema current.

The URL decides the engine: `sqlite:///path` (the default, in the user data folder, WAL mode) or
`postgresql+psycopg://user@host/db`. The tables below are the one description of the current
schema; the Alembic revisions in `migrations/versions` record how it got there and are applied at
every start, so an older database is upgraded in place with its data kept. A database made before
Alembic (with a `migrations` table of applied step names) is adopted: stamped at the matching
revision, then upgraded.

A new revision: change the tables here, then generate the script with
`alembic.command.revision(alembic_config(), message="...", autogenerate=True)` against a database
at the current head, and review it.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Engine,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    create_engine,
    event,
    false,
    inspect,
    text,
)
from sqlalchemy.exc import SQLAlchemyError

from ..config import data_dir, writable_folder
from . import sqlite_file
from .faults import DatabaseError, translate

__all__ = ["MAX_ID", "Database", "DatabaseError", "attempts", "default_url", "metadata", "users"]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The PostgreSQL advisory lock an upgrade holds: any number that is ours ("star" in ASCII).
SCHEMA_LOCK = 0x73746172
# The largest id every database holds: ids are INTEGER, 32-bit on PostgreSQL.
MAX_ID = 2**31 - 1

metadata = MetaData()

# Accounts (shared mode, docs/accounts.md). In single-user mode the table is empty and every
# row's owner_id is NULL.
users = Table(
    "users",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("email", String(254), nullable=False),  # lower-cased before it is stored
    Column("name", String(200), nullable=True),
    # None until an invited user accepts and chooses a password.
    Column("password_hash", String(200), nullable=True),
    Column("role", String(20), nullable=False),
    # Bumped to end every session of the user (log out everywhere, password change or reset).
    Column("session_version", Integer, nullable=False, server_default="1"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_login_at", DateTime(timezone=True), nullable=True),
    Index("users_email", "email", unique=True),
    sqlite_autoincrement=True,
)

cohorts = Table(
    "cohorts",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("cohorts_name", "name", unique=True),
    sqlite_autoincrement=True,
)

cohort_members = Table(
    "cohort_members",
    metadata,
    Column("cohort_id", Integer, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("role", String(20), nullable=False),  # 'candidate' or 'coach' in this cohort
    PrimaryKeyConstraint("cohort_id", "user_id"),
    Index("cohort_members_user", "user_id"),
)

# Sign-up and password-reset links. Only the SHA-256 of the secret token is kept: the token
# itself is shown once, in the link.
invitations = Table(
    "invitations",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("purpose", String(10), nullable=False),  # 'invite' or 'reset'
    Column("email", String(254), nullable=True),
    Column("role", String(20), nullable=True),
    Column("cohort_id", Integer, ForeignKey("cohorts.id", ondelete="SET NULL"), nullable=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Index("invitations_token", "token_hash", unique=True),
    Index("invitations_user", "user_id"),
    sqlite_autoincrement=True,
)

# Failed log-ins, for the rate limit: kept in the database so it holds across app processes.
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("email", String(254), nullable=False),
    Column("remote_addr", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("login_failures_email", "email", "at"),
    Index("login_failures_addr", "remote_addr", "at"),
    Index("login_failures_at", "at"),
)


def _owner(table: str) -> Column[int]:
    """Whose row this is: NULL for the single-user mode's owner; the user's rows go with them."""
    return Column(
        "owner_id",
        Integer,
        ForeignKey("users.id", ondelete="CASCADE", name=f"{table}_owner_fk"),
        nullable=True,
    )


attempts = Table(
    "attempts",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("guide_id", String(200), nullable=True),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("analyzed_at", DateTime(timezone=True), nullable=True),
    Column("score", Integer, nullable=True),
    Column("rating", String(20), nullable=True),
    Column("analysis", Text, nullable=True),
    Column("error", Text, nullable=True),
    Column("previous_id", Integer, ForeignKey("attempts.id"), nullable=True),
    Column("seconds_taken", Integer, nullable=True),
    # A spoken answer's transcript and delivery (JSON), and its recording's file name.
    Column("spoken", Text, nullable=True),
    Column("recording", String(200), nullable=True),
    _owner("attempts"),
    Index("attempts_guide", "guide_id"),
    Index("attempts_created", "created_at"),
    Index("attempts_owner", "owner_id"),
    sqlite_autoincrement=True,
)

stories = Table(
    "stories",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("title", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("analysis", Text, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    _owner("stories"),
    # Shared mode: whether the candidate lets their cohorts' coaches read it (docs/coaching.md).
    Column("shared_with_coach", Boolean, nullable=False, server_default=false()),
    Index("stories_owner", "owner_id"),
    sqlite_autoincrement=True,
)

mock_sessions = Table(
    "mock_sessions",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("track", Text, nullable=False),
    Column("state", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    _owner("mock_sessions"),
    Index("mock_sessions_owner", "owner_id"),
    sqlite_autoincrement=True,
)

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("title", Text, nullable=False),
    Column("posting", Text, nullable=False),
    Column("plan", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    _owner("plans"),
    Index("plans_owner", "owner_id"),
    sqlite_autoincrement=True,
)

# Coaching (shared mode, docs/coaching.md): a coach's comments on a candidate's attempt, and the
# work a coach sets a cohort.
comments = Table(
    "comments",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("attempt_id", Integer, ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False),
    Column("author_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    # The sentence of the answer it is about (0-based, as the analysis splits it); NULL for the
    # answer as a whole.
    Column("sentence", Integer, nullable=True),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("comments_attempt", "attempt_id"),
    sqlite_autoincrement=True,
)

assignments = Table(
    "assignments",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("cohort_id", Integer, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("title", String(200), nullable=False),
    # The guide ids to answer (a JSON list), or the mock track to finish: one of the two.
    Column("guide_ids", Text, nullable=True),
    Column("track", String(200), nullable=True),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("assignments_cohort", "cohort_id"),
    sqlite_autoincrement=True,
)

# What a coach adds for one cohort (docs/coaching.md): guides in the guide format's Markdown,
# and signals every answer of the cohort's members is also scored on. In the database, not the
# guide folder, so every app process sees them at once.
cohort_guides = Table(
    "cohort_guides",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("cohort_id", Integer, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
    Column("guide_id", String(120), nullable=False),
    Column("markdown", Text, nullable=False),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("cohort_guides_id", "cohort_id", "guide_id", unique=True),
    sqlite_autoincrement=True,
)

cohort_signals = Table(
    "cohort_signals",
    metadata,
    Column("id", Integer, Identity(), primary_key=True),
    Column("cohort_id", Integer, ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(80), nullable=False),
    Column("description", String(400), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("cohort_signals_name", "cohort_id", "name", unique=True),
    sqlite_autoincrement=True,
)

# The step names the pre-Alembic runner recorded; each is also the id of the revision that
# makes the same change, so an old database is stamped with the last step it applied.
LEGACY_STEPS = (
    "001_attempts",
    "002_attempt_links_and_timing",
    "003_stories",
    "004_mock_sessions",
)


def default_url() -> str:
    """STARCOACH_DATABASE_URL when set (a shared deployment's PostgreSQL, say), else SQLite in
    the data folder; a `--db` flag overrides both."""
    configured = os.environ.get("STARCOACH_DATABASE_URL", "").strip()
    if configured:
        return configured
    return f"sqlite:///{writable_folder(data_dir()) / 'starcoach.db'}"


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's settings, built in code: the scripts ship inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the package ships no migrations"
    return head


def engine_for(url: str) -> Engine:
    """An engine for the URL (not yet connected), or a clear error that hides the password."""
    try:
        # A pooled PostgreSQL connection may have been closed by a server restart: check it
        # before use, so the first request after a restart does not fail.
        return create_engine(url, pool_pre_ping=url.startswith("postgresql"))
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        shown = re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", url)
        raise DatabaseError(f"Cannot use the database URL '{shown}': {exc}") from None


class Database:
    """An engine whose schema is current; open one per process and share it."""

    def __init__(self, url: str | None = None, *, upgrade_to: str = "head") -> None:
        self.url = url or default_url()
        self.engine: Engine = engine_for(self.url)
        self.path: Path | None = None
        if self.engine.dialect.name == "sqlite":
            _sqlite_setup(self.engine)
            name = self.engine.url.database
            if name and name != ":memory:" and not name.startswith("file:"):
                self.path = Path(name).expanduser().absolute()
        try:
            if self.path is not None:
                sqlite_file.prepare(self.path)
                sqlite_file.require_sound(self.path)
            self.upgrade(upgrade_to)
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def where(self) -> str:
        """The file, or the URL without its password: safe to show."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self, revision: str = "head") -> None:
        """Adopt a pre-Alembic database, then apply the revisions it lacks, in one
        transaction: an upgrade that fails leaves the schema as it was."""
        try:
            # Processes starting at once take turns (SQLite's write lock, PostgreSQL's advisory
            # lock, both held to the commit): the later one finds the work done.
            locked = self.engine.execution_options(sqlite_immediate=True)
            with locked.begin() as connection:
                if self.dialect == "postgresql":
                    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK})
                config = alembic_config(connection)
                legacy = _legacy_revision(connection)
                if legacy is not None:
                    command.stamp(config, legacy)
                    connection.execute(text("DROP TABLE migrations"))
                command.upgrade(config, revision)
        except SQLAlchemyError as exc:
            raise translate(exc, self.where) from None
        except (CommandError, RevisionError):
            raise DatabaseError(
                f"The database at {self.where} has a schema this version of starcoach does not "
                "know: a newer version probably used it. Upgrade starcoach, or restore a backup "
                "with `starcoach db restore PATH`."
            ) from None

    def revision(self) -> str | None:
        """The Alembic revision the database is at (None before the first)."""
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def columns(self, table: str) -> list[str]:
        return [c["name"] for c in inspect(self.engine).get_columns(table)]

    def close(self) -> None:
        self.engine.dispose()


def _legacy_revision(connection: Connection) -> str | None:
    """The revision matching the last step the old runner applied, when this database has
    its `migrations` table and no Alembic version yet."""
    tables = set(inspect(connection).get_table_names())
    if "migrations" not in tables or "alembic_version" in tables:
        return None
    done = {row[0] for row in connection.execute(text("SELECT name FROM migrations"))}
    applied = [step for step in LEGACY_STEPS if step in done]
    if not applied:
        connection.execute(text("DROP TABLE migrations"))
        return None
    return applied[-1]


# How long a connection keeps trying to put a new file in WAL mode (see _use_wal).
WAL_SWITCH_SECONDS = 15.0


def _use_wal(dbapi_connection: sqlite3.Connection) -> None:
    """Put the file in WAL mode (it stays so). Switching needs SQLite's exclusive lock, and
    SQLite refuses at once, without waiting, while another process starting on the same new
    file holds a lock: so try again, briefly, as its busy timeout would."""
    deadline = time.monotonic() + WAL_SWITCH_SECONDS
    while True:
        try:
            dbapi_connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _sqlite_setup(engine: Engine) -> None:
    """WAL for concurrent readers, foreign keys on, and real transactions: the driver's own
    transaction handling would run DDL outside them, so an upgrade could stop half done."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        _use_wal(dbapi_connection)
        dbapi_connection.execute("PRAGMA foreign_keys=ON")

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # An upgrade takes the write lock first (see Database.upgrade): a deferred one would
        # read the schema, then fail to write when another process upgraded it meanwhile.
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
