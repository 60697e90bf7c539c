"""`starcoach serve`: the web app on this machine."""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import threading
import webbrowser
from typing import Any

import click

from ..errors import StarcoachError

LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host` (127.0.0.0/8, ::1 or localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_can_listen(host: str, port: int) -> None:
    """Bind once before starting, so a taken port or an unknown host is a clear error, not a
    traceback after "running at" has been printed."""
    try:
        family, kind, proto, _, where = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror:
        raise StarcoachError(f"Cannot listen on {host}: no such address on this machine.") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(where)
        except OSError as error:
            in_use = error.errno == errno.EADDRINUSE
            reason = "the port is already in use" if in_use else error.strerror or str(error)
            raise StarcoachError(
                f"Cannot listen on {host} port {port}: {reason}. Choose another --port or --host."
            ) from None


def address_of(host: str, port: int) -> str:
    """The URL to open: IPv6 literals go in brackets ("http://[::1]:8000/")."""
    bare = host.strip("[]")
    shown = f"[{bare}]" if ":" in bare else bare
    return f"http://{shown}:{port}/"


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Only this machine can reach the default.",
)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--db",
    "database_url",
    metavar="URL",
    help="Database URL (default: SQLite in STARCOACH_HOME), e.g. "
    "postgresql+psycopg://user@localhost/starcoach",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in a browser.")
@click.option(
    "--expose-my-answers",
    is_flag=True,
    help="Allow a --host other people can reach without accounts: anyone who can reach it can "
    "read and change every answer and story. --shared is the safe way to share.",
)
@click.option(
    "--shared",
    is_flag=True,
    help="Accounts on: everyone logs in and sees only their own practice. Needs "
    "STARCOACH_SECRET_KEY and an admin account (docs/deployment.md).",
)
@click.option(
    "--access-log",
    is_flag=True,
    help="Print one JSON line per request (also STARCOACH_ACCESS_LOG=1).",
)
def serve(
    host: str,
    port: int,
    database_url: str | None,
    open_browser: bool,
    expose_my_answers: bool,
    shared: bool,
    access_log: bool,
) -> None:
    """Run the web app: practice questions, feedback and history in the browser."""
    from waitress import serve as run

    from ..web import create_app
    from ..web.settings import flag
    from ..web.signin import require_an_admin

    if shared and expose_my_answers:
        raise StarcoachError("--shared and --expose-my-answers do not go together: choose one.")
    if not is_loopback(host) and not expose_my_answers and not shared:
        raise StarcoachError(
            f"--host {host} would let other machines read and change every answer and story. "
            "Keep the default 127.0.0.1, pass --shared to give everyone an account of their "
            "own, or --expose-my-answers if sharing everything is what you want."
        )
    check_can_listen(host.strip("[]"), port)
    allowed = ("*",) if expose_my_answers else (host.strip("[]"),)
    logged = access_log or flag(os.environ, "STARCOACH_ACCESS_LOG", default=False)
    config = {"DATABASE_URL": database_url, "ALLOWED_HOSTS": allowed, "ACCESS_LOG": logged}
    if shared:
        config = shared_config(host, database_url)
    app = create_app(config)
    if shared:
        require_an_admin(app.extensions["starcoach"].database)
    address = address_of(host, port)
    database = app.extensions["starcoach"].database
    if not is_loopback(host) and not shared:
        click.echo(
            "Warning: this address is reachable from other machines, and anyone who reaches it "
            "can read and change every answer.",
            err=True,
        )
    click.echo(f"starcoach is running at {address}  (database: {database.engine.url!r})")
    click.echo("Press Ctrl+C to stop.")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [address]).start()
    run(app, host=host.strip("[]"), port=port, threads=4, _quiet=True)


def shared_config(host: str, database_url: str | None) -> dict[str, Any]:
    """The app's settings for `--shared`: the production entry's, from STARCOACH_* variables
    (a secret key is required), with --db before STARCOACH_DATABASE_URL. The Host allow-list is
    --host plus STARCOACH_ALLOWED_HOSTS; listening on every address needs the latter."""
    from ..web.settings import Settings

    settings = Settings.production(os.environ)
    config = settings.app_config()
    bare = host.strip("[]")
    if bare in ("0.0.0.0", "::") and not settings.allowed_hosts:
        raise StarcoachError(
            f"--host {host} answers on every address: set STARCOACH_ALLOWED_HOSTS to the names "
            "people use to reach starcoach (e.g. coach.example.org), so no other site's name "
            "can reach it."
        )
    config["ALLOWED_HOSTS"] = (*settings.allowed_hosts, bare)
    config["DATABASE_URL"] = database_url or settings.database_url
    config["SHARED"] = True
    return config
