"""JSON Schema for guide files, generated from the models (for editors and CI).

Editors that speak the YAML language server pick it up from a first-line comment:
`# yaml-language-server: $schema=./sdm-guide.schema.json` (see docs/authoring.md).
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import TypeAdapter

from assistant.guides.models import Document

SCHEMA_ID = "urn:sdm-assistant:guide-schema:1"


def guide_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every decision aid, meeting guide and plan template meets."""
    schema = TypeAdapter(Document).json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sdm-assistant guide",
        "description": "A decision aid, meeting guide or plan template for sdm-assistant.",
        **schema,
    }


def schema_json() -> str:
    """`guide_schema()` as indented JSON text, ending with a newline."""
    return json.dumps(guide_schema(), ensure_ascii=False, indent=2) + "\n"
