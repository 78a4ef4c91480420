"""A mistyped command, choice or option gets the nearest real one (issue 18, item 7)."""

from __future__ import annotations

import pytest

from assistant.cli import main
from assistant.guides.problems import did_you_mean


@pytest.mark.parametrize(("argv", "suggested"), [
    (["lsit"], "list"),
    (["sesions"], "sessions"),
    (["export", "--format", "txt", "x.sqlite3"], "text"),
    (["list", "--fromat", "json"], "--format"),
], ids=" ".join)
def test_a_typo_gets_a_suggestion(argv: list[str], suggested: str,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--lang", "en", *argv])
    assert ended.value.code == 2
    err = capsys.readouterr().err
    assert f"did you mean '{suggested}'?" in err, err


def test_the_suggestion_speaks_danish(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "da", "lsit"])
    assert "mente du 'list'?" in capsys.readouterr().err


def test_nothing_close_gets_no_suggestion(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        main(["--lang", "en", "xyzzy"])
    assert ended.value.code == 2
    assert "did you mean" not in capsys.readouterr().err


def test_a_swap_of_two_letters_is_one_edit() -> None:
    # Both score 75 by ratio; a swap is the likelier typo.
    assert did_you_mean("lsit", ["validate", "lint", "list"]) == "list"
    assert did_you_mean("lnit", ["list", "lint"]) == "lint"
