"""What the home screen knows about the library: its cards, and whether a guide may open.

Before validation (the first screen, drawn from the shelf) the cards are there but nothing
opens; after it, `from_library` gives the cards of the guides that loaded, which of them may
not open because their file has a problem, and those problems as `file:line:column:
message` lines for the screen. A broken library never starts a conversation: a guide whose
file has an error is refused, and so is a guide that drafts a plan template with an error
(or one that could not be read at all). Guides that do not use that template still open: a
typo in an author's own template must not close the ward's library.

No pydantic here: the models are needed only once a library is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.guides.cards import GuideCard, card_of

if TYPE_CHECKING:
    from assistant.guides.loader import Library, Replacement
    from assistant.guides.models import Guide

#: How many problems the home screen lists (`sdm validate` prints them all).
SHOWN_PROBLEMS = 5


@dataclass(frozen=True)
class LibraryStatus:
    """The library as the home screen shows it."""

    cards: tuple[GuideCard, ...]
    #: The validated library; None while it is being read and checked.
    library: Library | None = None
    #: Ids of guides that cannot be opened (a problem in their file or in a plan template).
    blocked: frozenset[str] = frozenset()
    #: The first problems, each `file:line:column: message`, and how many there are.
    problems: tuple[str, ...] = ()
    problem_count: int = 0
    #: What is not a problem but should be seen: each bundled document replaced by a library
    #: folder's, as (what, id, folder): `what` is "guide" or "plan_template".
    notices: tuple[tuple[str, str, str], ...] = ()

    @property
    def ready(self) -> bool:
        """True once the library is validated: guides may open (unless blocked)."""
        return self.library is not None

    @classmethod
    def from_library(cls, library: Library) -> LibraryStatus:
        """The status of a loaded and checked library."""
        errors = library.errors
        blocks = _Trouble(library)
        guides = library.guides.values()
        blocked = frozenset(loaded.id for loaded in guides
                            if blocks(loaded.file, loaded.document))
        cards = tuple(card_of(loaded.document, loaded.origin)  # type: ignore[arg-type]
                      for loaded in guides)
        return cls(cards, library, blocked,
                   tuple(problem.format() for problem in errors[:SHOWN_PROBLEMS]), len(errors),
                   tuple(replaced_text(r) for r in library.replaced))

    def guide(self, guide_id: str) -> Guide | None:
        """The guide with this id if it may be opened now, else None."""
        if self.library is None or guide_id in self.blocked:
            return None
        loaded = self.library.guides.get(guide_id)
        return loaded.document if loaded is not None else None  # type: ignore[return-value]

    def card(self, guide_id: str) -> GuideCard | None:
        """The card of the guide with this id (to name a stored session's guide), or None."""
        return next((card for card in self.cards if card.id == guide_id), None)


def is_blocked(library: Library, file: str, guide: object) -> bool:
    """True when `guide`, read from `file` (as problems name it), may not be used: its file
    has an error, or a plan template it drafts has one (or could not be read at all)."""
    return _Trouble(library)(file, guide)


class _Trouble:
    """The files with an error and the plan templates that cannot be drafted, worked out
    once for a library; called with a guide, says whether it is blocked."""

    def __init__(self, library: Library) -> None:
        self.files = {problem.file for problem in library.errors}
        self.templates = {template_id for template_id, loaded in library.templates.items()
                          if loaded.file in self.files}
        # A template whose shape is wrong never loads; a guide drafting it could not make
        # its plan (unless another file holds a template with that id, which is used).
        for rejected in library.rejected:
            # A kind that cannot be read may be a template's ("kind: plan_templte").
            if rejected.kind in ("plan_template", None) and rejected.id is not None \
                    and rejected.id not in library.templates:
                self.templates.add(rejected.id)

    def __call__(self, file: str, guide: object) -> bool:
        if file in self.files:
            return True
        if not self.templates:
            return False  # the usual case: no template has a problem, and no flow is built
        from assistant.guides.flow import draft_templates
        from assistant.guides.models import DecisionAid, MeetingGuide

        if not isinstance(guide, (DecisionAid, MeetingGuide)):
            return False
        return not self.templates.isdisjoint(draft_templates(guide))


def replaced_text(replacement: Replacement) -> tuple[str, str, str]:
    """A replaced bundled document as the home screen says it: (kind, id, folder or file)."""
    return (replacement.kind, replacement.id, replacement.origin or replacement.file)
