"""looks_like_cpr: warn about CPR numbers in session labels."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.store import looks_like_cpr


@pytest.mark.parametrize("text", [
    "010190-1234", "0101901234", "311299-0001", "290200-1234",  # 29 Feb (2000 was leap)
    "Pt 150575-2345 ambulant", "150575 2345", "150575–2345", "AB 0101901234.",
])
def test_cpr_shapes_with_real_dates(text: str) -> None:
    assert looks_like_cpr(text)


@pytest.mark.parametrize("text", [
    "", "AB", "A.B. 54", "Kim", "320190-1234", "011390-1234", "000190-1234",
    "290201-1234",  # 29 Feb 2001/1901 does not exist
    "310490-1234",  # 31 April
    "01019012345", "10101901234",  # part of a longer number
    "010190-123", "2026-05-01", "+45 12345678", "12 34 56 78",
])
def test_not_cpr(text: str) -> None:
    assert not looks_like_cpr(text)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)),
       st.integers(0, 9999), st.sampled_from(["", "-"]))
def test_every_real_date_is_caught(day: dt.date, tail: int, sep: str) -> None:
    assert looks_like_cpr(f"{day:%d%m%y}{sep}{tail:04d}")


@given(st.text(alphabet=st.characters().filter(lambda c: not c.isdecimal()), max_size=40))
def test_no_digits_never_matches(text: str) -> None:
    assert not looks_like_cpr(text)
