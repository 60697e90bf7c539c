"""JSON and YAML: the guide's dictionary shape, checked field by field on the way in."""

from __future__ import annotations

import json
from typing import Any

import yaml

from ...errors import GuideFormatError
from ..model import (
    METADATA_KEYS,
    STAR_PARTS,
    Guide,
    Point,
    Signal,
    StarPart,
    normalize_level,
    slugify,
)
from .yamlio import dump_yaml, load_yaml

TEXT_FIELDS = ("category", "title", "question", "level", "assumptions", "cheat_code")
KNOWN_KEYS = frozenset(
    {*TEXT_FIELDS, "id", "competencies", "clarifying_questions", "signals", "star", *METADATA_KEYS}
)


class _Fields:
    """Reads typed values out of a mapping, naming the exact path of anything wrong."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, expected: str) -> GuideFormatError:
        return GuideFormatError(f"field '{path}': expected {expected}", source=self.source)

    def text(self, data: dict[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = data.get(key)
        if value is None and not required:
            return ""
        if not isinstance(value, str):
            raise self.fail(path, "a text value")
        return value

    def texts(self, data: dict[str, Any], key: str, path: str) -> list[str]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(path, "a list of text values")
        return value

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(path, "an object with named fields")
        return value


def guide_from_dict(data: Any, source: str = "<input>") -> Guide:
    """Build a Guide from the documented JSON shape; raises GuideFormatError naming the field."""
    fields = _Fields(source)
    data = fields.mapping(data, "(top level)")
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise fields.fail(
            unknown[0], "no such field (known: " + ", ".join(sorted(KNOWN_KEYS)) + ")"
        )
    missing = [k for k in ("title", "question") if not data.get(k)]
    if missing:
        raise fields.fail(missing[0], "a non-empty value (required)")
    values = {k: fields.text(data, k, k, required=False) for k in TEXT_FIELDS}
    signals = []
    raw_signals = data.get("signals", [])
    if not isinstance(raw_signals, list):
        raise fields.fail("signals", "a list of {name, description}")
    for i, raw in enumerate(raw_signals):
        item = fields.mapping(raw, f"signals[{i}]")
        signals.append(
            Signal(
                fields.text(item, "name", f"signals[{i}].name"),
                fields.text(item, "description", f"signals[{i}].description"),
            )
        )
    star_data = fields.mapping(data.get("star", {}), "star")
    unknown = sorted(set(star_data) - set(STAR_PARTS))
    if unknown:
        raise fields.fail(f"star.{unknown[0]}", "one of " + ", ".join(STAR_PARTS))
    star = {}
    for part, raw_part in star_data.items():
        part_data = fields.mapping(raw_part, f"star.{part}")
        raw_points = part_data.get("points", [])
        if not isinstance(raw_points, list):
            raise fields.fail(f"star.{part}.points", "a list of {label, text}")
        points = []
        for i, raw_point in enumerate(raw_points):
            path = f"star.{part}.points[{i}]"
            point = fields.mapping(raw_point, path)
            label = point.get("label")
            if label is not None and not isinstance(label, str):
                raise fields.fail(f"{path}.label", "a text value or null")
            points.append(Point(fields.text(point, "text", f"{path}.text"), label))
        star[part] = StarPart(
            fields.text(part_data, "heading", f"star.{part}.heading"), tuple(points)
        )
    metadata = {k: data[k] for k in METADATA_KEYS if k in data}
    for key in ("roles", "tags"):
        if key in metadata:
            fields.texts(data, key, key)
    guide_id = data.get("id") or slugify(values["title"])
    if not isinstance(guide_id, str):
        raise fields.fail("id", "a text value")
    return Guide(
        id=guide_id,
        category=values["category"],
        title=values["title"],
        question=values["question"],
        level=normalize_level(values["level"]),
        competencies=tuple(fields.texts(data, "competencies", "competencies")),
        clarifying_questions=tuple(
            fields.texts(data, "clarifying_questions", "clarifying_questions")
        ),
        assumptions=values["assumptions"],
        signals=tuple(signals),
        cheat_code=values["cheat_code"],
        star=star,
        metadata=metadata,
    )


def read_json(text: str, source: str = "<input>") -> Guide:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GuideFormatError(f"invalid JSON: {exc.msg}", source=source, line=exc.lineno) from None
    except RecursionError:
        raise GuideFormatError("the JSON is nested too deeply", source=source) from None
    return guide_from_dict(data, source)


def write_json(guide: Guide) -> str:
    return json.dumps(guide.to_dict(), indent=2, ensure_ascii=False) + "\n"


def read_yaml(text: str, source: str = "<input>") -> Guide:
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "could not be parsed"
        raise GuideFormatError(f"invalid YAML: {problem}", source=source, line=line) from None
    return guide_from_dict(data, source)


def write_yaml(guide: Guide) -> str:
    return dump_yaml(
        guide.to_dict(), sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
