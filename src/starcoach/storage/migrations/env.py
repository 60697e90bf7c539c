"""Alembic's entry point: runs the revisions on the connection the caller opened."""

from __future__ import annotations

from alembic import context

from starcoach.storage.database import metadata

context.configure(connection=context.config.attributes["connection"], target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
