"""Passwords: the rules a new one must meet, and argon2id hashes (argon2-cffi).

Only hashes are stored. `HASHER` carries the cost parameters; when a newer version raises
them, `needs_rehash` tells the log-in to store a fresh hash of the password it just checked.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import WeakPasswordError

MIN_LENGTH = 10
MAX_LENGTH = 1000

# OWASP's recommended argon2id set (19 MiB, 2 passes, 1 lane): about 20 ms of CPU a check here,
# against 130-170 ms for argon2-cffi's defaults (64 MiB, 3 passes, 4 lanes), which let a class
# of 100 logging in at once fill both cores for 20 s (docs/performance.md). Hashes made with
# other parameters still verify, and are renewed at the next log-in (`needs_rehash`).
HASHER = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)
_dummy: tuple[PasswordHasher, str] | None = None


def check_password(password: str) -> str:
    """The password when it meets the rules, else a WeakPasswordError saying which."""
    if len(password) < MIN_LENGTH:
        raise WeakPasswordError(
            f"The password is too short: it has {len(password)} characters and needs at least "
            f"{MIN_LENGTH}. A few unrelated words make a long one that is easy to remember."
        )
    if len(password) > MAX_LENGTH:
        raise WeakPasswordError(
            f"The password is too long: it has {len(password):,} characters and the limit is "
            f"{MAX_LENGTH:,}."
        )
    return password


def hash_password(password: str) -> str:
    """The argon2id hash of a new password, after checking the rules."""
    return HASHER.hash(check_password(password))


def rehash(password: str) -> str:
    """A fresh hash of a password already accepted once (the rules may have changed since)."""
    return HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash; a damaged hash matches nothing."""
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return HASHER.check_needs_rehash(password_hash)
    except InvalidHashError:
        return False


def dummy_verify(password: str) -> None:
    """Spend the time a real check takes, for an email with no usable password, so the answer's
    timing does not tell whether an account exists."""
    global _dummy
    if _dummy is None or _dummy[0] is not HASHER:
        _dummy = (HASHER, HASHER.hash("not the password of any account"))
    verify_password(_dummy[1], password)
