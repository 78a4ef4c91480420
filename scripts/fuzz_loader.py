"""Coverage-guided fuzzing of the guide loader with atheris (extra: `pip install -e '.[fuzz]'`).

Seeds the corpus with the bundled library and the examples, then mutates bytes for a fixed time.
Any input that raises out of the loader is a bug: it is saved to tests/corpus/loader/, where the
test suite keeps it as a regression test.

    python scripts/fuzz_loader.py --seconds 60

Hypothesis raises the recursion limit while it runs, which can hide RecursionError; this runs
with Python's default limit, as the app does.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGRESSIONS = ROOT / "tests" / "corpus" / "loader"


def _one_input(data: bytes) -> None:
    from assistant.guides.loader import parse_text
    from assistant.guides.yamlsubset import YamlSubsetError, decode

    try:
        text = decode(data)
    except YamlSubsetError:
        return
    try:
        parse_text(text, "fuzz.yaml")
    except BaseException:
        digest = hashlib.sha256(data).hexdigest()[:16]
        REGRESSIONS.mkdir(parents=True, exist_ok=True)
        (REGRESSIONS / f"crash-{digest}.yaml").write_bytes(data)
        raise


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--runs", type=int, default=0, help="stop after N inputs (0: no limit)")
    args, rest = parser.parse_known_args()
    try:
        import atheris
    except ImportError:
        print("atheris is not installed: pip install -e '.[fuzz]'", file=sys.stderr)
        return 2

    sys.path.insert(0, str(ROOT))
    with atheris.instrument_imports():
        import assistant.guides.loader
        import assistant.guides.yamlsubset  # noqa: F401

    corpus = Path(tempfile.mkdtemp(prefix="sdm-fuzz-"))
    for folder in (ROOT / "decision_aids", ROOT / "docs" / "examples", REGRESSIONS):
        for i, path in enumerate(sorted(folder.rglob("*"))):
            if path.is_file():
                shutil.copy(path, corpus / f"{folder.name}-{i}-{path.name}")
    argv = [sys.argv[0], str(corpus), f"-max_total_time={args.seconds}", "-max_len=4096",
            f"-artifact_prefix={tempfile.gettempdir()}/", *rest]
    if args.runs:
        argv.append(f"-runs={args.runs}")
    atheris.Setup(argv, _one_input)
    atheris.Fuzz()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
