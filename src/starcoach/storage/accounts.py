"""Accounts, sign-up and reset links, and failed log-ins: one transaction per call (cohorts are
storage/cohorts.py).

Emails are stored lower-cased; passwords only as argon2 hashes; a link's token only as its
SHA-256, so a copy of the database opens no account. Every method that needs "now" takes it as
`now` (default: the current time), so expiry and the log-in window are tested without waiting.
Logging in itself (the rate limit, the same answer for every failure) is accounts/service.py.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from ..accounts.checks import clean_name, normalise_email
from ..accounts.model import (
    Invitation,
    Purpose,
    RemovedUser,
    Role,
    User,
)
from ..accounts.passwords import hash_password
from ..errors import (
    AccountExistsError,
    AccountNotFoundError,
    InvalidLinkError,
    LastAdminError,
)
from . import recordings
from .base import Records
from .database import (
    MAX_ID,
    attempts,
    cohort_members,
    cohorts,
    invitations,
    login_failures,
    mock_sessions,
    plans,
    stories,
    users,
)
from .faults import translate
from .recording_archive import recording_names

INVITE_TTL = timedelta(days=7)
RESET_TTL = timedelta(hours=24)
# Failed log-ins older than this are pruned: the rate limit only ever looks 15 minutes back.
FAILURES_KEPT = timedelta(days=1)
MAX_ADDRESS = 64
OWNED = {"attempts": attempts, "stories": stories, "mock_sessions": mock_sessions, "plans": plans}


def moment_utc(now: datetime | None) -> datetime:
    """The time to record, in UTC: SQLite keeps times without their zone, so all must agree."""
    return now.astimezone(UTC) if now is not None else datetime.now(UTC)


def utc(value: datetime) -> datetime:
    """SQLite hands back times without their zone; every stored time is UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def utc_or_none(value: datetime | None) -> datetime | None:
    return utc(value) if value is not None else None


# The PostgreSQL advisory lock a change that could leave no admin holds: "adm" in ASCII.
ADMIN_LOCK = 0x61646D


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Transactional(Records):
    """A store whose calls need several statements in one transaction (check, then change)."""

    @contextmanager
    def _transaction(self, conflict: Exception | None = None) -> Iterator[Connection]:
        """One transaction; a database failure becomes its clear error, and a uniqueness clash
        (two people taking the same email at once) becomes `conflict` when given."""
        try:
            with self.database.engine.begin() as connection:
                yield connection
        except IntegrityError as exc:
            if conflict is not None:
                raise conflict from None
            raise translate(exc, self.database.where) from None
        except SQLAlchemyError as exc:
            raise translate(exc, self.database.where) from None


def user_from_row(row: Any) -> User:
    data = row._mapping
    return User(
        id=data["id"],
        email=data["email"],
        name=data["name"],
        role=Role(data["role"]),
        has_password=data["password_hash"] is not None,
        session_version=data["session_version"],
        created_at=utc(data["created_at"]),
        last_login_at=utc_or_none(data["last_login_at"]),
    )


def _invitation(row: Any) -> Invitation:
    data = row._mapping
    return Invitation(
        id=data["id"],
        purpose=Purpose(data["purpose"]),
        email=data["email"],
        role=Role(data["role"]) if data["role"] else None,
        cohort_id=data["cohort_id"],
        user_id=data["user_id"],
        created_by=data["created_by"],
        created_at=utc(data["created_at"]),
        expires_at=utc(data["expires_at"]),
        used_at=utc_or_none(data["used_at"]),
    )


