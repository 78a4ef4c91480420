"""A guide's card: what the home screen shows and searches, without the guide's models.

The first screen lists the library before it is validated (issue 16: first paint from a
catalogue): a card holds only the id, kind, title, audience, keywords and situation or
purpose of one decision aid or meeting guide, as plain Python data. Cards are made from
validated documents (`card_of`) and kept between starts in the shelf (`guides/shelf.py`).
No pydantic, no YAML here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.language import Language

if TYPE_CHECKING:
    from assistant.guides.models import Guide

#: A text in Danish and (if written) English; a plain string is (text, None).
Words = tuple[str, str | None]


def words_in(words: Words | None, lang: Language) -> str:
    """`words` in `lang`, falling back to Danish (as `guides.models.text_in`)."""
    if words is None:
        return ""
    da, en = words
    return en if lang == "en" and en else da


def words_of(text: object) -> Words | None:
    """A guide model's text (a plain string or `LocalText`) as `Words`."""
    if text is None:
        return None
    if isinstance(text, str):
        return (text, None)
    return (str(getattr(text, "da", "")), getattr(text, "en", None))


@dataclass(frozen=True)
class GuideCard:
    """One decision aid or meeting guide, as the home screen lists and searches it."""

    id: str
    #: "decision_aid" or "meeting_guide".
    kind: str
    title: Words
    audience: tuple[str, ...]
    keywords: tuple[Words, ...] = ()
    #: The situation (a decision aid) or purpose (a meeting guide).
    about: Words | None = None
    #: The library folder it comes from, by name; None: the bundled library.
    origin: str | None = None

    def title_in(self, lang: Language) -> str:
        """The title in `lang` (Danish when there is no English)."""
        return words_in(self.title, lang)

    def to_json(self) -> dict[str, Any]:
        """The card as JSON data (`from_json` reads it back)."""
        return {"id": self.id, "kind": self.kind, "title": list(self.title),
                "audience": list(self.audience), "keywords": [list(k) for k in self.keywords],
                "about": list(self.about) if self.about else None}

    @classmethod
    def from_json(cls, data: Any) -> GuideCard:
        """A card from `to_json`'s data; ValueError (or TypeError) when it is not one."""
        def words(value: Any) -> Words:
            da, en = value
            if not isinstance(da, str) or not (en is None or isinstance(en, str)):
                raise ValueError("not a text")
            return (da, en)

        if not isinstance(data, dict) or not isinstance(data.get("id"), str) \
                or data.get("kind") not in ("decision_aid", "meeting_guide"):
            raise ValueError("not a guide card")
        audience = data["audience"]
        if not isinstance(audience, list) or not all(isinstance(a, str) for a in audience):
            raise ValueError("not an audience")
        return cls(id=data["id"], kind=data["kind"], title=words(data["title"]),
                   audience=tuple(audience),
                   keywords=tuple(words(k) for k in data["keywords"]),
                   about=words(data["about"]) if data["about"] is not None else None)


def card_of(guide: Guide, origin: str | None = None) -> GuideCard:
    """The card of a validated decision aid or meeting guide (from library folder `origin`;
    None: bundled)."""
    about = getattr(guide, "situation", None) if guide.kind == "decision_aid" else \
        getattr(guide, "purpose", None)
    title = words_of(guide.title)
    assert title is not None  # a guide always has a title (the models require one)
    return GuideCard(id=guide.id, kind=guide.kind, title=title,
                     audience=tuple(str(a) for a in guide.audience),
                     keywords=tuple(w for k in guide.keywords if (w := words_of(k))),
                     about=words_of(about), origin=origin)
