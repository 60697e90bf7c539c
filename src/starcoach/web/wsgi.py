"""The production entry: `gunicorn 'starcoach.web.wsgi:app' --workers 2`.

Every setting comes from STARCOACH_* environment variables (web/settings.py, docs/deployment.md).
Each worker process builds its own app; they share the database, whose schema the first one to
start brings up to date while the others wait for it.
"""

from __future__ import annotations

import sys

from flask import Flask

from ..errors import StarcoachError
from . import create_app
from .settings import Settings
from .signin import require_an_admin

# gunicorn's exit status for "worker failed to boot": it stops instead of starting the worker
# again and again. A bad setting or an unreachable database will not fix itself.
BOOT_FAILED = 3


def production_app() -> Flask:
    """The app for these environment variables, or one clear line and exit status 3."""
    try:
        app = create_app(Settings.production().app_config())
        require_an_admin(app.extensions["starcoach"].database)
        return app
    except StarcoachError as error:
        print(f"starcoach cannot start: {error}", file=sys.stderr, flush=True)
        raise SystemExit(BOOT_FAILED) from None


app = production_app()
