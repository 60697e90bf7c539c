"""SQLite databases made before Alembic declared their times as TIMESTAMP WITH TIME ZONE, which
SQLite reads as NUMERIC: rebuild those tables with DATETIME columns, as the tables declare.

Nothing to do on PostgreSQL, or on SQLite databases whose tables revisions 001-004 created. The
rows are copied as they are: a CAST would turn "2025-01-02 ..." into the number 2025.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "005_sqlite_datetime_columns"
down_revision = "004_mock_sessions"
branch_labels = None
depends_on = None


def _id() -> sa.Column[Any]:
    return sa.Column("id", sa.Integer, primary_key=True)


def _time(name: str, nullable: bool) -> sa.Column[Any]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _shapes() -> dict[str, tuple[sa.Column[Any], ...]]:
    """Each table as of revision 004."""
    return {
        "attempts": (
            _id(),
            sa.Column("guide_id", sa.String(200), nullable=True),
            sa.Column("question", sa.Text, nullable=False),
            sa.Column("answer", sa.Text, nullable=False),
            _time("created_at", False),
            _time("analyzed_at", True),
            sa.Column("score", sa.Integer, nullable=True),
            sa.Column("rating", sa.String(20), nullable=True),
            sa.Column("analysis", sa.Text, nullable=True),
            sa.Column("error", sa.Text, nullable=True),
            sa.Column("previous_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=True),
            sa.Column("seconds_taken", sa.Integer, nullable=True),
        ),
        "stories": (
            _id(),
            sa.Column("title", sa.Text, nullable=False),
            sa.Column("data", sa.Text, nullable=False),
            sa.Column("analysis", sa.Text, nullable=True),
            _time("created_at", False),
            _time("updated_at", False),
        ),
        "mock_sessions": (
            _id(),
            sa.Column("track", sa.Text, nullable=False),
            sa.Column("state", sa.Text, nullable=False),
            _time("created_at", False),
            _time("finished_at", True),
        ),
    }


INDEXES = {"attempts": (("attempts_guide", "guide_id"), ("attempts_created", "created_at"))}


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    # Checked at commit, as a whole: attempts link to attempts.
    op.execute("PRAGMA defer_foreign_keys = ON")
    inspector = sa.inspect(bind)
    for table, columns in _shapes().items():
        found = {column["name"]: column["type"] for column in inspector.get_columns(table)}
        times = [column.name for column in columns if isinstance(column.type, sa.DateTime)]
        if all(isinstance(found[name], sa.DateTime) for name in times):
            continue
        # Keep the id counter, so an id once used (then deleted) is never handed out again.
        counter = bind.execute(
            sa.text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table}
        ).scalar()
        # The old table steps aside first (its own links follow it), so the new one is
        # created under the final name and its links are checked against the copied rows.
        old = f"_old_{table}"
        op.rename_table(table, old)
        op.create_table(table, *columns, sqlite_autoincrement=True)
        names = ", ".join(column.name for column in columns)
        op.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {old} ORDER BY id")
        op.drop_table(old)
        for index, column in INDEXES.get(table, ()):
            op.create_index(index, table, [column])
        if counter is not None:
            op.execute(
                sa.text("UPDATE sqlite_sequence SET seq = :s WHERE name = :t").bindparams(
                    s=counter, t=table
                )
            )


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
