"""Who is speaking now: always visible, switched with F2 or a click."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

from assistant.guides.models import Language, Role
from assistant.tui.css import beside
from assistant.tui.strings import t
from assistant.tui.widgets.toggles import RADIO_ON
from assistant.wording import role_label


class SpeakerBar(Horizontal):
    """A row of the people present; the one speaking is highlighted."""

    DEFAULT_CSS = beside(__file__)

    @dataclass
    class Changed(Message):
        """The speaker changed."""

        role: Role

    def __init__(self, roles: list[Role], lang: Language, *, id: str | None = None,
                 role: Role | None = None, young: bool = False) -> None:
        super().__init__(id=id)
        self._roles = roles
        self._lang = lang
        #: A guide for children and young people: "Den unge", "Forældre" (`wording.youth`).
        self._young = young
        #: Who speaks now: `role` if present (e.g. who spoke last), else the first present.
        self.role: Role = role if role is not None and role in roles else roles[0]

    def _role_name(self, role: Role) -> str:
        return role_label(role, self._lang, young=self._young)

    def compose(self) -> ComposeResult:
        yield Static(Content(f"{t('speaker', self._lang)} (F2):"))
        for role in self._roles:
            button = Button(Content(self._role_name(role)), id=f"speaker-{role}",
                            compact=True)
            button.can_focus = False  # the keyboard stays in the answer; F2 switches
            yield button

    def on_mount(self) -> None:
        self._paint()

    def select(self, role: Role) -> None:
        """Make `role` the speaker (if present)."""
        if role in self._roles and role != self.role:
            self.role = role
            self._paint()
            self.post_message(self.Changed(role))

    def cycle(self) -> None:
        """Make the next person present the speaker."""
        index = self._roles.index(self.role)
        self.select(self._roles[(index + 1) % len(self._roles)])

    def add(self, role: Role) -> None:
        """Add someone who joined."""
        if role not in self._roles:
            self._roles.append(role)
            button = Button(Content(self._role_name(role)), id=f"speaker-{role}",
                            compact=True)
            button.can_focus = False
            self.mount(button)
            self._paint()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        role = str(event.button.id).removeprefix("speaker-")
        for candidate in self._roles:
            if candidate == role:
                self.select(candidate)

    def _paint(self) -> None:
        # Marked with a glyph as well as colour (● speaking): who speaks must not depend on
        # colour (a monochrome screen, a plain-text capture, colour blindness).
        for button in self.query(Button):
            role = str(button.id).removeprefix("speaker-")
            active = role == self.role
            button.set_class(active, "-active")
            name = next((self._role_name(r) for r in self._roles if r == role), role)
            button.label = Content((f"{RADIO_ON} " if active else "  ") + name)
