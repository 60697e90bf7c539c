"""Practice plans: a job posting, the plan made from it (JSON) and when it was saved, so the
history can show progress against the plan."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "007_plans"
down_revision = "006_spoken_answers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("posting", sa.Text, nullable=False),
        sa.Column("plan", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
