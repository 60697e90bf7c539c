"""The JSON Schema of the analysis result, generated from the pydantic models in result.py.

Run: python -m starcoach.analysis.schema > docs/analysis.schema.json
A test regenerates it and fails when the committed file has drifted from the models.
"""

from __future__ import annotations

import json
from typing import Any

from .result import SCHEMA_VERSION, Analysis


def analysis_schema() -> dict[str, Any]:
    schema = Analysis.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://starcoach.local/analysis-{SCHEMA_VERSION}.schema.json"
    return schema


def main() -> None:
    print(json.dumps(analysis_schema(), indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
