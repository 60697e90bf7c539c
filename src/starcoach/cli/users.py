"""`starcoach users ...` and `starcoach cohorts ...`: accounts and cohorts for shared mode,
scriptable (docs/accounts.md). Commands parse, call the account store, print."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

import click

from ..accounts.model import CohortRole, Purpose, Role, User
from ..accounts.service import DEFAULT_BASE_URL, link
from ..errors import AccountNotFoundError, StarcoachError, WeakPasswordError
from .render import render_table

if TYPE_CHECKING:  # storage pulls in SQLAlchemy; `starcoach --help` need not
    from ..accounts.model import Cohort
    from ..storage.accounts import AccountStore
    from ..storage.cohorts import CohortStore

DB_OPTION = click.option(
    "--db",
    "database_url",
    metavar="URL",
    help="Database URL (default: STARCOACH_DATABASE_URL, else SQLite in STARCOACH_HOME).",
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
ROLES = click.Choice([role.value for role in Role], case_sensitive=False)
COHORT_ROLES = click.Choice([role.value for role in CohortRole], case_sensitive=False)


def _base_url(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise click.BadParameter("give the address the app is reached at, like https://host")
    return value


BASE_URL_OPTION = click.option(
    "--base-url",
    default=DEFAULT_BASE_URL,
    show_default=True,
    callback=_base_url,
    help="The address people reach starcoach at; the link starts with it.",
)


@contextmanager
def _stores(database_url: str | None) -> Iterator[tuple[AccountStore, CohortStore]]:
    """The account and cohort stores on an open database, closed however the command ends."""
    from ..storage import Database
    from ..storage.accounts import AccountStore
    from ..storage.cohorts import CohortStore

    database = Database(database_url)
    try:
        yield AccountStore(database), CohortStore(database)
    finally:
        database.close()


def _user(store: AccountStore, email: str) -> User:
    user = store.user_by_email(email)
    if user is None:
        raise AccountNotFoundError(
            f"No account with the email {email.strip()}; `starcoach users list` shows them all."
        )
    return user


def _cohort(groups: CohortStore, name: str) -> Cohort:
    cohort = groups.cohort_by_name(name)
    if cohort is None:
        raise AccountNotFoundError(
            f"No cohort named {name.strip()!r}; `starcoach cohorts list` shows them all."
        )
    return cohort


def _when(moment: datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if moment is not None else "-"


def _a(role: str) -> str:
    return f"an {role}" if role[0] in "aeiou" else f"a {role}"


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _read_password() -> str:
    """The password from standard input: typed twice, hidden, at a terminal; otherwise all of
    it, one final line break dropped (what `echo` or a file adds)."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))
    try:
        text = sys.stdin.read()
    except UnicodeDecodeError:
        raise WeakPasswordError("The password on standard input is not UTF-8 text.") from None
    text = text.removesuffix("\n").removesuffix("\r")
    if not text:
        raise WeakPasswordError(
            "No password on standard input: pipe it in, e.g. "
            "`printf '%s' \"$PASSWORD\" | starcoach users add EMAIL --role admin --password-stdin`."
        )
    return text


def _confirmed(prompt: str) -> bool:
    """Ask; with no answer to read (standard input closed or empty) refuse, never hang."""
    try:
        return click.confirm(prompt, default=False)
    except click.Abort:
        click.echo(err=True)
        raise StarcoachError(
            "Nothing removed: no answer to the confirmation. Add --yes to remove without asking."
        ) from None


# starcoach users


@click.group()
def users() -> None:
    """Accounts for shared mode: add, list, remove, reset links, roles."""


