"""Clean text at every door: what a person types or an author writes is data, never control.

`clean_text` runs where text comes in (typing, paste, YAML load, import) and again before it is
shown or exported. It removes terminal escape sequences (CSI, OSC, DCS, ...), C0 control
characters except tab and newline, DEL, C1 controls, bidirectional-override controls and byte
order marks, and normalises to NFC. Danish letters, emoji (including ZWJ sequences) and ordinary
punctuation pass unchanged.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST),
# and two-character escapes (ESC + one byte). The 8-bit C1 forms are caught below as C1.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"           # CSI
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC (to BEL or ST)
    r"|\x1b[ -/]*[0-~]?"                   # other escapes (ESC + intermediates + final)
)
_C1 = re.compile("[\x80-\x9f]")
_C1_STRING = re.compile(r"[\x90\x98\x9d\x9e\x9f][^\x07\x9c\x1b]*(?:\x07|\x9c|\x1b\\)?")
_CSI_8BIT = re.compile(r"\x9b[0-?]*[ -/]*[@-~]?")

#: Bidirectional formatting controls (embedding, override, isolate) and marks; BOM / ZWNBSP.
_BIDI_AND_BOM = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"

_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI_AND_BOM + "]"
)


def clean_text(text: str) -> str:
    """Return `text` without escape sequences and control characters, in NFC.

    Keeps tab and newline; turns CR LF and lone CR into LF. Idempotent:
    `clean_text(clean_text(s)) == clean_text(s)`.
    """
    if not text:
        return text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
    if text.isascii():
        # Most text: no C1 controls can be in it, and NFC leaves ASCII as it is.
        return _FORBIDDEN.sub("", text)
    if _C1.search(text):
        text = _C1_STRING.sub("", text)
        text = _CSI_8BIT.sub("", text)
    text = _FORBIDDEN.sub("", text)
    if unicodedata.is_normalized("NFC", text):
        return text
    # NFC can, rarely, compose into something forbidden; one more pass keeps idempotence simple.
    return _FORBIDDEN.sub("", unicodedata.normalize("NFC", text))


def forbidden_code_points(text: str) -> list[str]:
    """The code points in `text` that `clean_text` would remove (for tests and diagnostics)."""
    return sorted({f"U+{ord(c):04X}" for c in _FORBIDDEN.findall(text)} | (
        {"U+001B"} if "\x1b" in text else set()))
