"""`sdm replay`: the answers file, every kind of error with its line, and all-or-nothing."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pytest

from assistant.cli import main
from assistant.cli.replay import replay_command
from assistant.engine import Answer, Edit, Seen, Session, Skip, fold
from assistant.engine.answersfile import START
from assistant.engine.snapshot import state_to_json
from assistant.guides import loader
from assistant.guides.loader import display_name, load_library
from assistant.guides.models import DecisionAid, MeetingGuide
from tests.engine.helpers import AID, AID_YAML, at, sample_value

ANSWERS = """\
language: da
participants: [patient, {role: relative, name: Mette}]
answers:
  - {step: information_level, value: everything, speaker: patient}
  - {step: naerhed, value: 9, speaker: patient, verbatim: ret meget}
  - {step: bekymret, value: false}
  - {step: hoej, skip: true, speaker: clinician}
  - {step: hvad, value: [aftaler, medicin], speaker: patient}
  - {step: naerhed, value: 4, speaker: patient, edit: true, at: "2026-01-05T10:00:00+01:00"}
  - {step: choice, value: samtaler, speaker: patient}
"""


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundled library holding only the test aid, so these tests do not depend on the
    real one (which other people are writing)."""
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "test-aid.yaml").write_text(AID_YAML, encoding="utf-8")
    monkeypatch.setattr(loader, "bundled_dir", lambda: bundled)
    return bundled


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], guide: str, answers: Path,
        export: str | None = None) -> tuple[int, str, str]:
    code = replay_command(guide, answers, export=export)
    out, err = capsys.readouterr()
    return code, out, err


def where(path: Path, text: str, line: int, needle: str) -> str:
    """`file:line:col` of `needle` on 1-based `line` of `text`."""
    column = text.splitlines()[line - 1].index(needle) + 1
    return f"{display_name(path.resolve())}:{line}:{column}"


# --- success ----------------------------------------------------------------------------------


def test_replay_prints_the_final_state(library: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path, "answers.yaml", ANSWERS)
    code, out, err = run(capsys, "test-aid", answers)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["guide"] == {"id": "test-aid", "version": "1.0.0"}
    assert data["language"] == "da"
    assert data["information_level"] == "everything"
    assert (data["decision_role"], data["choice"], data["decided_by"]) == (None, "samtaler", None)
    assert data["finished"] is False and data["current"] == "decision_role"
    assert [a["step"] for a in data["answers"]] == [
        "information_level", "naerhed", "bekymret", "hvad", "choice"]  # conversation order
    first, naerhed = data["answers"][0], data["answers"][1]
    assert first == {"step": "information_level", "value": "everything", "speaker": "patient",
                     "at": "2000-01-01T00:00:00Z", "verbatim": None, "edited": False}
    assert naerhed["value"] == 4 and naerhed["edited"]
    assert naerhed["at"] == "2026-01-05T10:00:00+01:00"
    assert data["answers"][2]["speaker"] == "patient"  # the default speaker
    assert data["answers"][3]["value"] == ["medicin", "aftaler"]
    assert data["answers"][4]["at"] == "2000-01-01T00:00:06Z"  # one second per answer
    assert data["skipped"] == ["hoej"]
    assert data["sure"]["items"] == {"sure_sure": None, "sure_understand": None,
                                     "sure_risk_benefit": None, "sure_support": None}
    assert data["participants"] == [{"role": "patient", "name": None},
                                    {"role": "relative", "name": "Mette"}]
    assert out.endswith("}\n") and "\n  " in out  # indented


def test_replay_json_is_state_to_json_of_the_same_events(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, "answers.yaml", """\
answers:
  - {step: welcome, seen: true, speaker: clinician}
  - {step: naerhed, value: 7, speaker: patient, verbatim: "syv, tror jeg"}
  - {step: bekymret, skip: true, speaker: patient}
  - {step: naerhed, value: 8, speaker: relative, edit: true}
""")
    code, out, _ = run(capsys, "test-aid", answers)
    assert code == 0

    def t(n: int) -> Any:
        return START.replace(second=n)

    state = fold(AID, [
        Seen(step="welcome", speaker="clinician", at=t(0)),
        Answer(step="naerhed", value=7, speaker="patient", at=t(1), verbatim="syv, tror jeg"),
        Skip(step="bekymret", speaker="patient", at=t(2)),
        Edit(step="naerhed", value=8, speaker="relative", at=t(3)),
    ])
    assert json.loads(out) == state_to_json(state)


