"""Issue 13, item 9: ordinary errors are one line and exit code 1 (2 for wrong use), never a
crash report (exit code 70).

Standard output on /dev/full for every `sdm` command; an answers file's `at` that FHIR
cannot hold (an offset beyond ±14:00, a year outside 0001–9999 in UTC) is refused at its line
and column, and the draft and the exports no longer crash on the calendar's ends; purging
with a huge `--older-than`; a missing folder for `sdm new -o`.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.engine.answersfile import fhir_time
from assistant.export.words import day
from assistant.plans.draft import add_months
from tests.conftest import ROOT

TIMEOUT = 60  # seconds before a subprocess counts as hung (a failure, not a time check)
GUIDE = "ua-kp-grundoplysninger"


def sdm(*argv: str, stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    done: subprocess.CompletedProcess[str] = subprocess.run(
        [sys.executable, "-m", "assistant", *argv], stdout=stdout, stderr=subprocess.PIPE,
        text=True, cwd=ROOT, timeout=TIMEOUT, check=False)
    return done


def one_line(done: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The only line on stderr, after checking the exit code and that nothing crashed."""
    assert done.returncode == code, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def answers(tmp_path: Path, at: str) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text("answers:\n"
                    "  - {step: chief_physician, value: Dr. Hansen, speaker: clinician}\n"
                    f'  - {{step: needs_treatment, value: samtaler, at: "{at}"}}\n',
                    encoding="utf-8")
    return path


# --- standard output on a full disk ----------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("argv", [
    ["schema"], ["validate"], ["lint"], ["list"], ["replay", GUIDE, "--answers", "{answers}"],
    ["replay", GUIDE, "--answers", "{answers}", "--export", "md"],
    ["agenda", "netvaerksmoede"], ["new", "plan-template", "min-plan", "-o", "{new}"],
], ids=lambda argv: "-".join(a for a in argv[:3] if not a.startswith("{")))
def test_stdout_on_a_full_disk_is_one_line(argv: list[str], tmp_path: Path) -> None:
    filled = {"{answers}": str(answers(tmp_path, "2026-01-05T10:00:00Z")),
              "{new}": str(tmp_path / "min-plan.yaml")}
    argv = [filled.get(a, a) for a in argv]
    with open("/dev/full", "w") as full:
        done = sdm(*argv, stdout=full)
    assert one_line(done) == (f"sdm {argv[0]}: cannot write to standard output: No space "
                              "left on device")


# --- times FHIR cannot hold ------------------------------------------------------------------


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59",
                                "2026-01-05T10:00:00+14:01", "2026-01-05T10:00:00-14:30",
                                "9999-12-31T23:00:00-01:00"])
@pytest.mark.parametrize("export", [None, "text", "md", "json", "fhir"])
def test_an_answer_time_fhir_cannot_hold_is_refused_at_its_place(
    tmp_path: Path, at: str, export: str | None
) -> None:
    path = answers(tmp_path, at)
    done = sdm("replay", GUIDE, "--answers", str(path), *(("--export", export) if export else ()))
    line = one_line(done)
    assert line.endswith(":3:50: 'at' must be a time FHIR can hold: a time zone within -14:00 "
                         "to +14:00 and a year from 0001 to 9999 in UTC"), line
    assert done.stdout == ""


@pytest.mark.parametrize("at", ["9999-12-31T23:59:59+14:00", "9999-12-31T23:59:59Z",
                                "0001-01-01T00:00:00Z", "0001-01-01T13:00:00+13:00",
                                "2026-01-05T10:00:00-14:00"])
def test_every_time_fhir_can_hold_is_taken_and_exported(tmp_path: Path, at: str) -> None:
    from assistant.export.fhir import check_fhir
    from tests.export.test_fhir import validate_bundle

    path = answers(tmp_path, at)
    for export in ("text", "md", "html", "json"):
        done = sdm("replay", GUIDE, "--answers", str(path), "--export", export)
        assert done.returncode == 0 and done.stderr == "", done.stderr
    done = sdm("replay", GUIDE, "--answers", str(path), "--export", "fhir")
    assert done.returncode == 0, done.stderr
    bundle = json.loads(done.stdout)
    validate_bundle(bundle)
    resources = [entry["resource"] for entry in bundle["entry"]]
    for questionnaire, response in zip(resources[::2], resources[1::2], strict=True):
        assert check_fhir(questionnaire, response) == []


def test_the_rule_is_fhirs() -> None:
    utc, east, west = dt.UTC, dt.timezone(dt.timedelta(hours=14)), dt.timezone(
        -dt.timedelta(hours=14))
    assert fhir_time(dt.datetime(2026, 1, 5, tzinfo=utc))
    assert fhir_time(dt.datetime(9999, 12, 31, 23, 59, tzinfo=east))
    assert fhir_time(dt.datetime(1, 1, 1, 0, 0, tzinfo=west))
    assert fhir_time(dt.datetime(9999, 12, 31, 9, 59, tzinfo=west))
    assert not fhir_time(dt.datetime(9999, 12, 31, 10, 0, tzinfo=west))  # 10000 in UTC
    assert not fhir_time(dt.datetime(1, 1, 1, 13, 59, tzinfo=east))  # the year 0 in UTC
    assert not fhir_time(dt.datetime(2026, 1, 5, tzinfo=dt.timezone(dt.timedelta(hours=15))))
    assert not fhir_time(dt.datetime(2026, 1, 5))  # no time zone


def test_the_calendars_ends_do_not_crash_the_draft_or_the_exports() -> None:
    # Once AssertionError (plans/draft.py) and OverflowError (export/words.py).
    assert add_months(dt.date(9999, 6, 1), 12) == dt.date.max
    assert add_months(dt.date(1, 3, 1), -12) == dt.date.min
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    far_east = dt.timezone(dt.timedelta(hours=23, minutes=59))
    far_west = dt.timezone(-dt.timedelta(hours=23, minutes=59))
    assert day(dt.datetime(1, 1, 1, tzinfo=far_east)) == "0001-01-01"
    assert day(dt.datetime(9999, 12, 31, 23, 59, tzinfo=far_west)) == "9999-12-31"
    assert day(dt.datetime(2026, 1, 5, 23, 30, tzinfo=dt.timezone(-dt.timedelta(hours=2)))
               ) == "2026-01-06"  # UTC as before


# --- other ordinary errors -------------------------------------------------------------------


def test_purge_further_back_than_the_calendar(tmp_path: Path) -> None:
    from assistant.store import Store
    from tests.plans.helpers import LIBRARY

    store = tmp_path / "s.sqlite3"
    with Store.open(store) as opened:
        opened.create_session(LIBRARY.guides["netvaerksmoede"], "AB", ["patient"])
    done = sdm("sessions", "purge", "--older-than", "740000", "--yes", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "no sessions older than 740000 days\n"


def test_new_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "x.yaml"
    line = one_line(sdm("new", "decision-aid", "min-hjaelp", "-o", str(target)))
    assert line == f"sdm new: No such file or directory: {target}"


def test_schema_into_a_missing_folder_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "no-such-folder" / "schema.json"
    line = one_line(sdm("schema", "-o", str(target)))
    assert line == (f"sdm schema: {target}: the folder {target.parent} does not exist")
