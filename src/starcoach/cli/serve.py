"""`starcoach serve`: the web app on this machine."""

from __future__ import annotations

import threading
import webbrowser

import click


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Keep 127.0.0.1 unless you mean to share it.",
)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--db",
    "database_url",
    metavar="URL",
    help="Database URL (default: SQLite in STARCOACH_HOME), e.g. "
    "postgresql+psycopg://user@localhost/starcoach",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the app in a browser.")
def serve(host: str, port: int, database_url: str | None, open_browser: bool) -> None:
    """Run the web app: practice questions, feedback and history in the browser."""
    from waitress import serve as run

    from ..web import create_app

    app = create_app({"DATABASE_URL": database_url})
    address = f"http://{host}:{port}/"
    database = app.extensions["starcoach"].database
    click.echo(f"starcoach is running at {address}  (database: {database.engine.url!r})")
    click.echo("Press Ctrl+C to stop.")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, [address]).start()
    run(app, host=host, port=port, threads=4, _quiet=True)
