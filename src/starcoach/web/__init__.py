"""The web app: `create_app()` builds it; `starcoach serve` runs it."""

from .app import create_app

__all__ = ["create_app"]
