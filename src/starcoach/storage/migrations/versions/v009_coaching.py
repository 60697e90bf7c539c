"""Coaching: a coach's comments on a candidate's attempt (each about one sentence, or the whole
answer), the assignments a coach sets a cohort, and whether a story is shared with the coaches.
Two new tables and one column with a default (every story stays private), which SQLite and
PostgreSQL both add in place."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "009_coaching"
down_revision = "008_accounts"
branch_labels = None
depends_on = None


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer, sa.Identity(), primary_key=True)


def _time(name: str) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "comments",
        _id(),
        sa.Column(
            "attempt_id",
            sa.Integer,
            sa.ForeignKey("attempts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "author_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("sentence", sa.Integer, nullable=True),
        sa.Column("body", sa.Text, nullable=False),
        _time("created_at"),
        sqlite_autoincrement=True,
    )
    op.create_index("comments_attempt", "comments", ["attempt_id"])

    op.create_table(
        "assignments",
        _id(),
        sa.Column(
            "cohort_id",
            sa.Integer,
            sa.ForeignKey("cohorts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "created_by",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("guide_ids", sa.Text, nullable=True),
        sa.Column("track", sa.String(200), nullable=True),
        _time("due_at"),
        _time("created_at"),
        sqlite_autoincrement=True,
    )
    op.create_index("assignments_cohort", "assignments", ["cohort_id"])

    op.add_column(
        "stories",
        sa.Column("shared_with_coach", sa.Boolean, nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
