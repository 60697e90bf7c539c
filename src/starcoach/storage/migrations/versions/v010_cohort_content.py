"""What a coach adds for one cohort: its own guides (Markdown in the guide format) and signals
every answer of its members is also scored on. Two new tables; nothing existing changes."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "010_cohort_content"
down_revision = "009_coaching"
branch_labels = None
depends_on = None


def _cohort_and_author() -> list[sa.Column[int]]:
    return [
        sa.Column(
            "cohort_id", sa.Integer, sa.ForeignKey("cohorts.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column(
            "created_by", sa.Integer, sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True
        ),
    ]


def _created() -> sa.Column[datetime]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "cohort_guides",
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        *_cohort_and_author(),
        sa.Column("guide_id", sa.String(120), nullable=False),
        sa.Column("markdown", sa.Text, nullable=False),
        _created(),
        sqlite_autoincrement=True,
    )
    op.create_index("cohort_guides_id", "cohort_guides", ["cohort_id", "guide_id"], unique=True)

    op.create_table(
        "cohort_signals",
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        *_cohort_and_author(),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("description", sa.String(400), nullable=False),
        _created(),
        sqlite_autoincrement=True,
    )
    op.create_index("cohort_signals_name", "cohort_signals", ["cohort_id", "name"], unique=True)


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
