"""The flag registry (data/flags.yaml): each red flag's id, message, weight on the verdict and
follow-up, declared once and read everywhere (flags, scoring, feedback, mock interviews, docs)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict


class FlagSpec(BaseModel):
    """One red flag as the rubric defines it."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    severity: Literal["critical", "major", "minor"]
    cap: int | None = None
    penalty: float = 0.0
    message: str
    fix: str
    probe: str
    anchored: bool = False
    covers: tuple[str, ...] = ()


@cache
def flag_specs() -> dict[str, FlagSpec]:
    """Every flag, in priority order (what to fix first comes first)."""
    text = (resources.files("starcoach.analysis") / "data" / "flags.yaml").read_text("utf-8")
    return {item["id"]: FlagSpec(**item) for item in yaml.safe_load(text)}


FLAGS = flag_specs()
FLAG_IDS: tuple[str, ...] = tuple(FLAGS)
FLAG_PRIORITY = FLAG_IDS


def spec(flag_id: str) -> FlagSpec:
    return FLAGS[flag_id]
