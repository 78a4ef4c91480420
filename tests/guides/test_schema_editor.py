"""A schema worth its editor (issue 18, item 5): `sdm schema` as the authors' tools read it.

Every key has a description; the file kinds and step types are discriminated unions; `sdm
schema --library` offers the library's plan fields in `fills`; `sdm new` writes the schema file
its modeline names. Then the schema is given to the tools themselves:

- check-jsonschema (PyPI, in the `test` extras) accepts every bundled file and reports a wrong
  step type as that, at `type` — not as some other branch's complaint.
- the YAML language server (npm `yaml-language-server`), driven over stdio as an editor drives
  it (LSP JSON-RPC): a misspelled key and a wrong step type in a bundled aid each get one
  diagnostic on their line, and completion at `type: ` offers the ten step types. It is found
  through `SDM_YAML_LS` (the `yaml-language-server` script, or the npm prefix it was installed
  into), else on PATH, else in `~/.cache/sdm-yaml-ls` (`npm install --prefix
  ~/.cache/sdm-yaml-ls yaml-language-server`); without it or without node these tests skip,
  saying so.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from assistant.cli import main
from assistant.guides.models import KINDS, STEP_TYPES
from assistant.guides.schema import MODELINE, SCHEMA_FILE, guide_schema, schema_json
from tests.conftest import BUNDLED, EXAMPLES

BUNDLED_FILES = sorted(BUNDLED.rglob("*.yaml"))
AID = BUNDLED / "akut-medicin.yaml"          # a decision aid: steps under `preferences`
MEETING = BUNDLED / "netvaerksmoede.yaml"    # a meeting guide: steps under `sections`


def _changed(path: Path, old: str, new: str) -> tuple[str, int]:
    """The text of `path` with the first line that starts with `old` starting with `new`
    instead, and that line's index (0-based)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith(old))
    lines[index] = new + lines[index][len(old):]
    return "".join(lines), index


# --- the schema itself ------------------------------------------------------------------------


