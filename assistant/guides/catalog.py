"""`sdm list`: the library as rows — id, kind, title, audience, version, reviewed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.guides.loader import Replacement, load_library
from assistant.guides.models import PlanTemplate, text_in
from assistant.guides.problems import Problem


def catalog(
    paths: Sequence[Path] = (), lang: str = "da", folders: Sequence[Path] = (),
) -> tuple[list[dict[str, Any]], list[Problem], list[Replacement]]:
    """Rows for every document in the library (bundled, library `folders`, `paths`), any
    load errors, and the library's notices (a bundled document replaced)."""
    library = load_library(paths, check=False, folders=folders)
    rows = []
    for loaded in sorted(library.documents, key=lambda d: (d.document.kind, d.id)):
        doc = loaded.document
        # The first document with an id is the one used; a later one with the same id is a
        # duplicate (`sdm validate` reports it) that nothing opens.
        used = (library.templates if isinstance(doc, PlanTemplate) else library.guides)[doc.id]
        reviewed = doc.reviewed.isoformat() if doc.reviewed else None
        rows.append({
            "id": doc.id,
            "kind": doc.kind,
            "title": text_in(doc.title, "en" if lang == "en" else "da"),
            "audience": list(doc.audience),
            "version": doc.version,
            "reviewed": reviewed,
            "review_due": None if isinstance(doc, PlanTemplate) else doc.review_due.isoformat(),
            "file": loaded.file,
            # Where it comes from: "bundled", a library folder's name, or "file" (named).
            "origin": "bundled" if loaded.bundled else loaded.origin or "file",
            # False for a duplicate id: `used_file` is the document used instead.
            "in_use": used is loaded,
            "used_file": None if used is loaded else used.file,
        })
    return rows, library.errors, list(library.replaced)
