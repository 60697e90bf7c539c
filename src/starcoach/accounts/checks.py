"""Emails, names and cohort names as they are stored: tidied, or refused with a message that
names what is wrong. Deliberately simple: the test of an address is that its owner receives the
link, not a grammar."""

from __future__ import annotations

import unicodedata

from ..errors import InvalidAccountDataError, InvalidEmailError

MAX_EMAIL = 254
MAX_NAME = 200
MAX_COHORT_NAME = 100


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf") for char in text)


def normalise_email(email: str) -> str:
    """The address stripped and lower-cased, so one person has one account however they type
    it; an InvalidEmailError names the problem."""
    address = email.strip().lower()
    if not address:
        raise InvalidEmailError("The email address is empty.")
    if len(address) > MAX_EMAIL:
        raise InvalidEmailError(
            f"The email address is {len(address)} characters long; the limit is {MAX_EMAIL}."
        )
    problem = None
    if any(char.isspace() for char in address) or _has_control(address):
        problem = "it contains a space or an invisible character"
    elif address.count("@") != 1:
        problem = "it has no @" if "@" not in address else "it has more than one @"
    else:
        local, domain = address.split("@")
        if not local:
            problem = "there is nothing before the @"
        elif "." not in domain.strip(".") or domain.startswith(".") or domain.endswith("."):
            problem = "the part after the @ is not a domain such as example.com"
    if problem:
        raise InvalidEmailError(f"{_shown(email.strip())} is not an email address: {problem}.")
    return address


def clean_name(name: str | None) -> str | None:
    """A person's display name, stripped; empty means none."""
    if name is None or not name.strip():
        return None
    name = name.strip()
    if len(name) > MAX_NAME:
        raise InvalidAccountDataError(
            f"The name is {len(name)} characters long; the limit is {MAX_NAME}."
        )
    if _has_control(name):
        raise InvalidAccountDataError(
            f"The name {_shown(name)} contains an invisible character; type it again."
        )
    return name


def clean_cohort_name(name: str) -> str:
    """A cohort's name, stripped: required, one line, at most 100 characters."""
    name = name.strip()
    if not name:
        raise InvalidAccountDataError("The cohort name is empty.")
    if len(name) > MAX_COHORT_NAME:
        raise InvalidAccountDataError(
            f"The cohort name is {len(name)} characters long; the limit is {MAX_COHORT_NAME}."
        )
    if _has_control(name):
        raise InvalidAccountDataError(
            f"The cohort name {_shown(name)} contains a line break or an invisible character."
        )
    return name