def _undescribed(node: Any, path: str = "#") -> Iterator[str]:
    """The keys in `node` (a schema) without a description; an `if` only tests, names no key."""
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            if "description" not in value:
                yield f"{path}/properties/{key}"
        for key, value in node.items():
            if key != "if":
                yield from _undescribed(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _undescribed(value, f"{path}/{i}")


def test_every_key_and_definition_has_a_description() -> None:
    schema = guide_schema()
    assert list(_undescribed(schema)) == []
    assert [name for name, d in schema["$defs"].items() if not d.get("description")] == []
    keys = sum(len(n.get("properties", {})) for n in _dicts(schema["$defs"]))
    assert keys > 200  # every key of every model, not a few


def _dicts(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)


@pytest.mark.parametrize(("where", "key", "values"), [
    ("root", "kind", KINDS), ("Step", "type", STEP_TYPES)])
def test_kinds_and_step_types_are_discriminated_unions(
        where: str, key: str, values: tuple[str, ...]) -> None:
    schema = guide_schema()
    union = schema if where == "root" else schema["$defs"][where]
    mapping = union["discriminator"]["mapping"]
    assert union["discriminator"]["propertyName"] == key
    assert list(mapping) == list(values) == union["properties"][key]["enum"]
    assert union["required"] == [key]
    assert len(union["properties"][key]["enumDescriptions"]) == len(values)
    for value, ref in mapping.items():  # each branch holds its value as a const
        branch = schema["$defs"][ref.removeprefix("#/$defs/")]
        assert branch["properties"][key]["const"] == value
        assert {"if": {"properties": {key: {"const": value}}, "required": [key]},
                "then": {"$ref": ref}} in union["allOf"]
    # Every list of steps is the one union.
    text = json.dumps(schema)
    assert '"oneOf": [{"$ref": "#/$defs/InfoStep"}' not in text
    assert text.count('"$ref": "#/$defs/Step"') == 4  # framing, preferences, decision, sections


def test_the_schema_reports_the_real_problem() -> None:
    validator = jsonschema.Draft202012Validator(guide_schema())
    text, _ = _changed(AID, "    type: scale", "    type: rnaking")
    errors = list(validator.iter_errors(_yaml(text)))
    assert [(e.json_path, e.validator) for e in errors] == [("$.preferences[0].type", "enum")]
    text, _ = _changed(AID, "kind: decision_aid", "kind: decision-aid")
    assert [e.json_path for e in validator.iter_errors(_yaml(text))] == ["$.kind"]


def _yaml(text: str) -> Any:
    from assistant.guides.yamlsubset import read

    return read(text)[0]


def test_library_variant_offers_the_plan_fields(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "egen-plan.yaml"
    plan.write_text((EXAMPLES / "eksempel-plan.yaml").read_text(encoding="utf-8")
                    .replace("id: eksempel-plan", "id: egen-plan"), encoding="utf-8")
    assert main(["schema", "--library", str(tmp_path)]) == 0
    schema = json.loads(capsys.readouterr().out)
    target = schema["$defs"]["FillTarget"]
    assert {"ua.patient_wishes", "kriseplan.medication_notes", "egen-plan.wishes"} <= set(target["enum"])
    assert len(target["enumDescriptions"]) == len(target["enum"])
    validator = jsonschema.Draft202012Validator(schema)
    data = _yaml((EXAMPLES / "eksempel-beslutning.yaml").read_text(encoding="utf-8")
                 .replace("eksempel-plan.", "egen-plan."))
    assert list(validator.iter_errors(data)) == []
    data["preferences"][0]["fills"] = "egen-plan.wishez"
    assert [e.json_path for e in validator.iter_errors(data)] == ["$.preferences[0].fills"]
    # Without --library any well-formed target is allowed; a folder that is not there is named.
    assert "enum" not in guide_schema()["$defs"]["FillTarget"]
    assert main(["schema", "--library", str(tmp_path / "nowhere")]) == 2
    assert "nowhere:1:1: " in capsys.readouterr().err


def test_new_writes_the_schema_its_modeline_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "decision-aid", "min-aid"]) == 0
    first = (tmp_path / "min-aid.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == MODELINE
    named = tmp_path / re.sub(r".*\$schema=", "", first)
    assert named.read_text(encoding="utf-8") == schema_json()
    # A schema already there (one made with --library, say) is left as it is.
    named.write_text("{}", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    assert main(["new", "plan-template", "min-plan", "-o", "min-plan.yaml"]) == 0
    assert main(["new", "meeting-guide", "mit-moede", "-o", "sub/mit-moede.yaml"]) == 0
    assert named.read_text(encoding="utf-8") == "{}"
    assert (tmp_path / "sub" / SCHEMA_FILE).read_text(encoding="utf-8") == schema_json()


def test_every_modeline_in_the_docs_names_a_schema_that_is_there() -> None:
    """docs/examples name `../sdm-guide.schema.json`: docs/ keeps it, as `sdm schema` prints it
    (regenerate with `sdm schema -o docs/sdm-guide.schema.json --force`)."""
    for path in sorted(EXAMPLES.glob("*.yaml")):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        if first.startswith("# yaml-language-server: $schema="):
            named = (path.parent / first.split("$schema=", 1)[1]).resolve()
            assert named.read_text(encoding="utf-8") == schema_json(), named


# --- check-jsonschema -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / SCHEMA_FILE
    path.write_text(schema_json(), encoding="utf-8")
    return path


def _check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is in the test extras")
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--color", "never", "--schemafile",
         str(schema), *map(str, files)],
        capture_output=True, text=True, timeout=120, check=False)


