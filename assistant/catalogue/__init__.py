"""One message catalogue: every word the UI, the papers and the command line say, in Danish
and English, with one lookup (`t`).

The words live in the section modules beside this one (`ui`, `exports`, `words`, `keys`,
`cli`); here they are joined under one set of keys, each section under its prefix:

    ui       (none)        the chat UI's words              t("save", lang)
    exports  export.       the papers' headings and labels   t("export.gaps", lang)
             speaker.      who said it, as a line's prefix    t("speaker.patient", lang)
             youth_speaker. the same, for children and young people
             approval.     why a plan cannot be approved yet
    words    role.         a role's name                     t("role.clinician", lang)
             youth_role.   the young person's and parents' names (`wording.youth`)
             answer.       yes, no, "by" a date
             fhir.         the FHIR groups' item texts
             refused.      why a file was not saved
             crash.        what a crash says
    keys     key.          a key's label, by its binding's action (`key.<Class>.<action>`
                           for one class); keyname. key names; widgetkey. keys an answer
                           reads itself; help. the help's words; textual. the palette's
    cli      cli.          the command line's messages

A foundation: it imports nothing of the package, so every layer may use it. Guide content
brings its own language and is not here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Literal

from assistant.catalogue import cli, exports, keys, ui, words

__all__ = ["LANGUAGES", "Lang", "has", "keys_of", "t", "texts"]

#: The languages every entry has (the same values as `guides.models.Language`).
Lang = Literal["da", "en"]
LANGUAGES: tuple[Lang, ...] = ("da", "en")


def _sections() -> Iterator[tuple[str, Mapping[str, tuple[str, str]]]]:
    yield "", ui.UI
    yield "export.", exports.EXPORT
    yield "speaker.", exports.SPEAKERS
    yield "youth_speaker.", exports.YOUTH_SPEAKERS
    yield "approval.", exports.APPROVAL
    yield "role.", words.ROLES
    yield "youth_role.", words.YOUTH_ROLES
    yield "answer.", words.ANSWERS
    yield "fhir.", words.FHIR
    yield "refused.", words.REFUSED
    yield "crash.", words.CRASH
    yield "key.", keys.LABELS
    for cls, labels in keys.CLASS_LABELS.items():
        yield f"key.{cls}.", labels
    yield "keyname.", keys.KEY_NAMES
    yield "widgetkey.", keys.WIDGET_KEYS
    yield "help.", keys.HELP
    yield "textual.", keys.TEXTUAL
    yield "cli.", cli.CLI


def _join() -> dict[str, tuple[str, str]]:
    joined: dict[str, tuple[str, str]] = {}
    for prefix, section in _sections():
        for key, pair in section.items():
            full = prefix + key
            if full in joined:  # two sections claiming one key: a mistake to see at once
                raise ValueError(f"catalogue key {full!r} is defined twice")
            joined[full] = pair
    return joined


#: Every entry: key → (Danish, English).
MESSAGES: dict[str, tuple[str, str]] = _join()


def t(key: str, lang: str) -> str:
    """The words under `key` in `lang` ("en" English, anything else Danish, the default).

    A missing key is a programming error and raises `KeyError`.
    """
    da, en = MESSAGES[key]
    return en if lang == "en" else da


def has(key: str) -> bool:
    """True when the catalogue has `key`."""
    return key in MESSAGES


def keys_of(prefix: str = "") -> frozenset[str]:
    """Every key starting with `prefix` (all keys by default)."""
    return frozenset(k for k in MESSAGES if k.startswith(prefix))


def texts(lang: Lang) -> list[str]:
    """Every text in `lang` (the language-leak test builds its word lists from these)."""
    index = 1 if lang == "en" else 0
    return [pair[index] for pair in MESSAGES.values()]
