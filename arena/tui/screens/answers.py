"""What a person's form (a speech, a bet, a group turn) can hand back besides the answer
itself, and how a screen that is a person's seat waits for it. Kept apart so the forms
(human_turn.py, group_turn.py) and the screens that open them (live.py, group_new.py) do
not import each other."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Final

from textual.app import App
from textual.screen import Screen

# A person cancelled the whole debate (or group discussion) from inside a form.
CANCELLED: Final = object()


async def ask_person(app: App, form: Screen, cancel: Callable[[], None]) -> Any:
    """Open `form` and wait for the person's answer. A cancelled run (its worker cancelled
    while the form is open) closes the form; CANCELLED from the form calls `cancel` (which
    cancels the worker) and waits here for that cancellation to land."""
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()

    def answered(result: Any) -> None:
        if not future.done():
            future.set_result(result)

    app.push_screen(form, answered)
    try:
        result = await future
    except asyncio.CancelledError:
        if form.is_attached and form is app.screen:
            form.dismiss(None)
        raise
    if result is CANCELLED:
        cancel()
        await asyncio.Event().wait()  # the worker's cancellation lands here
    return result
