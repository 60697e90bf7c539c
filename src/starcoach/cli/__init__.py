"""The `starcoach` command. Commands parse, call the library, print; errors become messages here."""

from __future__ import annotations

import logging
from typing import Any

import click

from .. import __version__
from ..errors import StarcoachError


class CoachGroup(click.Group):
    """Turns every StarcoachError into 'Error: ...' on stderr and its exit code: no traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StarcoachError as error:
            click.echo(click.style("Error: ", fg="red", bold=True) + str(error), err=True)
            ctx.exit(error.exit_code)


class WarningToStderr(logging.Handler):
    """starcoach's logged warnings (a guide file left out, say) as 'Warning: ...' lines on the
    current stderr, looked up when each is written so test runners that swap it see them."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(click.style("Warning: ", fg="yellow", bold=True) + record.getMessage(), err=True)


def _show_warnings() -> None:
    logger = logging.getLogger("starcoach")
    if not any(isinstance(h, WarningToStderr) for h in logger.handlers):
        handler = WarningToStderr(logging.WARNING)
        logger.addHandler(handler)


@click.group(cls=CoachGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="starcoach")
def cli() -> None:
    """starcoach: a local-first coach for behavioral job interviews.

    Your data stays in STARCOACH_HOME (default: the platform's user data folder).
    """
    _show_warnings()


def _register() -> None:
    from .analyze import analyze, evaluate
    from .db import db
    from .guides import guides
    from .mock import mock
    from .plan import plan
    from .plans import plans
    from .serve import serve
    from .stories import stories
    from .transcribe import transcribe
    from .users import cohorts, users

    cli.add_command(guides)
    cli.add_command(serve)
    cli.add_command(stories)
    cli.add_command(mock)
    cli.add_command(plan)
    cli.add_command(plans)
    cli.add_command(analyze)
    cli.add_command(evaluate)
    cli.add_command(db)
    cli.add_command(transcribe)
    cli.add_command(users)
    cli.add_command(cohorts)


_register()


def main() -> None:
    cli()
