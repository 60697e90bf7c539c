"""Try again links an attempt to the one it improves on; the timer's reading is kept."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "002_attempt_links_and_timing"
down_revision = "001_attempts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column's foreign key only inline; Alembic would add it as a separate
        # constraint, which SQLite cannot do without copying the table.
        op.execute("ALTER TABLE attempts ADD COLUMN previous_id INTEGER REFERENCES attempts (id)")
    else:
        op.add_column(
            "attempts",
            sa.Column("previous_id", sa.Integer, sa.ForeignKey("attempts.id"), nullable=True),
        )
    op.add_column("attempts", sa.Column("seconds_taken", sa.Integer, nullable=True))
    op.create_index("attempts_created", "attempts", ["created_at"])


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
