"""The errors a spoken answer can meet, each with its exit code and HTTP status."""

from __future__ import annotations

from starcoach.errors import StarcoachError, TooLargeError

MAX_AUDIO_SECONDS = 15 * 60

INSTALL_HINT = "pip install 'starcoach[speech]'"


class SpeechUnavailableError(StarcoachError):
    """The speech extra is not installed: not the user's input, so the web answers 501."""

    exit_code = 6
    http_status = 501

    def __init__(self, detail: str = "") -> None:
        message = f"Speech needs the optional speech engine: {INSTALL_HINT}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class AudioError(StarcoachError):
    """A recording that cannot be used: empty, silent, corrupt or not audio. Names the file."""

    exit_code = 2
    http_status = 422

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class AudioTooLongError(AudioError, TooLargeError):
    """A recording over MAX_AUDIO_SECONDS: exit code 2 like any bad recording, 413 on the web."""

    http_status = 413
