"""The errors a user may see.

Everything starcoach raises on purpose derives from :class:`StarcoachError`, so the CLI and the web
layer can turn it into a clear message instead of a traceback. Each class carries what both edges
need: `exit_code` for the CLI and `http_status` for the web, so neither matches message text.
"""

from __future__ import annotations


class StarcoachError(Exception):
    """Base class for every error meant for the user's eyes."""

    exit_code = 1
    # The input was understood but cannot be used as it is: the web answers 422.
    http_status = 422


class NotFoundError(StarcoachError):
    """An id that names nothing: a guide, an attempt, a story or a mock interview."""

    exit_code = 3
    http_status = 404


class TooLargeError(StarcoachError):
    """Input beyond a documented size limit."""

    http_status = 413


class DatabaseUnavailableError(StarcoachError):
    """The database cannot be opened or changed now (missing, locked, read-only, full or
    damaged): not the user's input, so the web answers 503 and the user can retry later."""

    http_status = 503


class GuideFormatError(StarcoachError):
    """A guide file could not be read: names the source, the line and what was expected."""

    exit_code = 2

    def __init__(self, message: str, *, source: str = "<input>", line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.detail = message
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class GuideNotFoundError(NotFoundError):
    """No guide has the requested id; carries the closest ids as suggestions."""

    exit_code = 3

    def __init__(self, guide_id: str, suggestions: list[str] | None = None) -> None:
        self.guide_id = guide_id
        self.suggestions = suggestions or []
        message = f"No guide with id '{guide_id}'."
        if self.suggestions:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)


class GuideExistsError(StarcoachError):
    """Importing would overwrite a guide that is already in a library."""

    exit_code = 4


class AnswerError(StarcoachError):
    """An answer the coach cannot analyze: empty, too long, or not in English."""

    exit_code = 2


class AnswerTooLongError(AnswerError, TooLargeError):
    """An answer over the length limit: exit code 2 like any bad answer, 413 on the web."""


# Accounts (shared mode): docs/accounts.md.


class AuthenticationError(StarcoachError):
    """Not logged in, or a wrong email or password: one message for both, so nobody can find
    out which emails have an account."""

    http_status = 401


class PermissionDeniedError(StarcoachError):
    """Logged in, but this account may not do that."""

    http_status = 403


class TooManyAttemptsError(StarcoachError):
    """Too many failed log-ins lately; `retry_after` says in how many seconds to try again."""

    http_status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class InvalidAccountDataError(StarcoachError):
    """An email address, password, name or cohort name that cannot be used as it is."""

    exit_code = 2


class InvalidEmailError(InvalidAccountDataError):
    """Not an email address starcoach can keep; the message names what is wrong with it."""


class WeakPasswordError(InvalidAccountDataError):
    """A password too short or too long to be accepted."""


class AccountExistsError(StarcoachError):
    """An account with that email, or a cohort with that name, already exists."""

    exit_code = 4
    http_status = 409


class AccountNotFoundError(NotFoundError):
    """No account has that email or id, or no cohort that name or id."""


class InvalidLinkError(StarcoachError):
    """A sign-up or password-reset link that is unknown, already used or expired."""

    exit_code = 2
    http_status = 410


class LastAdminError(StarcoachError):
    """The change would leave no admin to manage the accounts."""

    exit_code = 2
    http_status = 409
