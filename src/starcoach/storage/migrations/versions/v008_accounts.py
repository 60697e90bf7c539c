"""Accounts for shared mode: users, sign-up and reset links, failed log-ins, cohorts and their
members, and an owner on every attempt, story, mock interview and plan.

Rows already saved keep owner_id NULL, the single-user mode's owner. PostgreSQL adds the column
and its foreign key in place. SQLite cannot add a table-level foreign key, and the one an
`ADD COLUMN ... REFERENCES` would make is read back without its ON DELETE rule, so there the
four tables are rebuilt as revision 005 does: rows, indexes and links copied, id counters kept.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "008_accounts"
down_revision = "007_plans"
branch_labels = None
depends_on = None

OWNED = ("attempts", "stories", "mock_sessions", "plans")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, sa.Identity(), primary_key=True)


def _time(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "users",
        _id(),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("name", sa.String(200), nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("session_version", sa.Integer, nullable=False, server_default="1"),
        _time("created_at"),
        _time("last_login_at", nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("users_email", "users", ["email"], unique=True)

    op.create_table(
        "cohorts",
        _id(),
        sa.Column("name", sa.String(100), nullable=False),
        _time("created_at"),
        sqlite_autoincrement=True,
    )
    op.create_index("cohorts_name", "cohorts", ["name"], unique=True)

    op.create_table(
        "cohort_members",
        sa.Column(
            "cohort_id",
            sa.Integer,
            sa.ForeignKey("cohorts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("role", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("cohort_id", "user_id"),
    )
    op.create_index("cohort_members_user", "cohort_members", ["user_id"])

    op.create_table(
        "invitations",
        _id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(10), nullable=False),
        sa.Column("email", sa.String(254), nullable=True),
        sa.Column("role", sa.String(20), nullable=True),
        sa.Column(
            "cohort_id",
            sa.Integer,
            sa.ForeignKey("cohorts.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column(
            "created_by",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        _time("created_at"),
        _time("expires_at"),
        _time("used_at", nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("invitations_token", "invitations", ["token_hash"], unique=True)
    op.create_index("invitations_user", "invitations", ["user_id"])

    op.create_table(
        "login_failures",
        _id(),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("remote_addr", sa.String(64), nullable=False),
        _time("at"),
    )
    op.create_index("login_failures_email", "login_failures", ["email", "at"])
    op.create_index("login_failures_addr", "login_failures", ["remote_addr", "at"])
    op.create_index("login_failures_at", "login_failures", ["at"])

    if op.get_bind().dialect.name == "sqlite":
        _rebuild_with_owner_on_sqlite()
        return
    for table in OWNED:
        op.add_column(table, sa.Column("owner_id", sa.Integer, nullable=True))
        op.create_foreign_key(
            f"{table}_owner_fk", table, "users", ["owner_id"], ["id"], ondelete="CASCADE"
        )
        op.create_index(f"{table}_owner", table, ["owner_id"])


def _shapes() -> dict[str, tuple[sa.Column[Any], ...]]:
    """Each owned table as of revision 007, the columns its rows are copied from."""
    return {
        "attempts": (
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("guide_id", sa.String(200), nullable=True),
            sa.Column("question", sa.Text, nullable=False),
            sa.Column("answer", sa.Text, nullable=False),
            _time("created_at"),
            _time("analyzed_at", nullable=True),
            sa.Column("score", sa.Integer, nullable=True),
            sa.Column("rating", sa.String(20), nullable=True),
            sa.Column("analysis", sa.Text, nullable=True),
            sa.Column("error", sa.Text, nullable=True),
            sa.Column("previous_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=True),
            sa.Column("seconds_taken", sa.Integer, nullable=True),
            sa.Column("spoken", sa.Text, nullable=True),
            sa.Column("recording", sa.String(200), nullable=True),
        ),
        "stories": (
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("title", sa.Text, nullable=False),
            sa.Column("data", sa.Text, nullable=False),
            sa.Column("analysis", sa.Text, nullable=True),
            _time("created_at"),
            _time("updated_at"),
        ),
        "mock_sessions": (
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("track", sa.Text, nullable=False),
            sa.Column("state", sa.Text, nullable=False),
            _time("created_at"),
            _time("finished_at", nullable=True),
        ),
        "plans": (
            sa.Column("id", sa.Integer, primary_key=True),
            sa.Column("title", sa.Text, nullable=False),
            sa.Column("posting", sa.Text, nullable=False),
            sa.Column("plan", sa.Text, nullable=False),
            _time("created_at"),
        ),
    }


INDEXES = {"attempts": (("attempts_guide", "guide_id"), ("attempts_created", "created_at"))}


def _rebuild_with_owner_on_sqlite() -> None:
    """Each table steps aside (its links to itself follow it), is created again under its
    name with the owner column, gets its rows back in id order, and keeps its id counter.
    Alembic's batch mode copies in the other order, which breaks attempts' links to attempts."""
    bind = op.get_bind()
    op.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit, as a whole
    for table, columns in _shapes().items():
        counter = bind.execute(
            sa.text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}
        ).scalar()
        old = f"_old_{table}"
        op.rename_table(table, old)
        op.create_table(
            table,
            *columns,
            sa.Column("owner_id", sa.Integer, nullable=True),
            sa.ForeignKeyConstraint(
                ["owner_id"], ["users.id"], name=f"{table}_owner_fk", ondelete="CASCADE"
            ),
            sqlite_autoincrement=True,
        )
        names = ", ".join(column.name for column in columns)
        op.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {old} ORDER BY id")
        op.drop_table(old)
        for index, column in (*INDEXES.get(table, ()), (f"{table}_owner", "owner_id")):
            op.create_index(index, table, [column])
        if counter is not None:
            op.execute(
                sa.text("UPDATE sqlite_sequence SET seq = :s WHERE name = :t").bindparams(
                    s=counter, t=table
                )
            )


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
