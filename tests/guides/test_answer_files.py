"""The example answers files: each bundled guide that has one is replayed to its end.

`docs/answers/<guide-id>.yaml` is a realistic conversation with the guide, written
as an author would replay it (`sdm replay <guide-id> --answers <file>`). Each one must replay
without a problem, reach the end of the guide, and fill every field of the guide's default
plan that the guide's steps say they fill (status `filled`, not a gap) — so a renamed step,
a condition that hides a question, or a broken `fills` shows here, end to end through the CLI.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.guides.flow import flow
from assistant.guides.loader import load_library

ANSWERS = Path(__file__).resolve().parents[2] / "docs" / "answers"
FILES = sorted(ANSWERS.glob("*.yaml"))
LIBRARY = load_library()


def test_the_answers_files_name_bundled_guides() -> None:
    unknown = [f.name for f in FILES if f.stem not in LIBRARY.guides]
    assert unknown == []


@pytest.mark.parametrize("answers", FILES, ids=[f.stem for f in FILES])
def test_an_answers_file_replays_to_the_end_and_fills_the_plan(
        answers: Path, capsys: pytest.CaptureFixture[str]) -> None:
    guide_id = answers.stem
    assert main(["replay", guide_id, "--answers", str(answers)]) == 0, \
        capsys.readouterr().err
    state = json.loads(capsys.readouterr().out)
    assert state["finished"], f"{answers.name} stops at {state['current']!r}"

    guide = LIBRARY.guides[guide_id].document
    if not guide.plan:  # a guide that fills no plan: reaching the end is enough
        return
    assert main(["replay", guide_id, "--answers", str(answers), "--export", "json"]) == 0, \
        capsys.readouterr().err
    draft = json.loads(capsys.readouterr().out)
    template = draft["template"]["id"]
    status = {field["id"]: field["status"] for field in draft["fields"]}
    fills = {target.split(".", 1)[1] for step in flow(guide)  # type: ignore[arg-type]
             for target in step.step.fills if target.startswith(f"{template}.")}
    unfilled = sorted(field for field in fills if status.get(field) != "filled")
    assert unfilled == [], f"{answers.name}: fields of {template} left unfilled"
