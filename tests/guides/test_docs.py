"""docs/authoring.md stays true: its example is the validated file, its tables name real keys."""

from __future__ import annotations

import re

from assistant.guides.flow import RESERVED_STEP_IDS
from assistant.guides.models import STEP_TYPES
from tests.conftest import EXAMPLES, ROOT

DOC = (ROOT / "docs" / "authoring.md").read_text(encoding="utf-8")


def test_the_example_in_the_doc_is_the_tested_file() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC, flags=re.S)
    for name in ("eksempel-beslutning.yaml", "eksempel-plan.yaml"):
        assert (EXAMPLES / name).read_text(encoding="utf-8") in blocks


def test_every_step_type_and_builtin_id_is_documented() -> None:
    for step_type in STEP_TYPES:
        assert f"| `{step_type}` |" in DOC
    for step_id in RESERVED_STEP_IDS:
        assert f"`{step_id}`" in DOC
