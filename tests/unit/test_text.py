"""clean_text: no forbidden code point survives, it is idempotent, Danish text is untouched."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.text import clean_text, forbidden_code_points

DANISH = [
    "Hvad er vigtigt for dig? Æbler, øl og ål — «citat» og ‘enkelte’ anførselstegn.",
    "Patienten: Jeg vil gerne have min søster med til mødet.\n\tNæste linje.",
    "Emoji: 👍🏽 👨‍👩‍👧 ❤️ — ZWJ-sekvenser bevares.",
    "[bold]x[/] [@click=app.quit]quit[/] [sic] <script>alert(1)</script>",
]


def test_danish_and_emoji_pass_unchanged() -> None:
    for text in DANISH:
        assert clean_text(text) == text


def test_escape_sequences_and_controls_are_removed() -> None:
    payload = "SAFE-START \x1b]2;PWNED-TITLE\x1b\\ \x1b[2J\x1b[HOVERWRITTEN \x1b[31mRED\x1b[0m SAFE-END"
    assert clean_text(payload) == "SAFE-START  OVERWRITTEN RED SAFE-END"
    paste = "a\x1b]2;PWNED\x1b\\b\x1b[2Jc\x07d\x00e\u202ef\r\ng"
    assert clean_text(paste) == "abcdef\ng"
    assert clean_text("\ufeffhej\u200f\u2066x\u2069") == "hejx"
    assert clean_text("a\x9b31mb\x9d0;t\x9cc") == "abc"
    assert clean_text("e\u0301") == "é"  # NFC


@settings(max_examples=500)
@given(st.text())
def test_no_forbidden_code_point_survives_and_idempotent(text: str) -> None:
    cleaned = clean_text(text)
    assert forbidden_code_points(cleaned) == []
    assert clean_text(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs"))))
def test_printable_text_is_kept(text: str) -> None:
    assert clean_text(text) == unicodedata.normalize("NFC", text)


def _reference_clean_text(text: str) -> str:
    """clean_text as it was before its fast paths (issue 16): the yardstick they must match."""
    from assistant.text import _C1_STRING, _CSI_8BIT, _ESCAPE, _FORBIDDEN

    if not text:
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    if any("\x80" <= c <= "\x9f" for c in text):
        text = _C1_STRING.sub("", text)
        text = _CSI_8BIT.sub("", text)
    text = _FORBIDDEN.sub("", text)
    text = unicodedata.normalize("NFC", text)
    return _FORBIDDEN.sub("", text)


_TRICKY = st.sampled_from(["\x1b", "\x1b[", "\x1b]", "\x9b", "\x9d", "\x9c", "\x07", "\r",
                           "\r\n", "\n", "\t", "e\u0301", "\u212b", "\ufeff", "\u202e", "æøå",
                           "\x85", "A", " ", ";", "\\", "[31m", "0;title"])


@settings(max_examples=400)
@given(st.one_of(st.text(), st.lists(_TRICKY, max_size=12).map("".join),
                 st.text(alphabet=st.characters(max_codepoint=0x7f))))
def test_the_fast_paths_give_what_the_plain_version_gives(text: str) -> None:
    assert clean_text(text) == _reference_clean_text(text)
