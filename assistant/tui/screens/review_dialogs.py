"""The review's dialogs: approve the draft, save it to a file, look through its revisions.

Approving is three steps, each its own dialog: what blocks approval (`BlockersDialog`), the
patient's confirmation when the patient takes part (`ConfirmDialog`), and the clinician's
approval with the next revision and who sees to it (`ApproveDialog`). What blocks approval
is the engine's (`rules.approval_blockers`); these dialogs only put it in words, Danish first.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from assistant.engine.records import ApprovalBlocker, ConfirmationRecord
from assistant.export.words import day, word
from assistant.guides.models import Language
from assistant.plans.draft import REVISION_MONTHS, add_months
from assistant.plans.models import PlanDraft
from assistant.text import clean_text
from assistant.tui.strings import t
from assistant.tui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from assistant.tui.screens.review import StoredRevision

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 90%; max-width: 90; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; margin-bottom: 1; }}
{name} .warning {{ color: $warning; }}
{name} .error {{ color: $error; }}
{name} Horizontal {{ height: auto; margin-top: 1; }}
{name} Button {{ margin-right: 2; }}
"""


def suggested_path(label: str, name: str, day: dt.date, suffix: str) -> Path:
    """Where a saved file goes unless changed: the working folder, named from the session's
    label (letters, digits, - and _ only), what it is, and the day."""
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in label).strip("-")
    return Path.cwd() / f"{stem + '-' if stem else ''}{name}-{day.isoformat()}{suffix}"


#: Why a file is not saved, where the UI strings have no words for it (Danish, English).
_REFUSED: dict[str, tuple[str, str]] = {
    "symlink": ("Det er et symbolsk link – skriv navnet på en almindelig fil.",
                "That is a symbolic link – write the name of an ordinary file."),
    "not_regular": ("Det er ikke en almindelig fil (en enhed, en FIFO eller en sokkel) – skriv "
                    "et andet filnavn.",
                    "That is not an ordinary file (a device, a FIFO or a socket) – write "
                    "another file name."),
    "folder_not_writable": ("Du kan ikke oprette filer i den mappe.",
                            "You cannot create files in that folder."),
    "no_access": ("Du har ikke adgang til den mappe.", "You have no access to that folder."),
    "exists": ("Filen findes allerede, så intet blev gemt. Gem igen (s) for at overskrive den.",
               "The file exists already, so nothing was saved. Save again (s) to overwrite it."),
}



def refused_text(reason: str, lang: Language) -> str:
    """Why `write_private` refused a file (`WriteRefused.reason`), in the UI's words."""
    ui = {"folder": "export_is_folder", "no_folder": "export_no_folder"}
    if reason in ui:
        return t(ui[reason], lang)
    da, en = _REFUSED.get(reason, _REFUSED["not_regular"])
    return en if lang == "en" else da


def write_export(screen: Screen[Any], path: Path, text: str,
                 lang: Language, *, replace: bool = False) -> bool:
    """Write an export to `path` (mode 0600) and say so on `screen`; True when written.

    The file is written by `files.write_private`, as the CLI writes it: an existing file is
    replaced only when `replace` is True (the user confirmed it in the `ExportDialog`). A
    failure is a message (the reason), never a traceback, and leaves an existing file as
    it was.
    """
    from assistant.export.files import WriteRefused, write_private

    try:
        write_private(path, text, replace=replace)
    except WriteRefused as exc:
        screen.notify(f"{t('review_not_written', lang)}: {refused_text(exc.reason, lang)}",
                      severity="error", markup=False)
        return False
    except OSError as exc:
        screen.notify(f"{t('review_not_written', lang)} ({exc.strerror or type(exc).__name__})",
                      severity="error", markup=False)
        return False
    screen.notify(f"{t('review_written', lang)} {path}", markup=False)
    return True


