"""The errors a user may see.

Everything starcoach raises on purpose derives from :class:`StarcoachError`, so the CLI and the web
layer can turn it into a clear message and an exit code instead of a traceback.
"""

from __future__ import annotations


class StarcoachError(Exception):
    """Base class for every error meant for the user's eyes."""

    exit_code = 1


class GuideFormatError(StarcoachError):
    """A guide file could not be read: names the source, the line and what was expected."""

    exit_code = 2

    def __init__(self, message: str, *, source: str = "<input>", line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.detail = message
        where = f"{source}, line {line}" if line is not None else source
        super().__init__(f"{where}: {message}")


class GuideNotFoundError(StarcoachError):
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
