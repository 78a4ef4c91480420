"""The help overlay: every key the app listens to, in the UI language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
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
    ("Ctrl+Q", "Afslut (spørger først, hvis et svar ikke er gemt)",
     "Quit (asks first if an answer is not saved)"),
]

#: Three rules people rely on, in one short paragraph each (issue #12).
RULES: list[tuple[str, str, str, str]] = [
    ("Hvem taler", "Who is speaking",
     "Taleren skifter kun, når I skifter (F2 eller klik), eller når guiden stiller et "
     "spørgsmål til en bestemt person, der er med – så står skiftet i samtalen, før I "
     "skriver. Ellers taler den samme videre, også efter pause. Når I retter et svar (F5), "
     "står taleren på den, der gav svaret; skift med F2 for at rette, hvem der sagde det.",
     "The speaker changes only when you change it (F2 or a click), or when the guide puts "
     "a question to a particular person who is present – then the change is shown in the "
     "conversation before you type. Otherwise the same person goes on speaking, also after "
     "a break. When you edit an answer (F5), the speaker is the one who gave it; switch "
     "with F2 to correct who said it."),
    ("Godkendelse", "Approval",
     "En plan godkendes af en behandler, der er med i samtalen. Er patienten med, bekræfter "
     "patienten først selv planen. Påkrævede felter skal være udfyldt eller markeret "
     "\"drøftet\" (d). En forberedelse uden behandler godkender ingen plan: patientens "
     "punkter tages med til mødet.",
     "A plan is approved by a clinician taking part in the conversation. If the patient "
     "takes part, the patient first confirms the plan themselves. Required fields must be "
     "filled in or marked \"discussed\" (d). A preparation without a clinician approves no "
     "plan: the patient's points are taken to the meeting."),
    ("Når samtalen er slut", "When the conversation ends",
     "Planen åbner af sig selv. Derefter kan I se planen igen (F8), starte en ny samtale "
     "eller gå til forsiden (Esc). Alt er gemt; mødeuret står stille.",
     "The plan opens by itself. Then you can see the plan again (F8), start a new "
     "conversation or go home (Esc). Everything is saved; the meeting timer stops."),
]


class HelpScreen(ModalScreen[None]):
    """Lists the keys; any of Esc, F1 or q closes it."""

    CSS_PATH = "help.tcss"
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
        for title_da, title_en, da, en in RULES:
            lines = lines + Content("\n\n") + Content(
                title_da if self.lang == "da" else title_en).stylize("bold") + Content(
                "\n" + (da if self.lang == "da" else en))
        with VerticalScroll():
            yield Static(lines)
