"""The sources view: what a guide and the app's built-in questions rest on.

Patient-facing prompts and help texts speak in plain words; the references behind them —
the guide's `sources:` and the built-in steps' instruments (the Control Preferences Scale,
the SURE test, the Beslutningshjælper structure) — are listed here, one key away (F9 in the
chat), for the clinician or a patient who asks. Citations are author text: shown as text,
never as markup.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Static

from assistant.guides.flow import builtin_sources
from assistant.guides.models import Guide, Language, text_in
from assistant.text import clean_text
from assistant.tui.dialogs.base import Dialog
from assistant.tui.strings import t


class SourcesDialog(Dialog[None]):
    """The guide's sources and those of the built-in steps it asks; Esc closes."""

    CSS_PATH = ["dialog.tcss", "sources.tcss"]
    BINDINGS = [Binding("escape", "dismiss", show=False)]

    def __init__(self, guide: Guide, lang: Language) -> None:
        super().__init__()
        self.guide = guide
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang, guide = self.lang, self.guide
        with Vertical():
            yield Static(Content(clean_text(
                f"{t('sources', lang)} — {text_in(guide.title, lang)}")), classes="dialog-title")
            with VerticalScroll(id="sources-list"):
                yield Static(Content(t("sources_guide", lang)),
                             classes="sources-heading -first")
                if not guide.sources:
                    yield Static(Content(t("sources_none", lang)), classes="source")
                for source in guide.sources:
                    text = clean_text(source.citation)
                    if source.url:
                        text += f"\n{clean_text(source.url)}"
                    yield Static(Content(text), classes="source")
                builtin = builtin_sources(guide)
                if builtin:
                    yield Static(Content(t("sources_builtin", lang)), classes="sources-heading")
                for item in builtin:
                    yield Static(Content(text_in(item.about, lang)).stylize("bold")
                                 + Content("\n" + item.citation), classes="source")
            with Horizontal():
                yield Button(Content(t("sources_close", lang)), id="close", variant="primary")

    def on_mount(self) -> None:
        # The list has the focus, so Up/Down and PageUp/PageDown scroll it at once.
        self.query_one("#sources-list", VerticalScroll).focus()

    @on(Button.Pressed, "#close")
    def _close(self) -> None:
        self.dismiss(None)
