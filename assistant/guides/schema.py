"""JSON Schema for guide files, generated from the models (for editors and CI).

Editors that speak the YAML language server pick it up from a first-line comment,
`MODELINE`, which `sdm new` writes with the schema file beside the new guide (see
docs/authoring.md). Pydantic writes the schema, descriptions included (every key's comes from
its `Field(description=...)` in the models: one source); here it is made to serve editors:

- **Discriminated unions.** The file kinds (`kind`) and the step types (`type`) are unions
  that one key decides. Each union lists the key's values (`enum`, with a description of each:
  an editor offers them at `type: `), carries an OpenAPI-style `discriminator`
  (`propertyName`, `mapping`), and applies the one model its key names (`if` the key is that
  model's `const`, `then` the model). Validators and editors then report the real problem —
  "'rnaking' is not one of ['info', ...]" at `type`, or an unknown key of a scale step — not
  the failure of every other branch, as a `oneOf` of the models does: JSON Schema validators
  (check-jsonschema, the YAML language server) ignore `discriminator`, so a `oneOf` tries
  every branch, and their error heuristics then pick some other branch's complaint. Pydantic
  does not describe the models' callable discriminators, so the unions are rebuilt from the
  `const`s.
- **Shared definitions.** The step union is one definition, `#/$defs/Step`, and a plan field
  a step fills another, `#/$defs/FillTarget`: `guide_schema(fills=...)` (`sdm schema
  --library`) lists a library's plan fields there as the values allowed, so an editor can
  offer them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter

from assistant.guides.models import FILL_PATTERN, Document, PlanTemplate, text_in

if TYPE_CHECKING:
    from assistant.guides.loader import Library

SCHEMA_ID = "urn:sdm-assistant:guide-schema:1"
#: The file `sdm new` writes beside a new guide, and its modeline names.
SCHEMA_FILE = "sdm-guide.schema.json"
#: The first line of a guide that points the YAML language server at `SCHEMA_FILE` beside it.
MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_FILE}"

_DEFS = "#/$defs/"
#: The keys that decide a union, and the name of the union's shared definition (if any).
_DISCRIMINATORS = {"kind": None, "type": "Step"}
_DESCRIPTIONS = {
    "": "A decision aid, meeting guide or plan template for sdm-assistant, as described in "
        "docs/authoring.md. `sdm validate` also checks what a schema cannot: that ids are "
        "unique, conditions and sources name what exists, `fills` names real plan fields.",
    "Step": "A step: one thing the guide says or asks. Every step has `id`, `type` and "
            "`prompt`; `type` decides which other keys it may have.",
    "FillTarget": "A plan field the answer goes into: `template.field`, e.g. `ua.needs`.",
}


def guide_schema(fills: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) every decision aid, meeting guide and plan template meets.

    Args:
        fills: the plan fields allowed as `fills` targets (`template.field` → what it is),
            e.g. a library's (`plan_fields`); by default any well-formed target is allowed.
    """
    schema = TypeAdapter(Document).json_schema(mode="validation")
    defs: dict[str, Any] = schema.pop("$defs")
    for node in list(_walk(defs)):
        if _union(node.get("oneOf"), defs) is not None:
            name, union = _discriminated(node.pop("oneOf"), defs)
            defs[name] = union
            node["$ref"] = f"{_DEFS}{name}"
        elif node.get("pattern") == FILL_PATTERN:
            node.clear()
            node["$ref"] = f"{_DEFS}FillTarget"
    defs["FillTarget"] = _fill_target(fills)
    _, root = _discriminated(schema.pop("oneOf"), defs)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "sdm-assistant guide",
        **root,
        "description": _DESCRIPTIONS[""],
        "$defs": dict(sorted(defs.items())),
    }


def schema_json(fills: Mapping[str, str] | None = None) -> str:
    """`guide_schema(fills)` as indented JSON text, ending with a newline."""
    return json.dumps(guide_schema(fills), ensure_ascii=False, indent=2) + "\n"


def plan_fields(library: Library) -> dict[str, str]:
    """Every plan field of `library` as a `fills` target (`template.field`), with its label and
    its template's title (in Danish, as the plan shows them), sorted."""
    found: dict[str, str] = {}
    for template_id, loaded in library.templates.items():
        if not isinstance(template := loaded.document, PlanTemplate):
            continue
        title = text_in(template.title, "da")
        for field in template.fields:
            found[f"{template_id}.{field.id}"] = f"{text_in(field.label, 'da')} ({title})"
    return dict(sorted(found.items()))


# --- unions -----------------------------------------------------------------------------------


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every mapping inside `node`, depth first, `node` itself included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _union(branches: Any, defs: dict[str, Any]) -> tuple[str, dict[str, str]] | None:
    """(key, {value: `$ref`}) if `branches` are `$ref`s to models that each hold the same
    discriminating key as a different `const`; otherwise None."""
    if not isinstance(branches, list) or len(branches) < 2:
        return None
    for key in _DISCRIMINATORS:
        mapping: dict[str, str] = {}
        for branch in branches:
            ref = branch.get("$ref") if isinstance(branch, dict) and len(branch) == 1 else None
            model = defs.get(str(ref).removeprefix(_DEFS), {})
            value = model.get("properties", {}).get(key, {}).get("const")
            if not isinstance(value, str) or value in mapping:
                break
            mapping[value] = str(ref)
        else:
            return key, mapping
    return None


def _discriminated(branches: list[Any], defs: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The name and schema of the discriminated union of `branches` (pydantic's `oneOf`)."""
    found = _union(branches, defs)
    if found is None:
        raise ValueError("not a discriminated union: each branch needs its own 'kind'/'type'")
    key, mapping = found
    models = [defs[ref.removeprefix(_DEFS)] for ref in mapping.values()]
    name = _DISCRIMINATORS[key] or ""
    union: dict[str, Any] = {
        "description": _DESCRIPTIONS.get(name, ""),
        "type": "object",
        "required": [key],
        "properties": {key: {
            "description": models[0]["properties"][key]["description"],
            "enum": list(mapping),
            # The YAML language server shows these beside the values it offers.
            "enumDescriptions": [m.get("description", "") for m in models],
        }},
        "discriminator": {"propertyName": key, "mapping": mapping},
        "allOf": [
            {"if": {"properties": {key: {"const": value}}, "required": [key]},
             "then": {"$ref": ref}}
            for value, ref in mapping.items()
        ],
    }
    return name, union


def _fill_target(fills: Mapping[str, str] | None) -> dict[str, Any]:
    target: dict[str, Any] = {
        "description": _DESCRIPTIONS["FillTarget"],
        "type": "string",
        "pattern": FILL_PATTERN,
    }
    if fills is not None:
        target["description"] += " The values allowed are the library's plan fields."
        target["enum"] = list(fills)
        target["enumDescriptions"] = list(fills.values())
    return target
