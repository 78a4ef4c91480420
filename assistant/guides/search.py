"""Finding a guide by the words people use: title, id, keywords, situation or purpose.

People type what they say in the room — "forhånd", "bælte", "PN" — often without Danish
letters ("forhaand", "baelte", "forhand") and often with a typo ("kriseplna"). Every text is
folded two ways (æ→ae, ø→oe, å→aa and æ→a, ø→o, å→a; other accents dropped), so each of those
spellings meets the other; typos are caught with rapidfuzz. A match on the whole text or the
start of a word ranks above a match inside a word, which ranks above a near miss; the words of
the situation or purpose count for less than a title, an id or a keyword.

Pure: no Textual, no store — the home screen and the terminal tests call the same function.
It searches guide cards (`guides/cards.py`), so the home screen can search before the library
is validated; `search(library, …)` does the same over a loaded library.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from assistant.guides.cards import GuideCard, Words, card_of
from assistant.language import Language

if TYPE_CHECKING:
    from assistant.guides.loader import Library
    from assistant.guides.models import Guide

#: Both ways Danish letters are written without them: "forhaand" and "forhand".
_FOLDS: tuple[dict[int, str], ...] = (
    str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"}),
    str.maketrans({"æ": "a", "ø": "o", "å": "a"}),
)
_NON_WORD = re.compile(r"[^a-z0-9]+")

#: Scores by how the query meets a text (0–100); a guide's score is its best text's.
_WHOLE = 100.0     # the whole text: a keyword, the title or the id
_START = 96.0      # the start of the text ("Mine ønsker, hvis …")
_WORD = 94.0       # a whole word of the text
_PREFIX = 92.0     # the start of a word ("forhånd" in "forhåndstilkendegivelse")
_INSIDE = 88.0     # inside a word ("tvang" in "tvangsindlæggelse")
#: A near miss scores 50 + 0.35 × its rapidfuzz ratio (+3 for the whole text): at most 86,
#: below every exact kind.
_FUZZY_BASE, _FUZZY_SCALE, _WHOLE_BONUS = 50.0, 0.35, 3.0
#: The words of the situation or purpose count this much less than a title or keyword.
_CONTEXT_PENALTY = 15.0
#: The least rapidfuzz ratio that counts as a typo of a title, id or keyword …
_FUZZY_CUTOFF = 80.0
#: … and of a word in the situation or purpose (long texts have many words to miss by).
_CONTEXT_CUTOFF = 86.0
#: Shorter queries do not match inside a word ("pn" is inside too many words to mean PN).
_INSIDE_MIN_LENGTH = 3
#: Queries shorter than this match only exactly (two letters are too few to guess a typo).
_FUZZY_MIN_LENGTH = 4


@dataclass(frozen=True)
class _Folded:
    """One text, folded both ways, with its words."""

    forms: tuple[str, ...]
    words: tuple[str, ...]


def fold(text: str) -> tuple[str, ...]:
    """`text` in lower case without accents, in each way of writing æ, ø and å in ASCII.

    Words are separated by single spaces; punctuation counts as a space. The two forms are
    equal for text without Danish letters.
    """
    lower = text.casefold()
    forms: list[str] = []
    for table in _FOLDS:
        plain = lower.translate(table)
        if not plain.isascii():  # other accents: "é" → "e"
            plain = "".join(ch for ch in unicodedata.normalize("NFKD", plain)
                            if not unicodedata.combining(ch))
        folded = " ".join(_NON_WORD.sub(" ", plain).split())
        if folded not in forms:
            forms.append(folded)
    return tuple(forms)


def _folded(text: str) -> _Folded:
    forms = fold(text)
    words = tuple(dict.fromkeys(w for form in forms for w in form.split()))
    return _Folded(forms, words)


def _exact(query: str, text: _Folded) -> float:
    """How `query` (one folded form) meets `text` without a typo; 0 if it does not."""
    best = 0.0
    for form in text.forms:
        padded = f" {form} "
        if form == query:
            return _WHOLE
        if form.startswith(query):
            best = max(best, _START)
        elif f" {query} " in padded:
            best = max(best, _WORD)
        elif f" {query}" in padded:
            best = max(best, _PREFIX)
        elif len(query) >= _INSIDE_MIN_LENGTH and query in form:
            best = max(best, _INSIDE)
    return best


def _fuzzy(query: str, text: _Folded, cutoff: float) -> float:
    """A typo-tolerant score for `query` against the whole text and each of its words.

    A near miss of the whole text (a keyword, an id) counts a little more than one of a word.
    """
    if len(query) < _FUZZY_MIN_LENGTH:
        return 0.0
    from rapidfuzz import fuzz  # at the first typed word, not before the first screen

    whole = max((fuzz.ratio(query, f, score_cutoff=cutoff) for f in text.forms), default=0.0)
    # A word typed only partly, with a typo: compare with the word's start as long as the query.
    words = [*text.words, *(w[: len(query)] for w in text.words if len(w) > len(query))]
    word = max((fuzz.ratio(query, w, score_cutoff=cutoff) for w in words), default=0.0)
    ratio = max(whole + _WHOLE_BONUS if whole else 0.0, word)
    return _FUZZY_BASE + _FUZZY_SCALE * ratio if ratio else 0.0


def _score(queries: Sequence[str], texts: Iterable[_Folded], context: Iterable[_Folded]) -> float:
    """The best score of any folded form of the query against a guide's texts."""
    best = 0.0
    for query in queries:
        for text in texts:
            best = max(best, _exact(query, text) or _fuzzy(query, text, _FUZZY_CUTOFF))
        for text in context:
            hit = _exact(query, text) or _fuzzy(query, text, _CONTEXT_CUTOFF)
            best = max(best, hit - _CONTEXT_PENALTY if hit else 0.0)
    return best


