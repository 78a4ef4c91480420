"""The help overlay: every key the app listens to, in the UI language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from assistant.guides.models import Language

KEYS: list[tuple[str, str, str]] = [
    ("F1", "Hjælp (denne oversigt)", "Help (this overview)"),
    ("F2", "Skift taler", "Next speaker"),
    ("F3", "Oversigt over svar", "Summary of answers"),
    ("F4", "Fortryd sidste svar (også Ctrl+Z uden for tekstfelter)",
     "Undo the last answer (also Ctrl+Z outside text fields)"),
    ("F5", "Ret et tidligere svar (også Ctrl+E, eller klik på svaret)",
     "Edit an earlier answer (also Ctrl+E, or click the answer)"),
    ("F6", "Spring spørgsmålet over", "Skip the question"),
    ("F8", "Planudkastet: gennemgå, godkend, gem", "The plan draft: review, approve, save"),
    ("  e", "Planudkast: skriv i feltet", "Plan draft: write in the field"),
    ("  d", "Planudkast: drøftet, intet at tilføje", "Plan draft: discussed, nothing to add"),
    ("  k / x", "Planudkast: patienten retter / stryger sin linje (ikke mine ord)",
     "Plan draft: the patient corrects / strikes their line (not my words)"),
    ("  g", "Planudkast: gå til spørgsmålet bag feltet", "Plan draft: go to the question"),
    ("  a", "Planudkast: godkend", "Plan draft: approve"),
    ("  s / c", "Planudkast: gem som fil / kopiér som tekst",
     "Plan draft: save as a file / copy as text"),
    ("  r", "Planudkast: revisioner og sammenligning", "Plan draft: revisions and comparison"),
    ("  p", "Planudkast: næste plan", "Plan draft: next plan"),
    ("Enter", "Gem svar / vælg / fortsæt", "Save answer / choose / continue"),
    ("1–9", "Vælg svar nummer", "Choose answer number"),
    ("Mellemrum", "Markér (flere svar)", "Toggle (multiple answers)"),
    ("Ctrl+S", "Gem lang tekst eller liste", "Save long text or a list"),
    ("F7", "Markér al tekst i et langt tekstfelt", "Select all text in a long text field"),
    ("J / N", "Ja / nej", "Yes / no"),
    ("Esc", "Tilbage / annullér", "Back / cancel"),
    ("Ctrl+P", "Kommandopalet", "Command palette"),
    ("Ctrl+L", "Lås skærmen (skjuler alt indhold)", "Lock the screen (hides all content)"),
    ("Ctrl+Q", "Afslut", "Quit"),
]


class HelpScreen(ModalScreen[None]):
    """Lists the keys; any of Esc, F1 or q closes it."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 72; height: auto; border: round $accent;
                            background: $surface; padding: 1 2; }
    """
    BINDINGS = [("escape", "dismiss", "Close"), ("f1", "dismiss", "Close"),
                ("q", "dismiss", "Close")]

    def __init__(self, lang: Language) -> None:
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        title = "Taster" if self.lang == "da" else "Keys"
        lines = Content(title).stylize("bold")
        for key, da, en in KEYS:
            lines = lines + Content("\n") + Content(f"{key:<10}").stylize("bold") + Content(
                da if self.lang == "da" else en)
        with Vertical():
            yield Static(lines)