def test_a_whole_run_finishes(library: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path, "answers.yaml", answers_for(AID))
    code, out, _ = run(capsys, "test-aid", answers)
    assert code == 0
    data = json.loads(out)
    assert data["finished"] is True and data["current"] is None
    assert data["sure"] == {"items": {"sure_sure": True, "sure_understand": True,
                                      "sure_risk_benefit": True, "sure_support": True},
                            "score": 4, "route": []}


def test_guide_given_as_a_path_is_read_alone(library: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    guide = write(folder, "eget.yaml", AID_YAML.replace("id: test-aid", "id: eget"))
    # The answers file and a broken draft sit next to the guide: neither is read as a guide.
    answers = write(folder, "answers.yaml", "answers:\n  - {step: naerhed, value: 3}\n")
    write(folder, "broken.yaml", "id: broken\nkind: decision_aid\n")
    code, out, err = run(capsys, str(guide), answers)
    assert (code, err) == (0, "")
    assert json.loads(out)["guide"]["id"] == "eget"
    assert main(["replay", str(guide), "--answers", str(answers)]) == 0  # through the CLI
    capsys.readouterr()


# --- errors in the answers file ---------------------------------------------------------------

BAD = """\
language: da
answers:
  - {step: information_level, value: some, speaker: patient}
  - {step: naerhd, value: 7, speaker: patient}
  - {step: naerhed, value: syv, speaker: patient}
  - {step: bekymring, value: tekst, speaker: patient}
  - {step: hvad, value: [medicin], speaker: pateint}
  - {step: welcome, value: ok}
  - {step: dato, skip: true}
  - {step: information_level, value: a_little}
  - {step: bekymret, value: true}
"""


def test_every_bad_answer_is_reported_with_its_line(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, "answers.yaml", BAD)
    code, out, err = run(capsys, "test-aid", answers)
    assert code == 1
    assert out == ""  # nothing is half-applied
    assert err.splitlines() == [
        f"{where(answers, BAD, 4, 'naerhd')}: unknown step 'naerhd' — did you mean 'naerhed'?",
        f"{where(answers, BAD, 5, 'syv')}: step 'naerhed': expected a whole number from 0 to "
        "10, got text",
        f"{where(answers, BAD, 6, 'bekymring')}: step 'bekymring' is not asked now: its "
        "conditions are not met",
        f"{where(answers, BAD, 7, 'pateint')}: unknown role 'pateint' — did you mean "
        "'patient'?",
        f"{where(answers, BAD, 8, 'welcome')}: step 'welcome' is information only: nobody "
        "answers it; pass it with Seen",
        f"{where(answers, BAD, 9, 'dato')}: step 'dato' is required: it cannot be skipped",
        f"{where(answers, BAD, 10, 'information_level')}: step 'information_level' is answered "
        "already: use Edit to change the answer",
    ]


STRUCTURE = """\
langauge: da
answers:
  - {step: naerhed, value: 3, speker: patient}
  - {value: 3}
  - {step: naerhed}
  - {step: hoej, skip: true, value: x}
  - {step: hoej, skip: yes}
  - {step: naerhed, value: 4, edit: true, skip: true}
  - {step: 7, value: 3}
  - {step: naerhed, value: 3, at: "2026-01-05 10:00"}
  - naerhed
  - {step: naerhed, value: 3, verbatim: 7}
"""


def test_structure_problems_are_located(library: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path, "answers.yaml", STRUCTURE)
    code, out, err = run(capsys, "test-aid", answers)
    assert (code, out) == (1, "")
    lines = err.splitlines()
    name = display_name(answers.resolve())
    expected = [
        (1, "unknown key 'langauge' — did you mean 'language'?"),
        (3, "unknown key 'speker' — did you mean 'speaker'?"),
        (4, "missing key 'step'"),
        (5, "missing key 'value' (or write 'skip: true' to skip the step)"),
        (6, "a skip entry takes no 'value'"),
        (7, "'skip' must be true or false, got text"),
        (8, "choose one of skip and edit"),
        (9, "'step' must be a step id, got a number"),
        (10, "'at' must be a date and time with a time zone, like 2026-01-05T10:00:00Z"),
        (11, "an answer is a mapping like {step: ..., value: ...}, got text"),
        (12, "'verbatim' must be text, got a number"),
    ]
    assert len(lines) == len(expected), err
    for line, (number, message) in zip(lines, expected, strict=True):
        assert line.startswith(f"{name}:{number}:"), line
        assert line.endswith(f": {message}"), line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just a list\n", "1:1: an answers file is a mapping"),
        ("language: de\nanswers: []\n", "1:11: language must be one of: da, en"),
        ("answers: {step: x}\n", "1:10: 'answers' must be a list, got a mapping"),
        ("language: da\n", "1:1: missing key 'answers'"),
        ("participants: [patient, doctor]\nanswers: []\n",
         "1:25: unknown role 'doctor'"),
        ("participants: [{role: relative, name: 3}]\nanswers: []\n",
         "1:39: a name must be text, got a number"),
        ("participants: [patient, patient]\nanswers: []\n",
         "1:25: this patient is taking part already"),
        ("answers:\n  - {step: naerhed, value: 3\n", "3:1: not valid YAML"),
        ("answers: !!python/object x\n", "1:10: tags (tag:yaml.org,2002:python/object) are not allowed"),
    ],
)
def test_file_level_problems(library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             text: str, message: str) -> None:
    answers = write(tmp_path, "answers.yaml", text)
    code, out, err = run(capsys, "test-aid", answers)
    assert (code, out) == (1, "")
    assert f"{display_name(answers.resolve())}:{message}" in err


