"""Write the JSON Schemas editors use to validate the YAML files as people type.

``python -m questions.schemas`` regenerates ``questions/schema/*.schema.json`` from the
loader's models; a test fails when the files on disk are out of date.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from questions.model import (
    Bank,
    CrossMap,
    Framework,
    FrameworkTranslation,
    ScalesFile,
    ScalesTranslation,
    SourcesFile,
    Translation,
)

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
SCHEMAS: dict[str, type[BaseModel]] = {
    "bank": Bank,
    "scales": ScalesFile,
    "crossmap": CrossMap,
    "framework": Framework,
    "sources": SourcesFile,
    "translation": Translation,
    "scales-translation": ScalesTranslation,
    "framework-translation": FrameworkTranslation,
}


def render(name: str) -> str:
    """The schema of one file kind, as the JSON text stored in the repository."""
    schema = SCHEMAS[name].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://outside-in.invalid/schema/{name}.schema.json"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    SCHEMA_DIR.mkdir(exist_ok=True)
    for name in SCHEMAS:
        (SCHEMA_DIR / f"{name}.schema.json").write_text(render(name), encoding="utf-8")
        print(f"wrote {SCHEMA_DIR.name}/{name}.schema.json")


if __name__ == "__main__":
    main()
