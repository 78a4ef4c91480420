"""`sdm lint`: the checks a machine can make from the IPDAS v4.0 minimum standards.

Joseph-Williams N, Newcombe R, Politi M, et al. Toward minimum standards for certifying patient
decision aids: a modified Delphi consensus process. Med Decis Making 2014;34:699–710.

Qualifying and certification items are errors (an aid without them is not a decision aid, or is
at high risk of harmful bias); quality items are warnings. Each finding names its criterion,
its place in the file and how to fix it. Readability is LIX (Björnsson 1968), computed on the
Danish text; warn above 45. A guide without `keywords` is a warning too: not an IPDAS item,
but people search by the words they use, which are seldom the title's.

Exit-code policy (see `assistant.cli`): errors → 1; warnings alone → 0, or 1 with `--strict`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path as FsPath

from assistant.guides.loader import Library, Loaded
from assistant.guides.models import (
    LANGUAGES,
    DecisionAid,
    LocalText,
    MeetingGuide,
    PlanTemplate,
    free_text,
    iter_text_paths,
    iter_texts,
    text_in,
)
from assistant.guides.problems import Problem

LIX_LIMIT = 45.0
#: Pros and cons of one option must be within this ratio of each other (count and words).
BALANCE_BAND = (0.5, 2.0)

#: Directive wording that tells the patient what to choose (IPDAS quality: balance).
DIRECTIVE = re.compile(
    r"\b(du bør|du skal vælge|vi anbefaler|anbefales|det bedste valg|den bedste løsning|"
    r"you should|we recommend|is recommended|the best option|the best choice)\b",
    re.IGNORECASE,
)

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:]+(\s|$)|\n\s*\n")


@dataclass
class LintReport:
    """What `lint_library` found."""

    problems: list[Problem] = field(default_factory=list)
    #: LIX per guide id (Danish text).
    lix: dict[str, float] = field(default_factory=dict)
    checked: int = 0


def lix(text: str) -> float:
    """LIX readability: words per sentence + 100 × share of words longer than six letters."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    long_words = sum(1 for w in words if len(w) > 6)
    return len(words) / sentences + 100.0 * long_words / len(words)


def danish_text(value: object) -> str:
    """All Danish prose in a model, one passage per line-pair, for readability measures.

    A guide's `keywords` are left out: they are search words, not text anyone reads.
    """
    parts = []
    for path, t in iter_text_paths(value):
        if path[:1] == ("keywords",):
            continue
        s = text_in(t, "da").strip()
        if s:
            parts.append(s if s[-1] in ".!?:" else s + ".")
    return "\n\n".join(parts)


def lint_library(
    library: Library, *, today: dt.date, only: set[FsPath] | None = None
) -> LintReport:
    """Lint every guide in `library` (or only those loaded from the files in `only`)."""
    report = LintReport()
    for loaded in library.documents:
        if only is not None and not _selected(loaded, only):
            continue
        doc = loaded.document
        if isinstance(doc, PlanTemplate):
            report.problems += list(_lint_translations(loaded, doc))
            continue
        report.checked += 1
        report.problems += list(_lint_meta(loaded, doc, today))
        report.problems += list(_lint_translations(loaded, doc))
        if isinstance(doc, DecisionAid):
            report.problems += list(_lint_aid(loaded, doc))
        score = lix(danish_text(doc))
        report.lix[doc.id] = round(score, 1)
        if score > LIX_LIMIT:
            report.problems.append(_warn(
                loaded, ("title",), "readability",
                f"LIX is {score:.0f} (above {LIX_LIMIT:.0f}): the Danish text is hard to read",
                "use shorter sentences and shorter words; split long prompts",
            ))
    report.problems.sort(key=lambda p: (p.file, p.line, p.column, p.code))
    return report


def _selected(loaded: Loaded, only: set[FsPath]) -> bool:
    path = FsPath(loaded.file).resolve()
    return any(path == p or p in path.parents for p in only)


def _err(loaded: Loaded, path: tuple[str | int, ...], code: str, msg: str, fix: str) -> Problem:
    return loaded.problem(path, msg, severity="error", code=code, hint=fix)


def _warn(loaded: Loaded, path: tuple[str | int, ...], code: str, msg: str, fix: str) -> Problem:
    return loaded.problem(path, msg, severity="warning", code=code, hint=fix)


def _empty(text: str | LocalText | None) -> bool:
    return text is None or not text_in(text, "da").strip()


