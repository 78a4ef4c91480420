"""Exports of a plan draft and of a session: text, Markdown, HTML, JSON and FHIR R4.

    text = export_text(draft, width=72)        # for pasting into the health record
    page = export_html(draft)                  # one self-contained page to print
    bundle = fhir_bundle(state, draft=draft)   # the guide's and the plan's Questionnaire
                                               # and QuestionnaireResponse
    data = render("md", draft, state)          # any registered format, as bytes (`formats`)

Each export is a pure function of the draft (and of the guide or the session's state where
it needs them); every text is cleaned and escaped for its format. No Textual, no store, and
no I/O but `files.write_private` (the CLI and the session service do the reading).

The names below are loaded on first use, so that `sdm` (which reads the format registry to
build its parser) does not pay for the renderers on every command.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.export.fhir import (
        check_fhir,
        fhir_bundle,
        fhir_string,
        plan_questionnaire,
        plan_response,
        questionnaire,
        questionnaire_response,
    )
    from assistant.export.files import write_private
    from assistant.export.formats import DEFAULT_WIDTH, names, render
    from assistant.export.html import export_html
    from assistant.export.jsonfile import export_json, load_json
    from assistant.export.markdown import export_markdown, md_escape
    from assistant.export.meeting import agenda, preparation_summary
    from assistant.export.page import CSP, esc, page
    from assistant.export.text import export_text

_WHERE = {
    "check_fhir": "fhir", "fhir_bundle": "fhir", "fhir_string": "fhir",
    "plan_questionnaire": "fhir", "plan_response": "fhir",
    "questionnaire": "fhir", "questionnaire_response": "fhir",
    "write_private": "files",
    "DEFAULT_WIDTH": "formats", "names": "formats", "render": "formats",
    "export_html": "html", "export_json": "jsonfile", "load_json": "jsonfile",
    "export_markdown": "markdown", "md_escape": "markdown",
    "agenda": "meeting", "preparation_summary": "meeting",
    "CSP": "page", "esc": "page", "page": "page",
    "export_text": "text",
}

__all__ = [
    "CSP",
    "DEFAULT_WIDTH",
    "agenda",
    "check_fhir",
    "esc",
    "export_html",
    "export_json",
    "export_markdown",
    "export_text",
    "fhir_bundle",
    "fhir_string",
    "load_json",
    "md_escape",
    "names",
    "page",
    "plan_questionnaire",
    "plan_response",
    "preparation_summary",
    "questionnaire",
    "questionnaire_response",
    "render",
    "write_private",
]
assert set(__all__) == set(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant.export' has no attribute '{name}'")
    value = getattr(importlib.import_module(f"assistant.export.{module}"), name)
    globals()[name] = value
    return value
