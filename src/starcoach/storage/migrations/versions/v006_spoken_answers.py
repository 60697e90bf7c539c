"""Spoken answers: an attempt may keep its transcript and delivery (JSON) and the file name of
its recording in the data folder. Both are empty for typed answers and for older attempts."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "006_spoken_answers"
down_revision = "005_sqlite_datetime_columns"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("spoken", sa.Text, nullable=True))
    op.add_column("attempts", sa.Column("recording", sa.String(200), nullable=True))


def downgrade() -> None:
    raise NotImplementedError("starcoach upgrades only: restore a backup to go back.")
