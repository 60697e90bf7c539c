"""Alembic's scripts for the starcoach schema; `starcoach.storage.database` runs them in code."""
