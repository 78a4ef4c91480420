"""The export formats, as a registry: each declares what it is and renders to bytes.

    render("html", draft, state, lang="en")   # -> bytes (the patient's copy: html's default)
    render("text", draft, state, copy="patient")
    names()                                    # ("text", "md", "html", "json", "fhir")
    get("md").suffix                           # ".md"
    offers()                                   # every (format, copy) the save dialog offers

Every reader of formats goes through here: `sdm export --format` (its choices) and `--copy`,
`sdm replay --export`, the review's save dialog (label and file suffix) and the cross-format
tests. A new format is one `register(Exporter(...))`: it then appears in all of them.

The *copy* is the paper's reader: `patient` (the patient's copy, to take home) or `record`
(the health-record copy). A format that renders papers lists the copies it makes, its
default first (html: the patient's; text and Markdown: the record's); a format that carries
the data itself (JSON, FHIR) has none.

Cheap to import (the CLI builds its parser from `names()` at start-up): registering imports
no renderer; each built-in render function imports its renderer when it first runs. The
records are `NamedTuple`s, not dataclasses: `dataclasses` imports `inspect`, which alone
cost `sdm --help` more than argparse does (issue 16).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, NamedTuple

if TYPE_CHECKING:
    from assistant.engine.state import SessionState
    from assistant.language import Language
    from assistant.plans.models import PlanDraft

__all__ = ["COPIES", "DEFAULT_WIDTH", "MIN_WIDTH", "Copy", "ExportRequest", "Exporter", "Offer",
           "exporters", "get", "names", "offers", "register", "render", "unregister"]

#: The text export's line width when one is asked for (`--width`: the meeting papers' default),
#: and the narrowest it allows (a speaker's prefix needs room). The plan's text is not
#: wrapped unless a width is given: the health record wraps it.
DEFAULT_WIDTH = 72
MIN_WIDTH = 30

#: Whom a paper is for: the patient's copy, or the health-record copy.
Copy = Literal["patient", "record"]
COPIES: tuple[Copy, ...] = ("patient", "record")


class ExportRequest(NamedTuple):
    """What a format renders: the plan draft, the session's state (for formats that carry
    the session itself, as FHIR does), the text width (None: not wrapped), the language
    (None: the draft's) and the copy (one of the format's `copies`)."""

    draft: PlanDraft
    state: SessionState
    width: int | None = None
    lang: Language | None = None
    copy: Copy | None = None


class Exporter(NamedTuple):
    """One export format.

    `id` names it (`sdm export --format ID`), `suffix` is its usual file name ending,
    `label_key` the key of its name in the UI's strings (`assistant.tui.strings`), `binary`
    says whether its bytes are text (UTF-8) or not (then never printed to a terminal),
    `render` makes the bytes, and `copies` are the papers it makes, its default first
    (empty: the format carries the data, for no one reader).
    """

    id: str
    suffix: str
    label_key: str
    binary: bool
    render: Callable[[ExportRequest], bytes]
    copies: tuple[Copy, ...] = ()

    @property
    def default_copy(self) -> Copy | None:
        """The copy made when none is asked for (None: the format has no copies)."""
        return self.copies[0] if self.copies else None


class Offer(NamedTuple):
    """One thing the save dialog offers: a format, and the copy (None: it has none)."""

    format: str
    copy: Copy | None = None

    @property
    def key(self) -> str:
        """"html/patient", "json": a name for the offer, unique among `offers()`."""
        return f"{self.format}/{self.copy}" if self.copy else self.format

    @classmethod
    def of(cls, key: str) -> Offer:
        """The offer named `key` (see `key`); `KeyError` for a format or copy unknown."""
        fmt, _, copy = key.partition("/")
        exporter = get(fmt)
        if not copy:
            return cls(fmt, exporter.default_copy)
        if copy not in exporter.copies:
            raise KeyError(key)
        return cls(fmt, copy if copy == "patient" else "record")


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


def offers() -> tuple[Offer, ...]:
    """Every (format, copy) there is to save, for a chooser: the patient's copies first
    (each format's default before its other copies), then the record's, then the formats
    without copies; registration order within each."""
    out: list[Offer] = []
    for copy in COPIES:
        making = [e for e in exporters() if copy in e.copies]
        # Those whose default this copy is first; registration order within (a stable sort).
        making.sort(key=lambda e: e.default_copy != copy)
        out += [Offer(e.id, copy) for e in making]
    return (*out, *(Offer(e.id) for e in exporters() if not e.copies))


def render(
    fmt: str, draft: PlanDraft, state: SessionState, *, width: int | None = None,
    lang: Language | None = None, copy: Copy | None = None,
) -> bytes:
    """The draft (or, for `fhir`, the session) in format `fmt`, as bytes (UTF-8 text unless
    the format is binary). `KeyError` for a format not registered; `ValueError` for a
    `copy` the format does not make.

    `text`, `md` and `html` show `draft` in `lang` (default: the draft's language), as the
    `copy` asked for (default: the format's `default_copy`); `json` is the draft itself;
    `fhir` is a Bundle of the guide's Questionnaire and the session's QuestionnaireResponse,
    made from `state`, and of the plan's Questionnaire and response, made from `draft` as
    the other formats see it. `width` is for `text` only: None leaves lines unwrapped.
    """
    exporter = get(fmt)
    if copy is not None and copy not in exporter.copies:
        raise ValueError(f"the format '{fmt}' makes no {copy} copy")
    return exporter.render(ExportRequest(draft, state, width, lang,
                                         copy or exporter.default_copy))


# --- the built-in formats ---------------------------------------------------------------------
# Each imports its renderer when it runs: registering must stay cheap.


def _text(request: ExportRequest) -> bytes:
    from assistant.export.text import export_text

    return export_text(request.draft, width=request.width, lang=request.lang,
                       copy=request.copy or "record").encode("utf-8")


def _markdown(request: ExportRequest) -> bytes:
    from assistant.export.markdown import export_markdown

    return export_markdown(request.draft, lang=request.lang,
                           copy=request.copy or "record").encode("utf-8")


def _html(request: ExportRequest) -> bytes:
    from assistant.export.html import export_html

    return export_html(request.draft, lang=request.lang,
                       copy=request.copy or "patient").encode("utf-8")


def _json(request: ExportRequest) -> bytes:
    from assistant.export.jsonfile import export_json

    return export_json(request.draft).encode("utf-8")


def _fhir(request: ExportRequest) -> bytes:
    from assistant.export.fhir import fhir_bundle

    draft = request.draft
    bundle = fhir_bundle(request.state, draft=draft, lang=request.lang or draft.language)
    import json

    return (json.dumps(bundle, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


for _exporter in (
    Exporter("text", ".txt", "format_text", False, _text, ("record", "patient")),
    Exporter("md", ".md", "format_md", False, _markdown, ("record",)),
    Exporter("html", ".html", "format_html", False, _html, ("patient", "record")),
    Exporter("json", ".json", "format_json", False, _json),
    Exporter("fhir", ".fhir.json", "format_fhir", False, _fhir),
):
    register(_exporter)
