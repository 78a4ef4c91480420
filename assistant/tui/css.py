"""Where the UI's styles live: in a `.tcss` file beside the code it styles.

Screens, dialogs and the app name theirs with `CSS_PATH` (relative to their module). Textual
takes a widget's own style only from `DEFAULT_CSS` — the lowest layer, which screens and the
app may override, as a widget's defaults should be — so every widget reads its file into
`DEFAULT_CSS` when its class is made: `DEFAULT_CSS = beside(__file__, "answer_bubble")`. No
style is written in Python or built with string formatting.
"""

from __future__ import annotations

from pathlib import Path


def beside(module_file: str, name: str | None = None) -> str:
    """The text of the `.tcss` file beside `module_file`: `<module>.tcss`, or `<name>.tcss`
    where a module holds more than one styled widget."""
    here = Path(module_file)
    path = here.with_suffix(".tcss") if name is None else here.with_name(f"{name}.tcss")
    return path.read_text(encoding="utf-8")