@users.command("add")
@click.argument("email")
@click.option("--role", type=ROLES, required=True, help="candidate, coach or admin.")
@click.option("--name", help="The person's name, as the pages show it.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input instead of printing an invitation link.",
)
@click.option("--cohort", "cohort_name", metavar="NAME", help="Also put them in this cohort.")
@BASE_URL_OPTION
@DB_OPTION
def add(
    email: str,
    role: str,
    name: str | None,
    password_stdin: bool,
    cohort_name: str | None,
    base_url: str,
    database_url: str | None,
) -> None:
    """Add an account. With --password-stdin it can log in at once; otherwise this prints an
    invitation link (valid 7 days, once) where its owner chooses a password."""
    password = _read_password() if password_stdin else None
    with _stores(database_url) as (store, groups):
        cohort_id = _cohort(groups, cohort_name).id if cohort_name is not None else None
        where = f" in cohort {cohort_name.strip()}" if cohort_name is not None else ""
        if password is not None:
            user = store.add_user(
                email, Role(role), name=name, password=password, cohort_id=cohort_id
            )
            click.echo(f"Added {user.email} as {_a(user.role)}{where}; they can log in now.")
            return
        user, token = store.invite(email, Role(role), name=name, cohort_id=cohort_id)
        invitation = store.invitation(token)
    click.echo(
        f"Invited {user.email} as {_a(user.role)}{where}. Send them this link; it works once, "
        f"until {_when(invitation.expires_at)} UTC:"
    )
    click.echo(link(base_url, Purpose.INVITE, token))


@users.command("list")
@DB_OPTION
@JSON_OPTION
def list_users(database_url: str | None, as_json: bool) -> None:
    """Every account, oldest first: invited ones have not chosen a password yet."""
    with _stores(database_url) as (store, _):
        found = store.list_users()
    if as_json:
        rows = [user.model_dump(mode="json") for user in found]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo(
            "No accounts yet. Add the first admin with: "
            "starcoach users add EMAIL --role admin --password-stdin"
        )
        return
    table = [
        [
            str(user.id),
            user.email,
            user.name or "",
            user.role,
            "active" if user.has_password else "invited",
            _when(user.last_login_at),
        ]
        for user in found
    ]
    headers = ["ID", "EMAIL", "NAME", "ROLE", "STATUS", "LAST LOG-IN (UTC)"]
    click.echo(render_table(table, headers, shrink=(2, 1)))


@users.command("remove")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@DB_OPTION
def remove(email: str, yes: bool, database_url: str | None) -> None:
    """Delete an account and all its data: answers, stories, mock interviews, plans and
    recordings. This cannot be undone."""
    with _stores(database_url) as (store, _):
        user = _user(store, email)
        question = (
            f"Remove {user.email} and all their data (answers, stories, mock interviews, plans, "
            "recordings)? This cannot be undone."
        )
        if not yes and not _confirmed(question):
            click.echo(f"Kept {user.email}.")
            return
        removed = store.delete_user(user.id)
    click.echo(
        f"Removed {user.email} and all their data: {_count(removed.attempts, 'answer')}, "
        f"{_count(removed.stories, 'story', 'stories')}, "
        f"{_count(removed.mock_sessions, 'mock interview')}, {_count(removed.plans, 'plan')}, "
        f"{_count(removed.recordings, 'recording')}."
    )


@users.command("reset-link")
@click.argument("email")
@BASE_URL_OPTION
@DB_OPTION
def reset_link(email: str, base_url: str, database_url: str | None) -> None:
    """Print a link where the account's owner chooses a new password (valid 24 hours, once).
    Using it logs them out everywhere; for an invited account it replaces the invitation."""
    with _stores(database_url) as (store, _):
        user = _user(store, email)
        invitation, token = store.reset_link(user.id)
    click.echo(
        f"Password reset link for {user.email}; it works once, until "
        f"{_when(invitation.expires_at)} UTC:"
    )
    click.echo(link(base_url, Purpose.RESET, token))


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
@DB_OPTION
def set_role(email: str, role: str, database_url: str | None) -> None:
    """Make an account a candidate, a coach or an admin (there is always at least one admin)."""
    with _stores(database_url) as (store, _):
        user = store.set_role(_user(store, email).id, Role(role))
    click.echo(f"{user.email} is now {_a(user.role)}.")


@users.command("claim")
@click.argument("email")
@DB_OPTION
def claim(email: str, database_url: str | None) -> None:
    """Make everything saved in single-user mode (answers, stories, mock interviews, plans)
    this account's: how a database used by one person joins a shared starcoach."""
    from ..storage.ownership import attach_unowned

    with _stores(database_url) as (store, _):
        user = _user(store, email)
        moved = attach_unowned(store.database, user.id)
    click.echo(
        f"{user.email} now owns {_count(moved.get('attempts', 0), 'answer')}, "
        f"{_count(moved.get('stories', 0), 'story', 'stories')}, "
        f"{_count(moved.get('mock_sessions', 0), 'mock interview')} and "
        f"{_count(moved.get('plans', 0), 'plan')} saved without an account."
    )