def test_check_jsonschema_accepts_every_bundled_file(schema_file: Path) -> None:
    assert len(BUNDLED_FILES) > 20
    result = _check_jsonschema(schema_file, *BUNDLED_FILES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


@pytest.mark.parametrize(("path", "old", "where"), [
    (AID, "    type: scale", "$.preferences[0].type"),
    (MEETING, "        type: people", "$.sections[0].steps[1].type"),
])
def test_check_jsonschema_names_a_wrong_step_type(
        schema_file: Path, tmp_path: Path, path: Path, old: str, where: str) -> None:
    bad = tmp_path / path.name
    bad.write_text(_changed(path, old, old.replace(old.split()[-1], "rnaking"))[0],
                   encoding="utf-8")
    result = _check_jsonschema(schema_file, bad)
    assert result.returncode == 1
    problems = [line.strip() for line in result.stdout.splitlines() if "::$" in line]
    types = ", ".join(repr(t) for t in STEP_TYPES)
    assert problems == [f"{bad}::{where}: 'rnaking' is not one of [{types}]"], result.stdout


def test_check_jsonschema_names_a_misspelled_key(schema_file: Path, tmp_path: Path) -> None:
    bad = tmp_path / AID.name
    bad.write_text(_changed(AID, "    help:", "    hlep:")[0], encoding="utf-8")
    result = _check_jsonschema(schema_file, bad)
    problems = [line.strip() for line in result.stdout.splitlines() if "::$" in line]
    assert problems == [f"{bad}::$.preferences[0]: Additional properties are not allowed "
                        "('hlep' was unexpected)"], result.stdout


# --- the YAML language server -----------------------------------------------------------------

#: Where `npm install --prefix DIR yaml-language-server` puts the server's script.
_BIN = Path("node_modules") / ".bin" / "yaml-language-server"
_DEFAULT_PREFIX = Path.home() / ".cache" / "sdm-yaml-ls"


def _language_server() -> tuple[list[str] | None, str]:
    """The command that starts the YAML language server on stdio, or None and why not."""
    node = shutil.which("node")
    if node is None:
        return None, "node is not installed (Debian: apt-get install nodejs npm)"
    given = os.environ.get("SDM_YAML_LS")
    candidates = [Path(given), Path(given) / _BIN] if given else []
    found = shutil.which("yaml-language-server")
    candidates += [Path(found)] if found else []
    candidates.append(_DEFAULT_PREFIX / _BIN)
    for candidate in candidates:
        if candidate.is_file():
            return [node, str(candidate.resolve()), "--stdio"], ""
    return None, ("yaml-language-server is not installed: npm install --prefix "
                  f"{_DEFAULT_PREFIX} yaml-language-server, or set SDM_YAML_LS to its script "
                  "or npm prefix")


class LanguageServer:
    """A language server over stdio, driven as an editor does (LSP JSON-RPC, Content-Length
    framed): requests and their responses, the server's own requests answered, and every
    `textDocument/publishDiagnostics` kept by document."""

    def __init__(self, command: list[str], settings: dict[str, Any]) -> None:
        self.settings = settings
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._next_id = 0
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        while True:
            length = None
            while (line := stream.readline()) not in (b"\r\n", b"\n"):
                if not line:
                    self._inbox.put(None)
                    return
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None
            self._inbox.put(json.loads(stream.read(length)))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        stdin = self._process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any] | None) -> Any:
        self._next_id += 1
        ident = self._next_id
        self._send({"id": ident, "method": method, "params": params})
        answer: list[Any] = []
        self.wait(lambda m: m.get("id") == ident and "method" not in m and bool(
            answer.append(m.get("result")) or True), f"no answer to {method}")
        return answer[0]

    def wait(self, done: Callable[[dict[str, Any]], bool], what: str,
             timeout: float = 60.0) -> None:
        """Handle the server's messages until `done` says one is the one awaited."""
        end = time.monotonic() + timeout
        while True:
            try:
                message = self._inbox.get(timeout=max(0.0, end - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"the language server: {what} in {timeout} s") from None
            if message is None:
                raise AssertionError(f"the language server ended: {what}")
            if "method" in message and "id" in message:  # a request of the server's
                result: Any = None
                if message["method"] == "workspace/configuration":
                    result = [self.settings.get(item.get("section"), None)
                              for item in message["params"]["items"]]
                self._send({"id": message["id"], "result": result})
            elif message.get("method") == "textDocument/publishDiagnostics":
                params = message["params"]
                self.diagnostics[params["uri"]] = params["diagnostics"]
            if done(message):
                return

    def open(self, uri: str, text: str) -> list[dict[str, Any]]:
        """Open a document, and return the diagnostics the server publishes for it."""
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                  and m["params"]["uri"] == uri, f"no diagnostics for {uri}")
        return self.diagnostics[uri]

    def close(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", {})
            self._process.wait(timeout=10)
        except (AssertionError, OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()


@pytest.fixture(scope="module")
def server(schema_file: Path) -> Iterator[LanguageServer]:
    command, why = _language_server()
    if command is None:
        pytest.skip(why)
    # The bundled files are opened as if from a folder `sdm-bundled`, with the schema from the
    # settings (their own lines unchanged); a file elsewhere needs its modeline.
    settings = {"yaml": {"schemas": {schema_file.as_uri(): ["sdm-bundled/*.yaml"]},
                         "validate": True, "completion": True, "hover": True}}
    ls = LanguageServer(command, settings)
    try:
        ls.request("initialize", {
            "processId": os.getpid(), "rootUri": None, "clientInfo": {"name": "sdm tests"},
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"completion": {}, "publishDiagnostics": {}}}})
        ls.notify("initialized", {})
        ls.notify("workspace/didChangeConfiguration", {"settings": settings})
        yield ls
    finally:
        ls.close()


