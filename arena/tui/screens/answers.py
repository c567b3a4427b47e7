"""What a person's form (a speech, a bet) can hand back besides the answer itself.
Kept apart so the forms (human_turn.py) and the live screen that opens them
(live.py) do not import each other."""

from __future__ import annotations

from typing import Final

# A person cancelled the whole debate from inside a form.
CANCELLED: Final = object()