class AccountStore(Transactional):
    """Users, their sign-up and reset links, and the failed log-ins the rate limit counts."""

    table = users
    noun = "account"

    # Users

    def add_user(
        self,
        email: str,
        role: Role,
        *,
        name: str | None = None,
        password: str | None = None,
        cohort_id: int | None = None,
        now: datetime | None = None,
    ) -> User:
        """A new account. Without a password it cannot log in until a link sets one (see
        `invite`). With `cohort_id` it joins that cohort, as a candidate or (coach, admin) as a
        coach. AccountExistsError when the email is taken."""
        address = normalise_email(email)
        values = {
            "email": address,
            "name": clean_name(name),
            "role": Role(role).value,
            "password_hash": hash_password(password) if password is not None else None,
            "created_at": moment_utc(now),
        }
        with self._transaction(self._taken(address)) as connection:
            user_id = self._insert_user(connection, values, cohort_id)
        return self.get_user(user_id)

    def invite(
        self,
        email: str,
        role: Role,
        *,
        name: str | None = None,
        cohort_id: int | None = None,
        created_by: int | None = None,
        ttl: timedelta = INVITE_TTL,
        now: datetime | None = None,
    ) -> tuple[User, str]:
        """A new account without a password, and the token of the link that lets its owner
        choose one (valid `ttl`, once). The token is returned here only: keep it in the link."""
        address = normalise_email(email)
        moment = moment_utc(now)
        values = {
            "email": address,
            "name": clean_name(name),
            "role": Role(role).value,
            "password_hash": None,
            "created_at": moment,
        }
        token = secrets.token_urlsafe(32)
        with self._transaction(self._taken(address)) as connection:
            user_id = self._insert_user(connection, values, cohort_id)
            connection.execute(
                insert(invitations).values(
                    token_hash=token_hash(token),
                    purpose=Purpose.INVITE.value,
                    email=address,
                    role=values["role"],
                    cohort_id=cohort_id,
                    user_id=user_id,
                    created_by=created_by,
                    created_at=moment,
                    expires_at=moment + ttl,
                )
            )
        return self.get_user(user_id), token

    def get_user(self, user_id: int) -> User:
        if not 1 <= user_id <= MAX_ID:
            raise AccountNotFoundError(f"No account with id {user_id}.")
        row = self._run(select(users).where(users.c.id == user_id), "first")
        if row is None:
            raise AccountNotFoundError(f"No account with id {user_id}.")
        return user_from_row(row)

    def user_by_email(self, email: str) -> User | None:
        """The account with this email (in any case), or None."""
        row = self._run(select(users).where(users.c.email == email.strip().lower()), "first")
        return user_from_row(row) if row is not None else None

    def list_users(self) -> list[User]:
        """Every account, oldest first."""
        return [user_from_row(row) for row in self._run(select(users).order_by(users.c.id), "all")]

    def set_role(self, user_id: int, role: Role) -> User:
        """Change what an account may do; the last admin cannot stop being one."""
        role = Role(role)
        with self._transaction() as connection:
            user = self._locked_user(connection, user_id)
            if user.role is Role.ADMIN and role is not Role.ADMIN:
                self._keep_an_admin(connection, user, "change the role of")
            connection.execute(update(users).where(users.c.id == user_id).values(role=role.value))
        return self.get_user(user_id)

    def set_password(self, user_id: int, password: str, *, now: datetime | None = None) -> User:
        """A new password (the rules checked): every session of the account ends and every
        link still open for it stops working."""
        hashed = hash_password(password)
        with self._transaction() as connection:
            self._locked_user(connection, user_id)
            self._set_password(connection, user_id, hashed, moment_utc(now))
        return self.get_user(user_id)

    def bump_session_version(self, user_id: int) -> int:
        """End every session of the account (sessions carry the version they began with);
        returns the new version."""
        with self._transaction() as connection:
            self._locked_user(connection, user_id)
            connection.execute(
                update(users)
                .where(users.c.id == user_id)
                .values(session_version=users.c.session_version + 1)
            )
        return self.get_user(user_id).session_version

    def delete_user(self, user_id: int) -> RemovedUser:
        """Delete the account and everything it owns (attempts, stories, mock interviews,
        plans, cohort places, links; the recordings' files too). The last admin cannot go."""
        with self._transaction() as connection:
            user = self._locked_user(connection, user_id)
            if user.role is Role.ADMIN:
                self._keep_an_admin(connection, user, "remove")
            counts = {
                name: int(
                    connection.execute(
                        select(func.count()).select_from(table).where(table.c.owner_id == user_id)
                    ).scalar_one()
                )
                for name, table in OWNED.items()
            }
            names = recording_names(connection, user_id)
            connection.execute(delete(users).where(users.c.id == user_id))
        for name in names:
            recordings.delete(name)
        return RemovedUser(user=user, recordings=len(names), **counts)

    # Logging in (used by accounts.service.Accounts)

    def credentials(self, email: str) -> tuple[User, str | None] | None:
        """The account with this (normalised) email and its password hash, or None."""
        row = self._run(select(users).where(users.c.email == email), "first")
        return (user_from_row(row), row._mapping["password_hash"]) if row is not None else None

    def record_login(
        self, user_id: int, *, now: datetime | None = None, new_hash: str | None = None
    ) -> User:
        """Note a successful log-in; `new_hash` replaces the stored hash (a stronger one)."""
        values: dict[str, Any] = {"last_login_at": moment_utc(now)}
        if new_hash is not None:
            values["password_hash"] = new_hash
        self._run(update(users).where(users.c.id == user_id).values(**values))
        return self.get_user(user_id)

    def record_failure(self, email: str, remote_addr: str, *, now: datetime | None = None) -> None:
        """Count one failed log-in for the email and the address; failures a day old go."""
        moment = moment_utc(now)
        with self._transaction() as connection:
            connection.execute(
                delete(login_failures).where(login_failures.c.at < moment - FAILURES_KEPT)
            )
            connection.execute(
                insert(login_failures).values(
                    email=email[:254], remote_addr=remote_addr[:MAX_ADDRESS], at=moment
                )
            )

    def recent_failures(
        self,
        *,
        since: datetime,
        limit: int,
        email: str | None = None,
        remote_addr: str | None = None,
    ) -> list[datetime]:
        """When the latest failed log-ins after `since` happened, newest first, at most
        `limit`: for one email, or for one address."""
        if (email is None) == (remote_addr is None):
            raise ValueError("give either an email or an address")
        column, value = (
            (login_failures.c.email, email[:254])
            if email is not None
            else (login_failures.c.remote_addr, str(remote_addr)[:MAX_ADDRESS])
        )
        rows = self._run(
            select(login_failures.c.at)
            .where(column == value, login_failures.c.at > since)
            .order_by(login_failures.c.at.desc())
            .limit(limit),
            "all",
        )
        return [utc(row[0]) for row in rows]

    # Links

    def create_invitation(
        self,
        purpose: Purpose,
        *,
        email: str | None = None,
        role: Role | None = None,
        user_id: int | None = None,
        cohort_id: int | None = None,
        created_by: int | None = None,
        ttl: timedelta | None = None,
        now: datetime | None = None,
    ) -> tuple[Invitation, str]:
        """A link's record and its token (returned here only). With `user_id` it sets that
        account's password; an invitation without one creates an account for `email` (or the
        email given when it is redeemed) with `role`, in `cohort_id` if given. Default
        validity: 7 days for an invitation, 24 hours for a reset."""
        purpose = Purpose(purpose)
        if user_id is None and (purpose is Purpose.RESET or role is None):
            raise ValueError("a reset needs the account; an invitation a user or a role")
        moment = moment_utc(now)
        if ttl is None:
            ttl = INVITE_TTL if purpose is Purpose.INVITE else RESET_TTL
        if user_id is not None:
            user = self.get_user(user_id)
            email, role = user.email, user.role
        token = secrets.token_urlsafe(32)
        new_id = self._run(
            insert(invitations)
            .values(
                token_hash=token_hash(token),
                purpose=purpose.value,
                email=normalise_email(email) if email is not None else None,
                role=Role(role).value if role is not None else None,
                cohort_id=cohort_id,
                user_id=user_id,
                created_by=created_by,
                created_at=moment,
                expires_at=moment + ttl,
            )
            .returning(invitations.c.id),
            "scalar",
        )
        row = self._run(select(invitations).where(invitations.c.id == new_id), "first")
        return _invitation(row), token

    def reset_link(
        self, user_id: int, *, created_by: int | None = None, now: datetime | None = None
    ) -> tuple[Invitation, str]:
        """A 24-hour, single-use link that sets a new password for the account (it also
        completes an invited account that never chose one), and its token."""
        return self.create_invitation(
            Purpose.RESET, user_id=user_id, created_by=created_by, now=now
        )

    def invitation(self, token: str, *, now: datetime | None = None) -> Invitation:
        """The link's record when it can still be used, for a page to show whom it is for;
        InvalidLinkError otherwise."""
        row = self._run(
            select(invitations).where(invitations.c.token_hash == token_hash(token)), "first"
        )
        return _usable(row, moment_utc(now))

    def redeem_invitation(
        self,
        token: str,
        password: str,
        *,
        name: str | None = None,
        email: str | None = None,
        now: datetime | None = None,
    ) -> User:
        """Use a link: check its token, that it is unused and unexpired, and the password's
        rules; then set the password (creating the account for an invitation without one) and
        mark the link used, in one transaction, so a link works exactly once. Every session of
        the account ends and its other open links stop working."""
        moment = moment_utc(now)
        hashed = hash_password(password)
        display = clean_name(name)
        taken = AccountExistsError("An account with this email already exists.")
        with self._transaction(taken) as connection:
            found = _usable(
                connection.execute(
                    select(invitations)
                    .where(invitations.c.token_hash == token_hash(token))
                    .with_for_update()
                ).first(),
                moment,
            )
            claimed = connection.execute(
                update(invitations)
                .where(invitations.c.id == found.id, invitations.c.used_at.is_(None))
                .values(used_at=moment)
            ).rowcount
            if claimed != 1:
                raise InvalidLinkError(USED)
            user_id = found.user_id
            if user_id is None:
                address = normalise_email(found.email or email or "")
                values = {
                    "email": address,
                    "name": display,
                    "role": (found.role or Role.CANDIDATE).value,
                    "password_hash": hashed,
                    "created_at": moment,
                }
                if connection.execute(select(users.c.id).where(users.c.email == address)).first():
                    raise self._taken(address)
                user_id = self._insert_user(connection, values, found.cohort_id)
            else:
                self._set_password(connection, user_id, hashed, moment)
                if display is not None:
                    connection.execute(
                        update(users).where(users.c.id == user_id).values(name=display)
                    )
        return self.get_user(user_id)

    # Helpers

    @staticmethod
    def _taken(email: str) -> AccountExistsError:
        return AccountExistsError(f"An account with the email {email} already exists.")

    def _insert_user(
        self, connection: Connection, values: dict[str, Any], cohort_id: int | None
    ) -> int:
        if connection.execute(select(users.c.id).where(users.c.email == values["email"])).first():
            raise self._taken(values["email"])
        user_id = int(
            connection.execute(insert(users).values(**values).returning(users.c.id)).scalar_one()
        )
        if cohort_id is not None:
            require_cohort(connection, cohort_id)
            connection.execute(
                insert(cohort_members).values(
                    cohort_id=cohort_id,
                    user_id=user_id,
                    role=Role(values["role"]).cohort_role.value,
                )
            )
        return user_id

    def _locked_user(self, connection: Connection, user_id: int) -> User:
        row = None
        if 1 <= user_id <= MAX_ID:
            row = connection.execute(
                select(users).where(users.c.id == user_id).with_for_update()
            ).first()
        if row is None:
            raise AccountNotFoundError(f"No account with id {user_id}.")
        return user_from_row(row)

    @staticmethod
    def _keep_an_admin(connection: Connection, user: User, action: str) -> None:
        if connection.dialect.name == "postgresql":
            # Two admins demoting or removing each other at once each lock only their own row,
            # so both would count two admins and leave none: these checks take turns (the
            # second then counts after the first's commit). SQLite has one writer at a time.
            connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADMIN_LOCK})
        admins = connection.execute(
            select(func.count()).select_from(users).where(users.c.role == Role.ADMIN.value)
        ).scalar_one()
        if admins <= 1:
            raise LastAdminError(
                f"Cannot {action} {user.email}: it is the only admin account. Make another "
                "account admin first (`starcoach users set-role EMAIL admin`)."
            )

    @staticmethod
    def _set_password(connection: Connection, user_id: int, hashed: str, now: datetime) -> None:
        connection.execute(
            update(users)
            .where(users.c.id == user_id)
            .values(password_hash=hashed, session_version=users.c.session_version + 1)
        )
        connection.execute(
            update(invitations)
            .where(invitations.c.user_id == user_id, invitations.c.used_at.is_(None))
            .values(used_at=now)
        )


UNKNOWN = "This link is not valid: check that it was copied whole, or ask for a new one."
USED = "This link was already used; ask for a new one if you need it."


def _usable(row: Any, now: datetime) -> Invitation:
    if row is None:
        raise InvalidLinkError(UNKNOWN)
    found = _invitation(row)
    if found.used_at is not None:
        raise InvalidLinkError(USED)
    if found.expires_at <= now:
        raise InvalidLinkError(
            f"This link expired on {found.expires_at:%Y-%m-%d at %H:%M} UTC; ask for a new one."
        )
    return found


def require_cohort(connection: Connection, cohort_id: int) -> None:
    found = None
    if 1 <= cohort_id <= MAX_ID:
        found = connection.execute(select(cohorts.c.id).where(cohorts.c.id == cohort_id)).first()
    if found is None:
        raise AccountNotFoundError(f"No cohort with id {cohort_id}.")


__all__ = ["INVITE_TTL", "RESET_TTL", "AccountStore", "token_hash"]
