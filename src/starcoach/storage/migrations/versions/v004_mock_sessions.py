"""Mock interviews: the track and the whole conversation so far, as JSON."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "004_mock_sessions"
down_revision = "003_stories"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mock_sessions",
        sa.Column("id", sa.Integer, sa.Identity(), primary_key=True),
        sa.Column("track", sa.Text, nullable=False),
        sa.Column("state", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
