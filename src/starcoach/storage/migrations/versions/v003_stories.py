"""The story bank: each story's fields and its analysis, as JSON."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "003_stories"
down_revision = "002_attempt_links_and_timing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stories",
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("analysis", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