def _lint_meta(
    loaded: Loaded, doc: DecisionAid | MeetingGuide, today: dt.date
) -> Iterator[Problem]:
    if doc.reviewed > today:
        yield _err(loaded, ("reviewed",), "IPDAS-C3",
                   "the review date lies in the future", "give the date the content was reviewed")
    if doc.review_due < today:
        yield _err(loaded, ("review_due",), "IPDAS-C4",
                   f"review_due {doc.review_due.isoformat()} has passed: "
                   "the content is out of date",
                   "review the content against its sources, then move review_due forward")
    if doc.review_due <= doc.reviewed:
        yield _err(loaded, ("review_due",), "IPDAS-C4", "review_due must come after reviewed",
                   "set the date of the next review")
    if _empty(doc.update_policy):
        yield _err(loaded, ("id",), "IPDAS-C4", "no update policy",
                   "add 'update_policy:' saying when and how the content is reviewed")
    if _empty(doc.funding):
        yield _err(loaded, ("id",), "IPDAS-C6", "funding is not stated",
                   "add 'funding:' naming who paid for the development (or that nobody did)")
    if _empty(doc.conflicts_of_interest):
        yield _warn(loaded, ("id",), "IPDAS-QC", "authors' conflicts of interest are not stated",
                    "add 'conflicts_of_interest:' (write that there are none, if so)")
    if not doc.sources:
        yield _err(loaded, ("id",), "IPDAS-C2", "the guide cites no sources",
                   "add 'sources:' with an id and a citation for what the content rests on")
    if not doc.keywords:
        # Not an IPDAS item, but a guide nobody finds is not used: people search by the words
        # they say in the room ("forhånd", "PN", "bælte"), which are seldom in the title.
        yield _warn(loaded, ("title",), "keywords",
                    "no keywords: a search by the words people use may not find the guide",
                    "add 'keywords:' with the words clinicians and patients use, "
                    "as {da: ..., en: ...}")


def _lint_aid(loaded: Loaded, aid: DecisionAid) -> Iterator[Problem]:
    if _empty(aid.situation):
        yield _err(loaded, ("id",), "IPDAS-Q1",
                   "the situation the decision is about is not described",
                   "add 'situation:' describing the situation or problem")
    if _empty(aid.question):
        yield _err(loaded, ("id",), "IPDAS-Q2", "the decision is not stated",
                   "add 'question:' stating the decision as a question")
    if len(aid.options) < 2:
        yield _err(loaded, ("options",) if aid.options else ("id",), "IPDAS-Q3",
                   "a decision aid needs at least two options",
                   "add the alternatives under 'options:', including keeping things as they are")
    for i, option in enumerate(aid.options):
        path = ("options", i)
        if not option.sources:
            yield _err(loaded, (*path, "id"), "IPDAS-C2", f"option '{option.id}' cites no source",
                       "add 'sources: [id]' naming entries of the guide's 'sources:'")
        yield from _balance(loaded, path, option.id, option.pros, option.cons)
        if _empty(option.experience):
            yield _warn(loaded, (*path, "id"), "IPDAS-Q6",
                        f"option '{option.id}' does not say what living with it is like",
                        "add 'experience:' (physical, psychological, social consequences)")
        for key in ("title", "summary", "pros", "cons", "experience", "more"):
            for text in iter_texts(getattr(option, key)):
                for lang in LANGUAGES:
                    words = text_in(text, lang)
                    hit = DIRECTIVE.search(words)
                    if hit:
                        yield _warn(loaded, (*path, key), "IPDAS-balance",
                                    f"directive wording '{hit.group(0)}' in option '{option.id}'",
                                    "describe, don't advise: the choice is the patient's")
                        break
    if not aid.preferences:
        yield _warn(loaded, ("id",), "IPDAS-values",
                    "no preferences phase: values clarification is missing",
                    "add 'preferences:' with questions about what matters to the patient")
    elif not any(free_text(s) for s in aid.preferences):
        yield _warn(loaded, ("preferences",), "own-words",
                    "no preference question in the patient's own words",
                    "add a text or longtext step (ask: patient)")
    if not aid.decision.allow_not_yet and not any(o.status_quo for o in aid.options):
        yield _warn(loaded, ("decision",), "IPDAS-not-yet",
                    "there is no 'not yet' or 'keep things as they are' path",
                    "set decision.allow_not_yet: true, or add an option with status_quo: true")


def _words(texts: Sequence[str | LocalText]) -> int:
    return sum(len(_WORD.findall(text_in(t, "da"))) for t in texts)


def _balance(
    loaded: Loaded, path: tuple[str | int, ...], option_id: str,
    pros: Sequence[str | LocalText], cons: Sequence[str | LocalText],
) -> Iterator[Problem]:
    low, high = BALANCE_BAND
    count_ratio = len(pros) / len(cons)
    if not low <= count_ratio <= high:
        yield _err(loaded, (*path, "pros"), "IPDAS-C1",
                   f"option '{option_id}' has {len(pros)} pros and {len(cons)} cons: "
                   "not given with comparable detail",
                   f"keep the counts within a ratio of {low}–{high}")
        return
    pro_words, con_words = _words(pros), _words(cons)
    if min(pro_words, con_words) >= 1:
        ratio = pro_words / con_words
        if not low <= ratio <= high:
            yield _err(loaded, (*path, "pros"), "IPDAS-C1",
                       f"option '{option_id}': pros have {pro_words} words, cons {con_words}: "
                       "not given with comparable detail",
                       f"keep the word counts within a ratio of {low}–{high}")


def _lint_translations(
    loaded: Loaded, doc: DecisionAid | MeetingGuide | PlanTemplate
) -> Iterator[Problem]:
    for path, text in iter_text_paths(doc):
        if not isinstance(text, LocalText) or not text.en:
            yield _warn(loaded, path, "translation",
                        f"{'.'.join(map(str, path))}: no English translation",
                        "write the text as {da: ..., en: ...}")
