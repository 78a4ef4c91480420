"""Drive a conversation with the keyboard alone, the way a person at a ward PC would."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from assistant.guides.models import ScaleStep
from assistant.tui.app import SdmApp
from assistant.tui.screens.conversation import ConversationScreen


async def start(pilot: Pilot[None], guide_id: str, *, roles: tuple[str, ...] = ()) -> ConversationScreen:
    """From the home screen: search the guide, open it, (optionally add roles), start."""
    app = pilot.app
    assert isinstance(app, SdmApp)
    await pilot.pause()
    title = app.library.guides[guide_id].document.title
    query = title.da if hasattr(title, "da") else str(title)
    await pilot.press(*query[:30])
    await pilot.pause()
    from textual.widgets import OptionList
    options = app.screen.query_one("#guides", OptionList)
    ids = [str(options.get_option_at_index(i).id) for i in range(options.option_count)]
    assert guide_id in ids, ids
    options.focus()
    options.highlighted = ids.index(guide_id)
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    if roles:
        from textual.widgets import SelectionList
        selection = app.screen.query_one("#roles", SelectionList)
        for role in roles:
            selection.select(role)
    from textual.widgets import Input
    app.screen.query_one("#label", Input).value = "AB"  # a stored session needs a label
    await pilot.press("enter")  # Start has the focus
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ConversationScreen), type(screen)
    return screen


async def answer_current(pilot: Pilot[None], screen: ConversationScreen, *, text: str = "Mine egne ord") -> Any:
    """Answer the current step with the keyboard; return the value it should record."""
    current = screen.state.current
    assert current is not None
    return await answer_step(pilot, current.step, text=text)


async def answer_step(pilot: Pilot[None], step: Any, *, text: str = "Mine egne ord") -> Any:
    """Answer `step` (the current one, or the one being edited) with the keyboard."""
    kind = step.type
    await pilot.pause()
    if kind == "info":
        await pilot.press("enter")
        return None
    if kind == "single":
        await pilot.press("1")
        return step.choices[0].id
    if kind == "multi":
        await pilot.press("1", "enter")
        return [step.choices[0].id]
    if kind == "scale":
        assert isinstance(step, ScaleStep)
        point = min(step.max, max(step.min, 7))
        if point >= 10:
            await pilot.press(*str(point))
        else:
            await pilot.press(str(point))
        await pilot.press("enter")
        return point
    if kind == "yesno":
        await pilot.press("j")
        return True
    if kind == "text":
        await pilot.press("end", "ctrl+u", *text, "enter")  # clear a prefilled (edited) answer
        return text
    if kind == "longtext":
        await pilot.press("f7", *text, "ctrl+s")  # F7 selects all: typing replaces it
        return text
    if kind == "date":
        await pilot.press(*"2026-12-01", "enter")
        return "2026-12-01"
    if kind == "people":
        await pilot.press(*"Mor", "tab", *"mor", "enter", "ctrl+s")
        return [{"name": "Mor", "relation": "mor", "helps": None, "when": None, "contact": None}]
    if kind == "tasks":
        await pilot.press(*"Ring", "tab", *"Kontaktperson", "enter", "ctrl+s")
        return [{"what": "Ring", "who": "Kontaktperson", "by": None}]
    raise AssertionError(kind)


async def until(pilot: Pilot[None], check: Any, what: str, *, tries: int = 50) -> None:
    """Pause until `check()` is true (a redraw or a mount can take a few frames on a busy
    machine); fail with `what` after `tries` pauses. Not a time limit: a count of frames."""
    for _ in range(tries):
        if check():
            return
        await pilot.pause()
    raise AssertionError(f"still waiting for {what}")
