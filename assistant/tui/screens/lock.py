"""The lock screen: covers every other screen and shows no patient data (issue #7).

With an encrypted store the data key is put away while it shows (`Store.forget_key`), and
unlocking needs the passphrase. Deriving the key takes a fraction of a second on purpose, so
it runs in a thread worker, never on Textual's UI thread. With an unencrypted store this is a
hide-content screen: Enter unlocks.

The screen dismisses itself with True once unlocked; the app (see `assistant.tui.locking`)
then lets the conversations record again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Input, Static

from assistant.language import Language
from assistant.store.errors import StoreError, WrongPassphrase
from assistant.tui.strings import t

if TYPE_CHECKING:
    from assistant.store.contract import StoreContract

APP_NAME = "sdm-assistant"


def encryption_badge(store: StoreContract, lang: Language) -> Static:
    """`Krypteret` / `Ikke krypteret — ...`: whether the store on this machine is encrypted;
    or, for a department server's, that nothing is kept on this machine and reads are
    logged (the server's disks are its operator's to encrypt)."""
    if store.shared:
        return Static(Content(t("store_on_server", lang)), id="store-encryption",
                      classes="-server")
    text = t("store_encrypted" if store.encrypted else "store_not_encrypted", lang)
    return Static(Content(text), id="store-encryption",
                  classes="-encrypted" if store.encrypted else "-plain")


class LockScreen(Screen[bool]):
    """The app name, whether the store is encrypted, and how to unlock: nothing else."""

    CSS_PATH = "lock.tcss"
    BINDINGS = [Binding("enter", "unlock", show=False)]
    AUTO_FOCUS = "#passphrase"

    def __init__(self, lang: Language, store: StoreContract | None = None) -> None:
        """`store`: the app's store, if it has one (None: no indicator, Enter unlocks)."""
        super().__init__()
        self.lang = lang
        self.store = store
        #: With an encrypted store: the passphrase is needed, and checked in a thread.
        self.needs_passphrase = store is not None and store.encrypted
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="lock-box"):
            yield Static(Content(f"{t('app_title', self.lang)} · {APP_NAME}"), id="lock-app")
            yield Static(Content(t("locked_title", self.lang)), id="lock-title")
            if self.store is not None:
                yield encryption_badge(self.store, self.lang)
            hint = "unlock_passphrase" if self.needs_passphrase else "unlock_enter"
            yield Static(Content(t(hint, self.lang)), id="lock-hint")
            if self.needs_passphrase:
                yield Input(password=True, placeholder=t("passphrase", self.lang),
                            id="passphrase")
            yield Static(Content(""), id="lock-status")
            yield Static(Content(t("locked_quit", self.lang)), id="lock-quit")

    def _status(self, key: str | None, text: str | None = None) -> None:
        shown = text if text is not None else (t(key, self.lang) if key else "")
        status = self.query_one("#lock-status", Static)
        status.update(Content(shown))
        status.set_class(key == "wrong_passphrase" or text is not None, "-problem")

    def action_unlock(self) -> None:
        """Enter without a passphrase: unlock a screen that only hides content."""
        if not self.needs_passphrase:
            self.dismiss(True)

    @on(Input.Submitted, "#passphrase")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        passphrase = event.value
        event.input.value = ""  # the field never keeps the passphrase
        if self._busy or not passphrase:
            return
        self._busy = True
        event.input.disabled = True
        self._status("unlocking")
        self._derive(passphrase)

    @work(thread=True, exclusive=True, group="unlock")
    def _derive(self, passphrase: str) -> None:
        """Key derivation (deliberately slow): in a thread, so the UI stays responsive."""
        assert self.store is not None
        try:
            self.store.unlock(passphrase)
        except WrongPassphrase:
            self.app.call_from_thread(self._failed, None)
        except StoreError as exc:
            self.app.call_from_thread(self._failed, exc.text(self.lang))
        else:
            self.app.call_from_thread(self._unlocked)

    def _unlocked(self) -> None:
        self.dismiss(True)

    def _failed(self, message: str | None) -> None:
        self._busy = False
        field = self.query_one("#passphrase", Input)
        field.disabled = False
        field.focus()
        self._status("wrong_passphrase", message)
