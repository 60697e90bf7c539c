"""Speech practice: transcribe a spoken answer offline and describe its delivery.

Importing this package is cheap: the speech-to-text engine (faster-whisper, ctranslate2, PyAV)
is imported only when a recording is actually transcribed.
"""

from starcoach.speech.delivery import delivery
from starcoach.speech.errors import (
    MAX_AUDIO_SECONDS,
    AudioError,
    AudioTooLongError,
    SpeechUnavailableError,
)
from starcoach.speech.model import (
    Delivery,
    Filler,
    PacePoint,
    Pause,
    SpokenAnswer,
    TimedSentence,
    Transcript,
    Word,
)
from starcoach.speech.whisper import speech_available, spoken_answer, transcribe

__all__ = [
    "MAX_AUDIO_SECONDS",
    "AudioError",
    "AudioTooLongError",
    "Delivery",
    "Filler",
    "PacePoint",
    "Pause",
    "SpeechUnavailableError",
    "SpokenAnswer",
    "TimedSentence",
    "Transcript",
    "Word",
    "delivery",
    "speech_available",
    "spoken_answer",
    "transcribe",
]