def save_page(screen: Screen[Any], lang: Language, *, title: str,
              label: str, name: str, encrypted: bool,
              make: Callable[[], tuple[str, str]]) -> None:
    """Ask where to save a one-page paper (HTML to print, or text) and save it there.

    `make()` gives (HTML page, plain text); the file is suggested from `label`, `name` and
    today's date.
    """
    today = dt.date.today()

    def path(fmt: str) -> Path:
        return suggested_path(label, name, today, ".html" if fmt == "html" else ".txt")

    def done(request: ExportRequest | None) -> None:
        if request is not None:
            page, text = make()
            write_export(screen, request.path, page if request.fmt == "html" else text, lang,
                         replace=request.replace)

    formats = [("html", t("points_html", lang)), ("text", t("points_text", lang))]
    screen.app.push_screen(ExportDialog(lang, formats=formats, default_path=path,
                                        encrypted=encrypted, title=title), done)


# --- approval -----------------------------------------------------------------------------------

#: The approval's own words (Danish, English).
WORDS: dict[str, tuple[str, str]] = {
    "blocked_title": ("Planen kan ikke godkendes endnu", "The plan cannot be approved yet"),
    "no_clinician": (
        "Ingen behandler er med i samtalen. Planen godkendes på mødet med en behandler.",
        "No clinician is taking part. The plan is approved at the meeting with a clinician."),
    "no_clinician_other": (
        "Planen godkendes sammen med en behandler: ingen behandler er med i samtalen.",
        "The plan is approved together with a clinician: no clinician is taking part."),
    "no_clinician_note": (
        "Planen godkendes på mødet med en behandler. Gem dine punkter til mødet: F3 (oversigt), "
        "derefter s.",
        "The plan is approved at the meeting with a clinician. Save your points for the "
        "meeting: F3 (summary), then s."),
    "gaps": (
        "Påkrævede felter er tomme og ikke markeret „drøftet, intet at tilføje“:",
        "Required fields are empty and not marked “discussed, nothing to add”:"),
    "gaps_hint": (
        "Udfyld dem (e skriver i feltet, g går til spørgsmålet), eller tryk d på feltet, hvis "
        "det er drøftet, og der ikke er noget at tilføje.",
        "Fill them in (e writes in the field, g goes to the question), or press d on the field "
        "if it was discussed and there is nothing to add."),
    "awaiting": (
        "Afventer patienten – en andens tekst står i stedet for patientens ord i:",
        "Awaiting the patient – someone else's text stands in for the patient's words in:"),
    "awaiting_hint": (
        "Patienten gør teksten til sin egen (e, med patienten som taler) eller stryger sine "
        "linjer (x); ellers ryddes feltets tekst.",
        "The patient makes the text their own (e, with the patient speaking) or strikes their "
        "lines (x); otherwise the field's text is cleared."),
    "ok": ("OK", "OK"),
    "confirm_title": ("Patienten bekræfter", "The patient confirms"),
    "confirm_text": (
        "Patienten bekræfter: Planen er gennemgået med mig, og jeg kan genkende mine ord.",
        "The patient confirms: The plan has been gone through with me, and I recognise my "
        "words."),
    "confirm_voided": (
        "Planen er ændret, siden patienten bekræftede den. Patienten bekræfter den igen.",
        "The plan changed after the patient confirmed it. The patient confirms it again."),
    "confirm_next": ("Bagefter godkender behandleren planen.",
                     "Then the clinician approves the plan."),
    "confirm": ("Patienten bekræfter", "The patient confirms"),
    "not_yet": ("Ikke endnu", "Not yet"),
    "clinician_step": ("Behandleren godkender planen.", "The clinician approves the plan."),
    "confirmed_at": ("Patienten bekræftede planen {when}.",
                     "The patient confirmed the plan {when}."),
    "patient_absent": ("Patienten deltager ikke i samtalen.",
                       "The patient is not taking part in the conversation."),
    "discussed": ("Drøftet, intet at tilføje:", "Discussed, nothing to add:"),
    "approve": ("Godkend som behandler", "Approve as the clinician"),
    "patient_confirmed": ("patienten bekræftede {when}", "the patient confirmed {when}"),
    "patient_not_present": ("patienten deltog ikke", "the patient did not take part"),
}


def approval_word(key: str, lang: Language) -> str:
    """One of the approval's words (`WORDS`) in `lang`."""
    da, en = WORDS[key]
    return en if lang == "en" else da


def moment(at: dt.datetime) -> str:
    """A time as the approval shows it: YYYY-MM-DD HH:MM, local time."""
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def _labels(draft: PlanDraft, fields: Sequence[str], lang: Language) -> str:
    """The fields' labels as the draft has them (the id for a field it lacks)."""
    out: list[str] = []
    for field_id in fields:
        found = draft.field(field_id)
        out.append(found.label.get(lang) if found is not None else field_id)
    return ", ".join(out)