def _uri(name: str) -> str:
    return f"file:///sdm-tests/sdm-bundled/{name}"


def _lines_and_messages(diagnostics: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(d["range"]["start"]["line"], d["message"]) for d in diagnostics]


def test_language_server_finds_nothing_in_a_bundled_aid(server: LanguageServer) -> None:
    for path in (AID, MEETING, BUNDLED / "plans" / "ua.yaml"):
        assert server.open(_uri(f"ok-{path.name}"), path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(("old", "new", "word"), [
    ("    help:", "    hlep:", "hlep"),          # a step's key
    ("keywords:", "keywrods:", "keywrods"),     # a key of the aid
])
def test_language_server_reports_a_misspelled_key_once(
        server: LanguageServer, old: str, new: str, word: str) -> None:
    text, line = _changed(AID, old, new)
    diagnostics = server.open(_uri(f"{word}-{AID.name}"), text)
    assert _lines_and_messages(diagnostics) == [(line, f"Property {word} is not allowed.")]


@pytest.mark.parametrize(("path", "old"), [(AID, "    type: scale"),
                                            (MEETING, "        type: people")])
def test_language_server_reports_a_wrong_step_type_once(
        server: LanguageServer, path: Path, old: str) -> None:
    text, line = _changed(path, old, old.replace(old.split()[-1], "rnaking"))
    diagnostics = server.open(_uri(f"type-{path.name}"), text)
    values = ", ".join(f'"{t}"' for t in STEP_TYPES)
    assert _lines_and_messages(diagnostics) == [
        (line, f"Value is not accepted. Valid values: {values}.")]


def test_language_server_completes_the_ten_step_types(server: LanguageServer) -> None:
    text, line = _changed(AID, "    type: scale", "    type: ")
    uri = _uri(f"complete-{AID.name}")
    server.open(uri, text)
    result = server.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": line, "character": len("    type: ")}})
    items = result["items"] if isinstance(result, dict) else result
    assert sorted(item["label"] for item in items) == sorted(STEP_TYPES)
    # Each type comes with what it is (the step model's description).
    assert all(item.get("documentation") for item in items)


def test_language_server_follows_the_modeline_sdm_new_writes(
        server: LanguageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "decision-aid", "min-aid"]) == 0
    path = tmp_path / "min-aid.yaml"
    text, line = _changed(path, "    type: scale", "    type: rnaking")
    diagnostics = server.open(path.as_uri(), text)  # not under sdm-bundled/: the modeline
    assert [d["range"]["start"]["line"] for d in diagnostics] == [line]
    assert server.open((tmp_path / "ok.yaml").as_uri(), path.read_text(encoding="utf-8")) == []
