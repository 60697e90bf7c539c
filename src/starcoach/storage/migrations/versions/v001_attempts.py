"""The first schema: attempts, without the link to a previous attempt or the time taken."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "001_attempts"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("guide_id", sa.String(200), nullable=True),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("analyzed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("rating", sa.String(20), nullable=True),
        sa.Column("analysis", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sqlite_autoincrement=True,
    )
    op.create_index("attempts_guide", "attempts", ["guide_id"])


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
