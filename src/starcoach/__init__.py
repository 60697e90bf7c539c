"""starcoach: question guides and feedback for behavioral interviews, offline.

The small public API::

    import starcoach
    library = starcoach.load_library()
    guide = library.get("failed-product-launch")
    print(starcoach.write_guide(guide, "seed"))
"""

from __future__ import annotations

from .errors import GuideFormatError, GuideNotFoundError, StarcoachError
from .guides.formats import FORMATS, read_guide, read_guide_file, write_guide
from .guides.library import Library, load_library
from .guides.model import LEVELS, Guide, Point, Signal, StarPart

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
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
    "load_library",
    "read_guide",
    "read_guide_file",
    "write_guide",
]
