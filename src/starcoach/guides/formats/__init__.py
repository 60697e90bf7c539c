"""Every guide format behind one pair of functions: read_guide (with detection) and write_guide."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...errors import GuideFormatError, StarcoachError
from ..model import Guide
from .markdown import read_markdown, write_markdown
from .seed import read_seed, write_seed
from .structured import read_json, read_yaml, write_json, write_yaml

Reader = Callable[[str, str], Guide]
Writer = Callable[[Guide], str]

READERS: dict[str, Reader] = {
    "seed": read_seed,
    "markdown": read_markdown,
    "json": read_json,
    "yaml": read_yaml,
}
WRITERS: dict[str, Writer] = {
    "seed": write_seed,
    "markdown": write_markdown,
    "json": write_json,
    "yaml": write_yaml,
}
FORMATS: tuple[str, ...] = tuple(READERS)
EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".txt": "seed",
}
SUFFIXES = {"seed": ".txt", "markdown": ".md", "json": ".json", "yaml": ".yaml"}


def detect_format(text: str, filename: str | None = None) -> str:
    """Guess the format from the content first (files get renamed), then from the extension."""
    stripped = text.lstrip("\ufeff \t\r\n")
    first_line = stripped.splitlines()[0].strip() if stripped else ""
    if first_line.lower().rstrip(":") == "the question":
        return "seed"
    if stripped.startswith("{"):
        return "json"
    if first_line == "---" and any(line.startswith("# ") for line in stripped.splitlines()[1:]):
        return "markdown"
    if filename and Path(filename).suffix.lower() in EXTENSIONS:
        return EXTENSIONS[Path(filename).suffix.lower()]
    return "yaml"


def read_guide(text: str, source: str = "<input>", fmt: str | None = None) -> Guide:
    """Parse a guide in any supported format; GuideFormatError names the source and line."""
    chosen = fmt or detect_format(text, source)
    if chosen not in READERS:
        raise StarcoachError(f"Unknown format '{chosen}'. Choose one of: {', '.join(FORMATS)}.")
    return READERS[chosen](text, source)


def read_guide_file(path: str | Path, fmt: str | None = None) -> Guide:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise StarcoachError(f"Cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GuideFormatError(
            f"not UTF-8 text (byte {exc.start} cannot be decoded)", source=str(path)
        ) from None
    return read_guide(text, str(path), fmt)


def write_guide(guide: Guide, fmt: str) -> str:
    if fmt not in WRITERS:
        raise StarcoachError(f"Unknown format '{fmt}'. Choose one of: {', '.join(FORMATS)}.")
    return WRITERS[fmt](guide)


__all__ = ["FORMATS", "SUFFIXES", "detect_format", "read_guide", "read_guide_file", "write_guide"]
