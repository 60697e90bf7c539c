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

from .analysis import Analysis
from .api import analyze
from .errors import AnswerError, GuideFormatError, GuideNotFoundError, StarcoachError
from .guides.formats import FORMATS, read_guide, read_guide_file, write_guide
from .guides.library import Library, load_library
from .guides.model import LEVELS, Guide, Point, Signal, StarPart

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
    "Analysis",
    "AnswerError",
    "LEVELS",
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