def _texts_of(words: Words | None) -> list[str]:
    """A text in every language it is written in (a plain string once)."""
    if words is None:
        return []
    return list(dict.fromkeys(t for t in words if t))


@dataclass(frozen=True)
class _Entry:
    #: The title (both languages) and the id: on equal scores, a match here ranks first.
    names: tuple[_Folded, ...]
    keywords: tuple[_Folded, ...]
    context: tuple[_Folded, ...]

    def score(self, queries: Sequence[str]) -> tuple[float, float]:
        """The guide's score for the query's folded forms, and its score on names alone."""
        names = _score(queries, self.names, ())
        return max(names, _score(queries, self.keywords, self.context)), names


#: Each card's folded texts, made once (the home screen searches at every key press).
@functools.lru_cache(maxsize=4096)
def _entry(card: GuideCard) -> _Entry:
    names = [card.id, *_texts_of(card.title)]
    keywords = [text for keyword in card.keywords for text in _texts_of(keyword)]
    return _Entry(tuple(_folded(n) for n in names), tuple(_folded(k) for k in keywords),
                  tuple(_folded(c) for c in _texts_of(card.about)))


def card_order(cards: Iterable[GuideCard], lang: Language) -> list[GuideCard]:
    """`cards` as the home screen lists them: decision aids first, then meeting guides, each
    by title in `lang`."""
    return sorted(cards, key=lambda c: (c.kind == "meeting_guide", c.title_in(lang).casefold()))


def search_cards(cards: Iterable[GuideCard], query: str, lang: Language) -> list[GuideCard]:
    """The cards that match `query`, best first.

    Matches the title (both languages), the id, the keywords and the situation (a decision
    aid) or purpose (a meeting guide), tolerant of æ/ø/å written as ae/oe/aa or a/o/a, of
    accents and case, and of typos. A query of several words must match every word (each
    anywhere), unless it matches as a whole (a title typed out). On equal scores a match in
    the title or id ranks first, then library order. An empty query lists every card in
    library order (`card_order`); a query that matches nothing gives [].
    """
    docs = card_order(cards, lang)
    folded = fold(query)
    if not folded or not folded[0]:
        return docs
    words = [fold(w) for w in folded[0].split()] if " " in folded[0] else []
    scored: list[tuple[float, float, int, GuideCard]] = []
    for i, card in enumerate(docs):
        entry = _entry(card)
        score, names = entry.score(folded)
        if words:
            each = [entry.score(w) for w in words]
            if min(s for s, _n in each) > 0:
                # Below a match of the whole phrase, so a title typed out comes first.
                score = max(score, sum(s for s, _n in each) / len(each) - 1.0)
                names = max(names, sum(n for _s, n in each) / len(each) - 1.0)
        if score > 0:
            scored.append((score, names, i, card))
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    return [card for *_keys, card in scored]


def _guides(library: Library) -> dict[GuideCard, Guide]:
    return {card_of(loaded.document): loaded.document  # type: ignore[arg-type,misc]
            for loaded in library.guides.values()}


def library_order(library: Library, lang: Language) -> list[Guide]:
    """Every decision aid and meeting guide in `library`, as the home screen lists them:
    decision aids first, then meeting guides, each by title in `lang`."""
    guides = _guides(library)
    return [guides[card] for card in card_order(guides, lang)]


def search(library: Library, query: str, lang: Language) -> list[Guide]:
    """The guides in `library` that match `query`, best first (as `search_cards`)."""
    guides = _guides(library)
    return [guides[card] for card in search_cards(guides, query, lang)]