# starcoach cohorts


@click.group()
def cohorts() -> None:
    """Cohorts for shared mode: groups of candidates and the coaches who review them."""


@cohorts.command("create")
@click.argument("name")
@DB_OPTION
def create(name: str, database_url: str | None) -> None:
    """Create an empty cohort."""
    with _stores(database_url) as (_, groups):
        cohort = groups.create_cohort(name)
    click.echo(f"Created cohort {cohort.name}.")


@cohorts.command("list")
@DB_OPTION
@JSON_OPTION
def list_cohorts(database_url: str | None, as_json: bool) -> None:
    """Every cohort by name, with how many candidates and coaches it has."""
    with _stores(database_url) as (_, groups):
        found = groups.list_cohorts()
    if as_json:
        rows = [cohort.model_dump(mode="json") for cohort in found]
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("No cohorts yet. Create one with: starcoach cohorts create NAME")
        return
    table = [[c.name, str(c.candidates), str(c.coaches), _when(c.created_at)] for c in found]
    click.echo(render_table(table, ["NAME", "CANDIDATES", "COACHES", "CREATED (UTC)"], (0,)))


@cohorts.command("add")
@click.argument("name")
@click.argument("emails", metavar="EMAIL...", nargs=-1, required=True)
@click.option(
    "--as",
    "as_role",
    type=COHORT_ROLES,
    help="Their part in the cohort (default: coach for coaches and admins, else candidate).",
)
@DB_OPTION
def add_members(
    name: str, emails: tuple[str, ...], as_role: str | None, database_url: str | None
) -> None:
    """Put accounts in a cohort, all or none; one already in it takes the part given."""
    with _stores(database_url) as (store, groups):
        cohort = _cohort(groups, name)
        chosen = [_user(store, email) for email in emails]
        members = [
            (user.id, CohortRole(as_role) if as_role else user.role.cohort_role) for user in chosen
        ]
        groups.add_members(cohort.id, members)
    added = ", ".join(f"{u.email} ({role})" for u, (_, role) in zip(chosen, members, strict=True))
    click.echo(f"In cohort {cohort.name}: {added}.")


@cohorts.command("remove")
@click.argument("name")
@click.argument("email")
@DB_OPTION
def remove_member(name: str, email: str, database_url: str | None) -> None:
    """Take an account out of a cohort; its own practice stays in the account."""
    with _stores(database_url) as (store, groups):
        cohort = _cohort(groups, name)
        user = _user(store, email)
        try:
            groups.remove_member(cohort.id, user.id)
        except AccountNotFoundError:
            raise AccountNotFoundError(f"{user.email} is not in cohort {cohort.name}.") from None
    click.echo(f"Took {user.email} out of cohort {cohort.name}; their practice stays theirs.")


@cohorts.command("show")
@click.argument("name")
@DB_OPTION
@JSON_OPTION
def show(name: str, database_url: str | None, as_json: bool) -> None:
    """A cohort's coaches and candidates."""
    with _stores(database_url) as (_, groups):
        cohort = _cohort(groups, name)
        members = groups.members(cohort.id)
    if as_json:
        data = {
            **cohort.model_dump(mode="json"),
            "members": [member.model_dump(mode="json") for member in members],
        }
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    coaches = sum(member.role is CohortRole.COACH for member in members)
    click.echo(
        f"Cohort {cohort.name}, created {_when(cohort.created_at)} UTC: "
        f"{_count(coaches, 'coach', 'coaches')}, {_count(len(members) - coaches, 'candidate')}"
    )
    if not members:
        click.echo(f"Nobody yet. Add people with: starcoach cohorts add {cohort.name!r} EMAIL...")
        return
    table = [
        [
            m.user.email,
            m.user.name or "",
            m.role,
            "active" if m.user.has_password else "invited",
        ]
        for m in members
    ]
    click.echo(render_table(table, ["EMAIL", "NAME", "IN COHORT AS", "STATUS"], shrink=(1, 0)))
