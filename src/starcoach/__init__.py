"""starcoach: question guides and feedback for behavioral interviews, offline.

The small public API::

    import starcoach
    library = starcoach.load_library()
    guide = library.get("failed-product-launch")
    print(starcoach.write_guide(guide, "seed"))
    result = starcoach.analyze("Last spring I ...", guide="failed-product-launch")
    print(result.overall.rating, result.to_dict()["signals"])
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# Imported on first use, so that `starcoach --help` does not pay for the analysis engine.
_EXPORTS = {
    "Analysis": "starcoach.analysis",
    "analyze": "starcoach.api",
    "AnswerError": "starcoach.errors",
    "GuideFormatError": "starcoach.errors",
    "GuideNotFoundError": "starcoach.errors",
    "StarcoachError": "starcoach.errors",
    "FORMATS": "starcoach.guides.formats",
    "read_guide": "starcoach.guides.formats",
    "read_guide_file": "starcoach.guides.formats",
    "write_guide": "starcoach.guides.formats",
    "Library": "starcoach.guides.library",
    "load_library": "starcoach.guides.library",
    "LEVELS": "starcoach.guides.model",
    "Guide": "starcoach.guides.model",
    "Point": "starcoach.guides.model",
    "Signal": "starcoach.guides.model",
    "StarPart": "starcoach.guides.model",
}

if TYPE_CHECKING:
    from .analysis import Analysis
    from .api import analyze
    from .errors import AnswerError, GuideFormatError, GuideNotFoundError, StarcoachError
    from .guides.formats import FORMATS, read_guide, read_guide_file, write_guide
    from .guides.library import Library, load_library
    from .guides.model import LEVELS, Guide, Point, Signal, StarPart


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'starcoach' has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "LEVELS",
    "Analysis",
    "AnswerError",
    "Guide",
    "GuideFormatError",
    "GuideNotFoundError",
    "Library",
    "Point",
    "Signal",
    "StarPart",
    "StarcoachError",
    "__version__",
    "analyze",
    "load_library",
    "read_guide",
    "read_guide_file",
    "write_guide",
]
