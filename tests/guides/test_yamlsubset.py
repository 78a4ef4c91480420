"""The restricted YAML subset: each forbidden construct gets its own message at its place."""

from __future__ import annotations

import pytest

from assistant.guides.yamlsubset import MAX_BYTES, YamlSubsetError, decode, read

ALIAS_BOMB = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9)
)


@pytest.mark.parametrize(
    ("text", "message", "line", "column"),
    [
        ("id: a\nid: b\n", "duplicate key 'id'", 2, 1),
        ("x: !!python/object/apply:os.system [ls]\n", "tags (", 1, 4),
        ("x: !custom 3\n", "tags (", 1, 4),
        ("a: &x [1]\nb: *x\n", "anchors (&x) are not allowed", 1, 4),
        (ALIAS_BOMB, "anchors (&a0) are not allowed", 1, 5),
        ("%YAML 1.1\n---\na: no\n", "directives (%YAML, %TAG) are not allowed", 1, 1),
        ("a: 1\n---\nb: 2\n", "only one document per file", 2, 1),
        ("? {a: [b]}\n", "a key must be a plain name", 1, 3),
        ("[{a: [b]}: c]", "a key must be a plain name", 1, 2),
        ("[" * 494 + "]" * 494, "nesting deeper than 20 levels", 1, 21),
        ("[" * 50000 + "]" * 50000, "nesting deeper than 20 levels", 1, 21),
        ("a: [1, 2\n", "not valid YAML", 2, 1),
        (": #\n d\n\n", "not valid YAML", 1, 1),
        ("a:\n  - b\n - c\n", "not valid YAML", 3, 2),
        ("a: 1\nb\x00: 2\n", "NUL character", 2, 1),
        ("'': 1\n", "", 0, 0),  # an empty quoted key is a key like any other string
    ],
)
def test_forbidden_constructs_are_refused_at_their_place(
    text: str, message: str, line: int, column: int
) -> None:
    if not message:
        assert read(text)[0] == {"": 1}
        return
    # How long refusing takes is a figure of scripts/bench.py (`hostile_ms_max`), not a test.
    with pytest.raises(YamlSubsetError) as info:
        read(text)
    assert message in info.value.message
    assert (info.value.line, info.value.column) == (line, column)


def test_comments_between_key_and_value_are_fine() -> None:
    # ruamel's round-trip loader raises NotImplementedError here; the subset reader does not.
    data, _ = read("title: # TODO oversæt\n  Min kriseplan\n\nid: plan\n")
    assert data == {"title": "Min kriseplan", "id": "plan"}


@pytest.mark.parametrize(
    ("source", "value"),
    [
        ("a: no", "no"),            # not the Norway problem
        ("a: 0755", "0755"),        # not octal
        ("a: 0101901234", "0101901234"),  # leading zero kept (CPR-, phone-like)
        ("a: 2026-11-01", "2026-11-01"),  # dates stay text; the model parses them
        ("a: '7'", "7"),
        ("a: 7", 7),
        ("a: -3", -3),
        ("a: 1.5", 1.5),
        ("a: true", True),
        ("a: False", False),
        ("a: ~", None),
        ("a:", None),
        ("a: .inf", ".inf"),
        ('a: "x\\x85y"', "xy"),  # C1 control removed at load
    ],
)
def test_scalars_follow_a_narrow_core_schema(source: str, value: object) -> None:
    assert read(source)[0] == {"a": value}


def test_positions_are_recorded_for_values_and_keys() -> None:
    _data, pos = read("a:\n  b: [x, {c: 1}]\n", positions=True)
    assert pos is not None
    assert pos.values[("a", "b", 1, "c")] == (2, 14)
    assert pos.keys[("a", "b")] == (2, 3)
    assert pos.of_value(("a", "b", 9)) == (2, 6)  # falls back to the nearest known value


def test_decode_refuses_non_utf8_with_its_position() -> None:
    with pytest.raises(YamlSubsetError) as info:
        decode(b"id: a\ntitle: \xff\xfe\n")
    assert (info.value.line, info.value.column) == (2, 8)
    assert decode("\ufeffid: a".encode()) == "id: a"


def test_size_limit() -> None:
    with pytest.raises(YamlSubsetError, match="larger than"):
        decode(b"#" * (MAX_BYTES + 1))
    with pytest.raises(YamlSubsetError, match="larger than"):
        read("#" * (MAX_BYTES + 1))


def test_node_limit() -> None:
    text = "a: [" + ", ".join(["1"] * 100_001) + "]"
    with pytest.raises(YamlSubsetError, match="more than 100000 values"):
        read(text)
