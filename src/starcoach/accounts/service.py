"""Logging in: a password checked against its hash, with a rate limit held in the database.

After 5 failed log-ins for one email, or 20 from one address, within 15 minutes, the next try is
refused with TooManyAttemptsError before any password is checked, until the oldest of those
failures is 15 minutes old. Every failure gets the same message, and an email without an account
costs the same hashing time as one with, so neither the words nor the timing tell which emails
have an account.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from ..errors import AuthenticationError, TooManyAttemptsError
from .model import Purpose, User
from .passwords import MAX_LENGTH, dummy_verify, needs_rehash, rehash, verify_password

if TYPE_CHECKING:  # storage imports this package's model; import it only for the types
    from ..storage.accounts import AccountStore

WINDOW = timedelta(minutes=15)
MAX_EMAIL_FAILURES = 5
MAX_ADDRESS_FAILURES = 20
LOGIN_FAILED = "Wrong email or password."
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def utc_now() -> datetime:
    return datetime.now(UTC)


def link(base_url: str, purpose: Purpose, token: str) -> str:
    """The address to hand out: `{base_url}/join/{token}` or `{base_url}/reset/{token}`."""
    return base_url.rstrip("/") + Purpose(purpose).path + token


class Accounts:
    """Log-ins over an AccountStore; `clock` gives the current time (tests pass their own)."""

    def __init__(self, store: AccountStore, clock: Callable[[], datetime] = utc_now) -> None:
        self.store = store
        self.clock = clock

    def authenticate(self, email: str, password: str, remote_addr: str) -> User:
        """The account whose email and password these are, its last log-in noted (and its hash
        renewed when the hashing parameters have grown). AuthenticationError (401) for any
        wrong pair; TooManyAttemptsError (429) while the email or the address is locked out."""
        now = self.clock().astimezone(UTC)
        key = email.strip().lower()[:254]
        self._refuse_when_locked(key, remote_addr, now)
        found = self.store.credentials(key)
        password_hash = found[1] if found is not None else None
        if found is None or password_hash is None or len(password) > MAX_LENGTH:
            dummy_verify(password[:MAX_LENGTH])
            matched = False
        else:
            matched = verify_password(password_hash, password)
        if not matched or found is None or password_hash is None:
            self.store.record_failure(key, remote_addr, now=now)
            raise AuthenticationError(LOGIN_FAILED)
        renewed = rehash(password) if needs_rehash(password_hash) else None
        return self.store.record_login(found[0].id, now=now, new_hash=renewed)

    def _refuse_when_locked(self, email: str, remote_addr: str, now: datetime) -> None:
        since = now - WINDOW
        for failures, limit, whose in (
            (
                self.store.recent_failures(email=email, since=since, limit=MAX_EMAIL_FAILURES),
                MAX_EMAIL_FAILURES,
                "for this email",
            ),
            (
                self.store.recent_failures(
                    remote_addr=remote_addr, since=since, limit=MAX_ADDRESS_FAILURES
                ),
                MAX_ADDRESS_FAILURES,
                "from this address",
            ),
        ):
            if len(failures) >= limit:
                # Newest first: the lock lifts when the oldest of these leaves the window.
                seconds = max(1, math.ceil((failures[-1] + WINDOW - now).total_seconds()))
                minutes = math.ceil(seconds / 60)
                raise TooManyAttemptsError(
                    f"Too many failed log-ins {whose}: try again in {minutes} "
                    f"minute{'s' if minutes != 1 else ''}.",
                    retry_after=seconds,
                )