def blocker_text(blocker: ApprovalBlocker, draft: PlanDraft, lang: Language) -> str:
    """One blocker in words for the screen (the engine's message is English, for the CLI)."""
    if blocker.kind == "no_clinician":
        return approval_word("no_clinician", lang)
    if blocker.kind == "gaps":
        return (f"{approval_word('gaps', lang)} {_labels(draft, blocker.fields, lang)}. "
                f"{approval_word('gaps_hint', lang)}")
    if blocker.kind == "awaiting_patient":
        return (f"{approval_word('awaiting', lang)} {_labels(draft, blocker.fields, lang)}. "
                f"{approval_word('awaiting_hint', lang)}")
    return approval_word("confirm_voided" if blocker.voided else "confirm_text", lang)


class BlockersDialog(ModalScreen[None]):
    """What stands in the way of approving the plan now, each with what to do about it."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="BlockersDialog") + """
    BlockersDialog .blocker { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Tilbage")]

    def __init__(self, draft: PlanDraft, blockers: Sequence[ApprovalBlocker],
                 lang: Language) -> None:
        super().__init__()
        self.draft = draft
        self.blockers = list(blockers)
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(Content(clean_text(
                f"{approval_word('blocked_title', lang)} — {self.draft.title(lang)}")),
                classes="dialog-title")
            for blocker in self.blockers:
                yield Static(Content("• " + clean_text(blocker_text(blocker, self.draft, lang))),
                             classes=f"blocker warning -{blocker.kind}")
            with Horizontal():
                yield Button(Content(approval_word("ok", lang)), id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """The patient's own step: "the plan has been gone through with me, and I recognise my
    words". True when the patient confirms."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmDialog") + """
    ConfirmDialog #confirm-text { text-style: bold; }
    """
    BINDINGS = [Binding("escape", "dismiss(False)", "Annullér")]

    def __init__(self, draft: PlanDraft, lang: Language, *, voided: bool = False) -> None:
        super().__init__()
        self.draft = draft
        self.lang = lang
        self.voided = voided

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(Content(clean_text(
                f"{approval_word('confirm_title', lang)} — {self.draft.title(lang)}")),
                classes="dialog-title")
            if self.voided:
                yield Static(Content(approval_word("confirm_voided", lang)), classes="warning")
            yield Static(Content(approval_word("confirm_text", lang)), id="confirm-text")
            yield Static(Content(approval_word("confirm_next", lang)))
            with Horizontal():
                yield Button(Content(approval_word("confirm", lang)), id="confirm",
                             variant="primary")
                yield Button(Content(approval_word("not_yet", lang)), id="not-yet")

    def on_mount(self) -> None:
        self.query_one("#confirm", Button).focus()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#not-yet")
    def _not_yet(self) -> None:
        self.dismiss(False)


@dataclass(frozen=True)
class Approval:
    """What the approve dialog decided: when the plan is due again, and who sees to it."""

    due: dt.date | None
    responsible: str | None


class ApproveDialog(ModalScreen[Approval | None]):
    """The clinician's step: approve the draft with the next revision and who is responsible
    (both optional; the plan's own fields or 12 months apply otherwise). Says whether the
    patient confirmed it (`confirmation`), or that the patient is not taking part."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ApproveDialog")
    BINDINGS = [Binding("escape", "dismiss(None)", "Annullér")]

    def __init__(self, draft: PlanDraft, lang: Language, today: dt.date, *,
                 confirmation: ConfirmationRecord | None = None,
                 patient_present: bool = True) -> None:
        super().__init__()
        self.draft = draft
        self.lang = lang
        self.today = today
        self.confirmation = confirmation
        self.patient_present = patient_present

    def compose(self) -> ComposeResult:
        lang, draft = self.lang, self.draft
        with Vertical():
            yield Static(Content(t("approve_title", lang) + " — ")
                         + Content(clean_text(draft.title(lang))), classes="dialog-title")
            yield Static(Content(approval_word("clinician_step", lang)))
            if self.confirmation is not None:
                yield Static(Content(approval_word("confirmed_at", lang).format(
                    when=moment(self.confirmation.at))), id="patient-confirmed")
            elif not self.patient_present:
                yield Static(Content(approval_word("patient_absent", lang)),
                             id="patient-absent")
            if draft.gaps:  # the engine refuses these; shown should the dialog be used alone
                missing = ", ".join(g.label.get(lang) for g in draft.gaps)
                yield Static(Content(t("approve_gaps", lang).format(n=len(draft.gaps)) + " ")
                             + Content(clean_text(missing)), classes="warning")
            discussed = [f.label.get(lang) for f in draft.fields
                         if f.required and f.status == "discussed"]
            if discussed:
                yield Static(Content(approval_word("discussed", lang) + " ")
                             + Content(clean_text(", ".join(discussed))))
            default = draft.revision.next_revision_due if draft.revision.due_from == "field" \
                else add_months(self.today, REVISION_MONTHS)
            yield Static(Content(t("approve_due", lang).format(default=day(default))))
            yield Input(placeholder=day(default), id="due", max_length=10)
            yield Static(Content(t("approve_responsible", lang)))
            yield Input(draft.revision.responsible or "", id="responsible", max_length=500)
            yield Static("", id="approve-error", classes="error", markup=False)
            with Horizontal():
                yield Button(Content(approval_word("approve", lang)), id="approve",
                             variant="primary")
                yield Button(Content(t("cancel", lang)), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#due", Input).focus()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#approve")
    @on(Input.Submitted)
    def _approve(self) -> None:
        raw = self.query_one("#due", Input).value.strip()
        due: dt.date | None = None
        error = self.query_one("#approve-error", Static)
        if raw:
            try:
                due = dt.date.fromisoformat(raw)
            except ValueError:
                error.update(Content(t("approve_bad_date", self.lang)))
                return
            if due <= self.today:
                error.update(Content(t("approve_past_date", self.lang)))
                return
        responsible = clean_text(self.query_one("#responsible", Input).value).strip()
        self.dismiss(Approval(due, responsible or None))


@dataclass(frozen=True)
class ExportRequest:
    """Save the draft in `fmt` to `path`; `replace`: the user confirmed overwriting it."""

    fmt: str
    path: Path
    replace: bool = False


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Choose a format and a file; warns that the file is outside the store's protection."""

    DEFAULT_CSS = _DIALOG_CSS.format(name="ExportDialog") + """
    ExportDialog RadioSet { width: 100%; }
    """
    BINDINGS = [Binding("escape", "dismiss(None)", "Annullér")]

    def __init__(self, lang: Language, *, formats: Sequence[tuple[str, str]],
                 default_path: Callable[[str], Path], encrypted: bool,
                 title: str | None = None) -> None:
        """`formats`: (format, label) pairs, the first chosen; `default_path(format)`: the
        file suggested for it."""
        super().__init__()
        self.lang = lang
        self.formats = list(formats)
        self.default_path = default_path
        self.encrypted = encrypted
        self.title_text = title or t("export_title", lang)
        self.fmt = self.formats[0][0]
        self._confirm_overwrite: Path | None = None

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical():
            yield Static(Content(self.title_text), classes="dialog-title")
            with RadioSet(id="formats"):
                for fmt, label in self.formats:
                    yield RadioButton(Content(label), value=fmt == self.fmt, id=f"format-{fmt}")
            yield Static(Content(t("export_path", lang)))
            yield Input(str(self.default_path(self.fmt)), id="path")
            note = t("export_private", lang)
            if self.encrypted:
                note = t("export_not_encrypted", lang) + " " + note
            yield Static(Content(note), classes="warning" if self.encrypted else "")
            yield Static("", id="export-error", classes="error", markup=False)
            with Horizontal():
                yield Button(Content(t("save", lang)), id="save", variant="primary")
                yield Button(Content(t("cancel", lang)), id="cancel")

    @on(RadioSet.Changed, "#formats")
    def _format(self, event: RadioSet.Changed) -> None:
        fmt = (event.pressed.id or "").removeprefix("format-") or self.formats[0][0]
        path_input = self.query_one("#path", Input)
        # Follow the format's file ending while the path is still the suggested one.
        if path_input.value == str(self.default_path(self.fmt)):
            path_input.value = str(self.default_path(fmt))
        self.fmt = fmt
        self._confirm_overwrite = None

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#save")
    @on(Input.Submitted, "#path")
    def _save(self) -> None:
        error = self.query_one("#export-error", Static)
        raw = self.query_one("#path", Input).value.strip()
        if not raw:
            error.update(Content(t("export_need_path", self.lang)))
            return
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        from assistant.export.files import target_problem

        # The rules of `files.write_private`: a symlink, folder or device is refused here
        # already; an existing file is replaced only after "save again".
        problem = target_problem(path, replace=True)
        if problem is not None:
            error.update(Content(refused_text(problem.reason, self.lang)))
            return
        exists = os.path.lexists(path)
        if exists and self._confirm_overwrite != path:
            self._confirm_overwrite = path
            error.update(Content(t("export_exists", self.lang)))
            return
        self.dismiss(ExportRequest(self.fmt, path, replace=exists))


class RevisionsScreen(Screen[None]):
    """The plan's stored revisions; Enter compares one with the draft as it is now."""

    DEFAULT_CSS = """
    RevisionsScreen { padding: 0 1; }
    RevisionsScreen #revisions-title { text-style: bold; padding: 1 0 0 0; }
    RevisionsScreen OptionList { height: auto; max-height: 12; }
    RevisionsScreen #compare { height: 1fr; border-top: solid $primary; }
    RevisionsScreen .added { color: $success; }
    RevisionsScreen .removed { color: $error; }
    """
    BINDINGS = [Binding("escape", "app.pop_screen", "Tilbage")]

    def __init__(self, revisions: list[StoredRevision], current: PlanDraft,
                 lang: Language) -> None:
        super().__init__()
        self.revisions = revisions
        self.current = current
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield Static(Content(t("revisions_title", lang)), id="revisions-title")
        if not self.revisions:
            yield Static(Content(t("revisions_none", lang)))
        else:
            yield OptionList(*(Option(self._row(r), id=str(r.number))
                               for r in reversed(self.revisions)), id="revisions")
        yield VerticalScroll(id="compare")
        yield KeyFooter()

    def _row(self, revision: StoredRevision) -> Content:
        lang = self.lang
        kind = t(f"revision_{revision.kind}", lang)
        when = revision.created.astimezone().strftime("%Y-%m-%d %H:%M")
        text = f"{revision.number} · {kind} · {when}"
        if revision.next_revision_due is not None:
            text += f" · {word('next_revision', lang)} {day(revision.next_revision_due)}"
        if revision.draft is not None:
            text += f" · {revision.draft.title(lang)}"
        return Content(clean_text(text))

    @on(OptionList.OptionHighlighted, "#revisions")
    def _show(self, event: OptionList.OptionHighlighted) -> None:
        number = int(str(event.option.id))
        revision = next(r for r in self.revisions if r.number == number)
        self.query_one("#compare", VerticalScroll).remove_children()
        self.query_one("#compare", VerticalScroll).mount_all(self.compare(revision))

    def compare(self, revision: StoredRevision) -> list[Static]:
        """The differences between `revision` and the current draft, line by line."""
        from assistant.export.text import export_text

        lang = self.lang
        if revision.draft is None:
            return [Static(Content(t("revision_unreadable", lang)))]
        if revision.draft.template.id != self.current.template.id:
            return [Static(Content(t("revision_other_plan", lang)))]
        old = export_text(revision.draft, width=100, lang=lang).splitlines()
        new = export_text(self.current, width=100, lang=lang).splitlines()
        lines = [Static(Content(t("revision_compare", lang).format(n=revision.number)))]
        changed = False
        for line in difflib.unified_diff(old, new, lineterm="", n=1):
            if line.startswith(("---", "+++")):
                continue
            changed = True
            if line.startswith("@@"):
                lines.append(Static(Content("…"), classes="hunk"))
            elif line.startswith("+"):
                lines.append(Static(Content(line), classes="added", markup=False))
            elif line.startswith("-"):
                lines.append(Static(Content(line), classes="removed", markup=False))
            else:
                lines.append(Static(Content(line), markup=False))
        if not changed:
            lines.append(Static(Content(t("revision_same", lang))))
        return lines
