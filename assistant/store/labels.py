"""Help the user keep identifying numbers out of session labels.

A session label should be a pseudonym or initials. A Danish CPR number (personnummer) in it
would put the most identifying datum there is into every list and export, so the UI warns
when a label looks like one. The check errs on the side of warning: any ten digits that start
with a real calendar date count, with or without the hyphen (modulus 11 is not checked; it has
not held for all numbers since 2007).
"""

from __future__ import annotations

import calendar
import re

# DDMMYY, then an optional separator (hyphen, dash or space), then four digits; not part of a
# longer run of digits.
_CPR = re.compile(r"(?<!\d)(\d\d)(\d\d)(\d\d)[-‐‑–—\s]?\d{4}(?!\d)")


def _plausible_date(day: int, month: int, year2: int) -> bool:
    if not 1 <= month <= 12:
        return False
    # The century is unknown; in 2000-2099 a year is a leap year exactly when yy % 4 == 0,
    # which also accepts 29 February for the birth years that can have one.
    return 1 <= day <= calendar.monthrange(2000 + year2, month)[1]


def looks_like_cpr(text: str) -> bool:
    """True if `text` contains something shaped like a CPR number with a plausible date.

    Matches `DDMMYY-XXXX` and `DDMMYYXXXX` (also with a space or dash), anywhere in the text.
    """
    return any(
        _plausible_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        for m in _CPR.finditer(text)
    )
