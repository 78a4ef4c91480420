"""docs/authoring.md's answers-file section stays true: every example in it replays with
`sdm replay` (a failing one prints exactly the problems shown after it), and it names every
key, value and option the answers-file format and `sdm replay` have — so the doc cannot fall
behind the code (issue 18, item 4)."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.cli import main
from assistant.cli import replay as replay_cli
from assistant.engine import answersfile
from assistant.engine.events import AddParticipant
from assistant.engine.values import Person, Task
from assistant.guides import flow, step_ids
from assistant.guides.models import LANGUAGES, ROLES, STEP_TYPES
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")
HEADING = "## Answers files (`sdm replay`)"
#: The first line of every YAML block of the section: how to replay it.
MARKER = re.compile(r"^# sdm replay (?P<guide>\S+) --answers (?P<name>[\w.-]+\.yaml)\n")
BLOCK = re.compile(r"```(?P<lang>\w*)\n(?P<body>.*?)```", re.S)


def _section() -> str:
    """The answers-file section: from its heading to the next `## ` heading."""
    start = DOC.index(HEADING)
    end = DOC.find("\n## ", start + len(HEADING))
    return DOC[start:] if end == -1 else DOC[start:end]


SECTION = _section()


@dataclass(frozen=True)
class Example:
    """One answers file of the section, the guide it is for, and the problems it prints (a
    `text` block right after it), if any."""

    guide: str
    name: str
    text: str
    problems: str | None
    line: int  # in docs/authoring.md, for the test's id

    @property
    def id(self) -> str:
        return f"authoring.md:{self.line}:{self.name}"


def _examples() -> list[Example]:
    offset = DOC.index(HEADING)
    blocks = list(BLOCK.finditer(SECTION))
    out: list[Example] = []
    for index, block in enumerate(blocks):
        if block["lang"] != "yaml":
            continue
        line = DOC.count("\n", 0, offset + block.start()) + 1
        marker = MARKER.match(block["body"])
        assert marker, (f"docs/authoring.md:{line}: every YAML block of the answers-file "
                        "section starts with '# sdm replay GUIDE --answers NAME.yaml'")
        problems = None
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (following is not None and following["lang"] == "text"
                and not SECTION[block.end():following.start()].strip()):
            problems = following["body"]
        out.append(Example(marker["guide"], marker["name"], block["body"], problems, line))
    return out


EXAMPLES = _examples()


def test_the_section_has_examples_that_pass_and_one_that_fails() -> None:
    assert sum(e.problems is None for e in EXAMPLES) >= 2
    assert any(e.problems is not None for e in EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_every_example_replays(example: Example, tmp_path: Path,
                               monkeypatch: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    """Each example, written to its file name, replays against its guide with `sdm replay`:
    exit 0 and a state on stdout, or — for one followed by a `text` block — exit 1 and exactly
    those problems on stderr."""
    monkeypatch.delenv("SDM_LIBRARY", raising=False)  # the bundled library only
    monkeypatch.chdir(tmp_path)  # problems name the answers file as the doc does
    (tmp_path / example.name).write_text(example.text, encoding="utf-8")
    guide = example.guide
    if "/" in guide:  # a path from the repository's root
        guide = str(ROOT / guide)
    code = main(["--lang", "en", "replay", guide, "--answers", example.name])
    out, err = capsys.readouterr()
    if example.problems is None:
        assert (code, err) == (0, ""), err
        assert '"finished"' in out
    else:
        assert (code, out) == (1, "")
        assert err.splitlines() == example.problems.splitlines()


def test_the_passing_examples_export_their_plans(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """What the doc says the examples show: the meeting drafts the coordination plan with the
    prepared words marked, and the aid's draft has the SURE loop's outcome."""
    monkeypatch.delenv("SDM_LIBRARY", raising=False)
    monkeypatch.chdir(tmp_path)
    drafts = {}
    for example in (e for e in EXAMPLES if e.problems is None):
        (tmp_path / example.name).write_text(example.text, encoding="utf-8")
        guide = str(ROOT / example.guide) if "/" in example.guide else example.guide
        template = ["--template", "kp"] if example.guide == "netvaerksmoede" else []
        code = main(["--lang", "en", "replay", guide, "--answers", example.name,
                     "--export", "json", *template])
        out, err = capsys.readouterr()
        assert (code, err) == (0, ""), err
        drafts[example.guide] = out
    assert "not_yet" in drafts["docs/examples/eksempel-beslutning.yaml"]
    assert "Jeg er Sofie" in drafts["netvaerksmoede"]


def _named(word: str) -> bool:
    """True when the section names `word` as code (`word`, or in a `{word, ...}` list), or
    an option `--word` anywhere (in a command, `--with FILE`)."""
    w = re.escape(word)
    if word.startswith("--"):
        return bool(re.search(rf"(?<![\w-]){w}(?![\w-])", SECTION))
    return bool(re.search(rf"`{w}`|[{{ ,]{w}[,}}]", SECTION))


def _replay_options() -> list[str]:
    subparsers = argparse.ArgumentParser().add_subparsers()
    replay_cli.register(subparsers)
    parser = subparsers.choices["replay"]
    return [option for action in parser._actions for option in action.option_strings
            if option.startswith("--") and option != "--help"]


def test_every_key_and_value_of_the_format_is_documented() -> None:
    """Every key the answers file takes (top level, entry, participant, person, task), every
    role, language and step type, every built-in step and its choices, and every option of
    `sdm replay`: a key added to the code without a word here fails this test."""
    keys = [
        *answersfile._TOP_KEYS,
        *answersfile._ENTRY_KEYS,
        *answersfile._FLAGS,
        *(set(AddParticipant.model_fields) - {"type", "at"}),  # role, name
        *Person.model_fields,
        *Task.model_fields,
    ]
    builtin = [
        *step_ids.BUILTIN,
        step_ids.NOT_YET,
        *(c.id for step in (flow.INFORMATION_LEVEL, flow.DECISION_ROLE, flow.DECIDED_BY)
          for c in step.choices),
    ]
    words = [*keys, *ROLES, *LANGUAGES, *STEP_TYPES, *builtin, *_replay_options()]
    missing = [w for w in dict.fromkeys(words) if not _named(w)]
    assert not missing, f"not in the answers-file section of docs/authoring.md: {missing}"


def test_the_times_and_limits_stated_are_the_codes() -> None:
    assert answersfile.START.isoformat().replace("+00:00", "Z") in SECTION
    assert answersfile.MAX_OFFSET.total_seconds() == 14 * 3600 and "±14:00" in SECTION
    assert "2026-01-05T10:00:00Z" in answersfile._AT_FORMAT  # the example the doc repeats
