"""The export formats, as a registry: each declares what it is and renders to bytes.

    render("html", draft, state, lang="en")   # -> bytes
    names()                                    # ("text", "md", "html", "json", "fhir")
    get("md").suffix                           # ".md"

Every reader of formats goes through here: `sdm export --format` (its choices), `sdm replay
--export`, the review's save dialog (label and file suffix) and the cross-format tests. A new
format is one `register(Exporter(...))`: it then appears in all of them.

Cheap to import (the CLI builds its parser from `names()` at start-up): registering imports
no renderer; each built-in render function imports its renderer when it first runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.engine.state import SessionState
    from assistant.guides.models import Language
    from assistant.plans.models import PlanDraft

__all__ = ["DEFAULT_WIDTH", "MIN_WIDTH", "ExportRequest", "Exporter", "exporters", "get",
           "names", "register", "render", "unregister"]

#: The text export's line width, and the narrowest it allows (a speaker's prefix needs room).
DEFAULT_WIDTH = 72
MIN_WIDTH = 30


@dataclass(frozen=True)
class ExportRequest:
    """What a format renders: the plan draft, the session's state (for formats that carry
    the session itself, as FHIR does), the text width, and the language (None: the draft's)."""

    draft: PlanDraft
    state: SessionState
    width: int = DEFAULT_WIDTH
    lang: Language | None = None


@dataclass(frozen=True)
class Exporter:
    """One export format.

    `id` names it (`sdm export --format ID`), `suffix` is its usual file name ending,
    `label_key` the key of its name in the UI's strings (`assistant.tui.strings`), `binary`
    says whether its bytes are text (UTF-8) or not (then never printed to a terminal), and
    `render` makes the bytes.
    """

    id: str
    suffix: str
    label_key: str
    binary: bool
    render: Callable[[ExportRequest], bytes]


_REGISTRY: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    """Add `exporter` (after those registered before); returns it. Raises `ValueError` if
    its id is taken."""
    if exporter.id in _REGISTRY:
        raise ValueError(f"an export format '{exporter.id}' is registered already")
    _REGISTRY[exporter.id] = exporter
    return exporter


def unregister(format_id: str) -> None:
    """Remove the format `format_id` (tests that register one of their own)."""
    del _REGISTRY[format_id]


def exporters() -> tuple[Exporter, ...]:
    """Every registered format, in the order registered."""
    return tuple(_REGISTRY.values())


def names() -> tuple[str, ...]:
    """The ids of every registered format, in the order registered."""
    return tuple(_REGISTRY)


def get(format_id: str) -> Exporter:
    """The format `format_id`; `KeyError` if none is registered by that id."""
    return _REGISTRY[format_id]


def render(
    fmt: str, draft: PlanDraft, state: SessionState, *, width: int = DEFAULT_WIDTH,
    lang: Language | None = None,
) -> bytes:
    """The draft (or, for `fhir`, the session) in format `fmt`, as bytes (UTF-8 text unless
    the format is binary). `KeyError` for a format not registered.

    `text`, `md` and `html` show `draft` in `lang` (default: the draft's language); `json`
    is the draft itself; `fhir` is a Bundle of the guide's Questionnaire and the session's
    QuestionnaireResponse, made from `state`, and of the plan's Questionnaire and response,
    made from `draft` as the other formats see it. `width` is for `text` only.
    """
    return get(fmt).render(ExportRequest(draft, state, width, lang))


# --- the built-in formats ---------------------------------------------------------------------
# Each imports its renderer when it runs: registering must stay cheap.


def _text(request: ExportRequest) -> bytes:
    from assistant.export.text import export_text

    return export_text(request.draft, width=request.width, lang=request.lang).encode("utf-8")


def _markdown(request: ExportRequest) -> bytes:
    from assistant.export.markdown import export_markdown

    return export_markdown(request.draft, lang=request.lang).encode("utf-8")


def _html(request: ExportRequest) -> bytes:
    from assistant.export.html import export_html

    return export_html(request.draft, lang=request.lang).encode("utf-8")


def _json(request: ExportRequest) -> bytes:
    from assistant.export.jsonfile import export_json

    return export_json(request.draft).encode("utf-8")


def _fhir(request: ExportRequest) -> bytes:
    from assistant.export.fhir import fhir_bundle

    draft = request.draft
    bundle = fhir_bundle(request.state, draft=draft, lang=request.lang or draft.language)
    return (json.dumps(bundle, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


for _exporter in (
    Exporter("text", ".txt", "format_text", False, _text),
    Exporter("md", ".md", "format_md", False, _markdown),
    Exporter("html", ".html", "format_html", False, _html),
    Exporter("json", ".json", "format_json", False, _json),
    Exporter("fhir", ".fhir.json", "format_fhir", False, _fhir),
):
    register(_exporter)
