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
