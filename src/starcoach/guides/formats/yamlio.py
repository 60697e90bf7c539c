"""YAML through libyaml's C loader and dumper when PyYAML was built with it (about 10x faster)."""

from __future__ import annotations

from typing import Any, cast

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


MAX_DEPTH = 50

_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def load_yaml(text: str) -> Any:
    """Refuses nesting deeper than MAX_DEPTH first: libyaml builds nested values recursively
    and a few thousand levels crash the interpreter (a segfault, not an exception)."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, _OPENING):
            depth += 1
            if depth > MAX_DEPTH:
                raise yaml.MarkedYAMLError(
                    problem=f"nested more than {MAX_DEPTH} levels deep",
                    problem_mark=cast("yaml.Mark", event.start_mark),  # C or Python: a line
                )
        elif isinstance(event, _CLOSING):
            depth -= 1
    return yaml.load(text, Loader=_Loader)


def dump_yaml(data: Any, **options: Any) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, **options))
