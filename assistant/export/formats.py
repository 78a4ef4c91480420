"""One entry point for every export format: `render(fmt, draft, state, ...)` → text.

Cheap to import (the CLI builds its parser from `FORMATS` at start-up); the renderers are
imported when `render` first runs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from assistant.engine.state import SessionState
    from assistant.guides.models import Language
    from assistant.plans.models import PlanDraft

__all__ = ["DEFAULT_WIDTH", "FORMATS", "MIN_WIDTH", "SUFFIXES", "Format", "render"]

Format = Literal["text", "md", "html", "json", "fhir"]
FORMATS: tuple[Format, ...] = ("text", "md", "html", "json", "fhir")
#: The usual file name ending of each format.
SUFFIXES: dict[Format, str] = {
    "text": ".txt", "md": ".md", "html": ".html", "json": ".json", "fhir": ".fhir.json",
}
#: The text export's line width, and the narrowest it allows (a speaker's prefix needs room).
DEFAULT_WIDTH = 72
MIN_WIDTH = 30


def render(
    fmt: Format, draft: PlanDraft, state: SessionState, *, width: int = DEFAULT_WIDTH,
    lang: Language | None = None,
) -> str:
    """The draft (or, for `fhir`, the session) in format `fmt`, as text.

    `text`, `md` and `html` show `draft` in `lang` (default: the draft's language); `json`
    is the draft itself; `fhir` is a Bundle of the guide's Questionnaire and the session's
    QuestionnaireResponse, made from `state`, and of the plan's Questionnaire and response,
    made from `draft` as the other formats see it. `width` is for `text` only.
    """
    if fmt == "text":
        from assistant.export.text import export_text

        return export_text(draft, width=width, lang=lang)
    if fmt == "md":
        from assistant.export.markdown import export_markdown

        return export_markdown(draft, lang=lang)
    if fmt == "html":
        from assistant.export.html import export_html

        return export_html(draft, lang=lang)
    if fmt == "json":
        from assistant.export.jsonfile import export_json

        return export_json(draft)
    from assistant.export.fhir import fhir_bundle

    bundle = fhir_bundle(state, draft=draft, lang=lang or draft.language)
    return json.dumps(bundle, ensure_ascii=False, indent=2) + "\n"
