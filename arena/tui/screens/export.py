"""Export the board on screen in the formats of `arena leaderboard --format`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioSet, Static

from arena.tui.widgets.toggles import StateRadioButton

if TYPE_CHECKING:
    from arena.ratings.leaderboard import Leaderboard


FORMATS = {"md": "Markdown", "csv": "CSV", "json": "JSON", "html": "HTML (with interval plot)"}


def render_board(board: Leaderboard, fmt: str) -> str:
    from arena import __version__
    from arena.render import leaderboard_data, leaderboard_html, leaderboard_md

    if fmt == "md":
        return leaderboard_md.to_markdown(board)
    if fmt == "csv":
        return leaderboard_data.to_csv(board)
    if fmt == "json":
        return leaderboard_data.to_json(board, __version__)
    return leaderboard_html.to_html(board, __version__)


class ExportScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, board: Leaderboard) -> None:
        super().__init__(classes="dialog")
        self.board = board
        self.fmt = "md"

    def _default_name(self) -> str:
        s = self.board.settings
        parts = ["leaderboard", s.system] + ([s.category] if s.category else [])
        return "-".join(parts) + f".{self.fmt}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Content.styled("Export the leaderboard", "bold $text-accent"))
            yield Static(Content.styled("The same files as `arena leaderboard --format …`", "$text-muted"))
            with RadioSet(id="export-format"):
                for key, label in FORMATS.items():
                    yield StateRadioButton(label, value=key == self.fmt, name=key, id=f"export-{key}")
            yield Input(self._default_name(), id="export-path")
            yield Static(id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write", variant="primary", id="write", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    @on(RadioSet.Changed)
    def _format(self, event: RadioSet.Changed) -> None:
        old = self._default_name()
        self.fmt = event.pressed.name or "md"
        path = self.query_one("#export-path", Input)
        if path.value in (old, "") or path.value.rsplit(".", 1)[0] == old.rsplit(".", 1)[0]:
            path.value = self._default_name()

    @on(Input.Submitted)
    @on(Button.Pressed, "#write")
    def _write(self) -> None:
        path = Path(self.query_one("#export-path", Input).value.strip() or self._default_name()).expanduser()
        try:
            path.write_text(render_board(self.board, self.fmt), encoding="utf-8")
        except Exception as exc:  # a missing folder, a read-only disk: say so and stay
            self.query_one("#export-error", Static).update(Content.styled(str(exc), "$text-error"))
            return
        self.app.notify(f"wrote {path}", title="Leaderboard exported")
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
