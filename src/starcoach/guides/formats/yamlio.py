"""YAML through libyaml's C loader and dumper when PyYAML was built with it (about 10x faster)."""

from __future__ import annotations

from typing import Any

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def load_yaml(text: str) -> Any:
    return yaml.load(text, Loader=_Loader)


def dump_yaml(data: Any, **options: Any) -> str:
    return str(yaml.dump(data, Dumper=_Dumper, **options))