def test_one_bad_answer_at_the_end_means_no_state(library: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path, "answers.yaml", ANSWERS + "  - {step: dato, value: 2026-02-30}\n")
    code, out, err = run(capsys, "test-aid", answers)
    assert (code, out) == (1, "")
    assert err.count("\n") == 1 and "is not a real date" in err


# --- usage and library problems ---------------------------------------------------------------


def test_an_unknown_export_format_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "test-aid", tmp_path / "x.yaml", export="fhri")
    assert (code, out) == (2, "")
    assert err.startswith("sdm replay: unknown export format 'fhri' — did you mean 'fhir'?")


def test_export_of_a_guide_that_fills_no_plan_is_a_usage_error(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = write(tmp_path, "answers.yaml", ANSWERS)
    code, out, err = run(capsys, "test-aid", answers, export="json")
    assert (code, out) == (2, "")
    assert err == "sdm replay: the guide 'test-aid' fills no plan\n"


def test_export_fhir_needs_no_plan(library: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path, "answers.yaml", ANSWERS)
    code, out, err = run(capsys, "test-aid", answers, export="fhir")
    assert (code, err) == (0, "")
    bundle = json.loads(out)
    assert [e["resource"]["resourceType"] for e in bundle["entry"]] == [
        "Questionnaire", "QuestionnaireResponse"]


def test_usage_problems_exit_2(library: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path, "answers.yaml", "answers: []\n")
    code, _, err = run(capsys, "test-ad", answers)
    assert code == 2 and "no guide 'test-ad' in the library — did you mean 'test-aid'?" in err
    code, _, err = run(capsys, "test-aid", tmp_path / "missing.yaml")
    assert code == 2 and "no such answers file" in err
    code, _, err = run(capsys, str(tmp_path / "nope.yaml"), answers)
    assert code == 2 and "no such guide file" in err


def test_a_plan_template_is_not_a_guide(library: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    write(library, "plan.yaml", "id: plan\nkind: plan_template\nversion: 1.0.0\ntitle: Plan\n"
          "fields:\n  - {id: needs, label: Behov}\n")
    answers = write(tmp_path, "answers.yaml", "answers: []\n")
    code, _, err = run(capsys, "plan", answers)
    assert code == 2 and "'plan' is a plan template, not a guide" in err


def test_library_problems_are_printed_and_stop_the_run(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    guide = write(folder, "eget.yaml", AID_YAML.replace("id: test-aid", "id: eget"))
    broken = write(folder, "broken.yaml", "id: broken\nkind: decision_aid\n")
    answers = write(tmp_path, "answers.yaml", "answers: []\n")
    code = replay_command(str(guide), answers, with_files=[broken])  # brought in by --with
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert f"{display_name(broken.resolve())}:" in err and "missing required key" in err


# --- every bundled guide, end to end ----------------------------------------------------------


def answers_for(guide: DecisionAid | MeetingGuide, variant: str = "first") -> str:
    """An answers file that walks `guide` to the end (see `sample_value` for `variant`)."""
    session = Session(guide)
    lines = ["answers:"]
    for second in range(500):
        current = session.state.current
        if current is None:
            return "\n".join(lines) + "\n"
        if current.step.type == "info":
            session.apply(Seen(step=current.id, at=at(second)))
            entry: dict[str, Any] = {"step": current.id, "seen": True}
        else:
            value = sample_value(current.step, variant)
            session.apply(Answer(step=current.id, value=value, speaker="patient", at=at(second)))
            entry = {"step": current.id, "value": value, "speaker": "patient"}
        lines.append(f"  - {json.dumps(entry, ensure_ascii=False)}")  # JSON is flow YAML
    raise AssertionError(f"{guide.id} did not finish")


@functools.cache
def _bundled() -> dict[str, DecisionAid | MeetingGuide]:
    out: dict[str, DecisionAid | MeetingGuide] = {}
    for guide_id, loaded in load_library(check=False).guides.items():
        if isinstance(loaded.document, (DecisionAid, MeetingGuide)):
            out[guide_id] = loaded.document
    return out


@pytest.mark.parametrize("variant", ["first", "last"])
@pytest.mark.parametrize("guide_id", sorted(_bundled()) or ["(none)"])
def test_every_bundled_guide_replays_to_the_end(
    guide_id: str, variant: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if guide_id == "(none)":
        pytest.skip("the bundled library has no guides yet")
    document = _bundled()[guide_id]
    answers = write(tmp_path, "answers.yaml", answers_for(document, variant))
    code, out, err = run(capsys, guide_id, answers)
    assert code == 0, err
    data = json.loads(out)
    assert data["guide"]["id"] == guide_id
    assert data["finished"] is True
    if isinstance(document, DecisionAid) and document.options and variant == "first":
        assert data["choice"] == document.options[0].id


# --- --store: the answers written to the session store (issue 13, item 11) --------------------


def stored(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, Any]],
                                                                     str]:
    """`sdm replay ARGS` through the CLI: the exit code, the acknowledgement lines, stderr."""
    code = main(["replay", *args])
    out, err = capsys.readouterr()
    assert out == "" or out.endswith("\n")
    return code, [json.loads(line) for line in out.splitlines()], err


def test_store_mode_acknowledges_each_event_and_stores_what_replay_prints(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.service.exports import read_state
    from assistant.store import Store

    answers = write(tmp_path, "AB-samtale.yaml", ANSWERS)
    db = tmp_path / "store.sqlite3"
    code, printed, _ = run(capsys, "test-aid", answers)
    assert code == 0
    code, acks, err = stored(capsys, "test-aid", "--answers", str(answers), "--store", str(db))
    assert code == 0, err
    assert [a["seq"] for a in acks] == list(range(1, 10))
    assert [a["type"] for a in acks] == ["add_participant", "add_participant", "answer",
                                         "answer", "answer", "skip", "answer", "edit", "answer"]
    assert [a["step"] for a in acks][:3] == [None, None, "information_level"]
    session_id = acks[0]["session"]
    assert {a["session"] for a in acks} == {session_id}
    assert list(acks[0]) == ["seq", "step", "session", "type"]
    with Store.open(db) as store:
        row = store.get_session(session_id)
        assert (row.label, row.guide_id, row.events) == ("AB-samtale", "test-aid", 9)
        assert row.present == ("patient", "relative")
        assert row.status == "in_progress"
        # The same events at the same times: the stored session is the replayed one.
        state = read_state(store, load_library(), session_id)
    assert state_to_json(state) == json.loads(printed)


def test_store_mode_finishes_a_whole_run_and_takes_a_label(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.store import Store

    answers = write(tmp_path, "answers.yaml", answers_for(AID))
    db = tmp_path / "store.sqlite3"
    code, acks, err = stored(capsys, "test-aid", "--answers", str(answers), "--store", str(db),
                             "--label", "KL")
    assert code == 0, err
    with Store.open(db) as store:
        row = store.get_session(acks[0]["session"])
    assert (row.label, row.status, row.events) == ("KL", "finished", len(acks))


def test_store_mode_appends_to_a_session_given_by_a_prefix(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.store import Store

    db = tmp_path / "store.sqlite3"
    first = write(tmp_path, "first.yaml", """\
participants: [patient]
answers:
  - {step: naerhed, value: 3}
""")
    code, acks, _ = stored(capsys, "test-aid", "--answers", str(first), "--store", str(db))
    assert code == 0 and [a["seq"] for a in acks] == [1, 2]
    session_id = acks[0]["session"]
    more = write(tmp_path, "more.yaml", """\
participants: [patient, clinician]
answers:
  - {step: bekymret, value: true}
  - {step: bekymring, value: "ikke at sove"}
""")
    code, acks, err = stored(capsys, "test-aid", "--answers", str(more), "--store", str(db),
                             "--session", session_id[:6])
    assert code == 0, err
    # The patient takes part already: only the clinician joins.
    assert [(a["seq"], a["type"], a["step"]) for a in acks] == [
        (3, "add_participant", None), (4, "answer", "bekymret"), (5, "answer", "bekymring")]
    assert {a["session"] for a in acks} == {session_id}
    with Store.open(db) as store:
        assert store.get_session(session_id).events == 5

    # Against the stored session: a step answered there needs `edit: true`; nothing is
    # written when one entry does not fit, and the problem names its line and column.
    clash = write(tmp_path, "clash.yaml", """\
answers:
  - {step: hvad, value: [medicin]}
  - {step: naerhed, value: 5}
""")
    code, acks, err = stored(capsys, "test-aid", "--answers", str(clash), "--store", str(db),
                             "--session", session_id)
    assert (code, acks) == (1, [])
    assert where(clash, clash.read_text(), 3, "naerhed") in err
    assert "answered already" in err and "(in the stored session)" in err
    with Store.open(db) as store:
        assert store.get_session(session_id).events == 5


def test_store_mode_writes_nothing_for_a_bad_answers_file(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write(tmp_path, "bad.yaml", """\
answers:
  - {step: naerhed, value: 3}
  - {step: naerhed, value: 99, edit: true}
""")
    db = tmp_path / "store.sqlite3"
    code, acks, err = stored(capsys, "test-aid", "--answers", str(bad), "--store", str(db))
    assert (code, acks) == (1, [])
    assert where(bad, bad.read_text(), 3, "99") in err
    assert not db.exists()  # the store is not even opened


def test_store_mode_usage(library: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.store import Store

    answers = write(tmp_path, "answers.yaml", "answers:\n  - {step: naerhed, value: 3}\n")
    db = tmp_path / "store.sqlite3"
    base = ["test-aid", "--answers", str(answers)]
    code, _, err = stored(capsys, *base, "--session", "abcdef")
    assert code == 2 and "--store" in err
    code, _, err = stored(capsys, *base, "--store", str(db), "--export", "md")
    assert code == 2 and "sdm export" in err
    code, _, err = stored(capsys, *base, "--store", str(db), "--session", "abcdef",
                          "--label", "AB")
    assert code == 2
    code, _, err = stored(capsys, *base, "--store", str(db), "--label", "010180-1234")
    assert code == 2 and "CPR" in err and not db.exists()
    code, acks, _ = stored(capsys, *base, "--store", str(db))
    assert code == 0
    code, _, err = stored(capsys, *base, "--store", str(db), "--session", "abc")
    assert code == 2 and "too short" in err
    code, _, err = stored(capsys, *base, "--store", str(db), "--session", "f" * 32)
    assert code == 1 and "no session" in err
    with Store.open(db) as store:
        assert [r.id for r in store.list_sessions()] == [acks[0]["session"]]
