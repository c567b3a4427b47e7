"""Radio buttons and check boxes whose state shows without colour.

Textual draws every radio button as `●` and every check box as `X`, on or off, and tells
them apart by colour alone: with NO_COLOR, on a monochrome terminal or to a colour-blind
user, every option looks chosen. These draw the mark only when the option is on."""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.widgets import RadioButton, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

RADIO_ON, CHECK_ON, OFF = "●", "X", " "


class StateRadioButton(RadioButton):
    @property
    def _button(self) -> Content:
        # As Textual draws it (ToggleButton._button), with the mark only when on.
        button_style = self.get_visual_style("toggle--button")
        side_style = Style(foreground=button_style.background, background=self.background_colors[1])
        return Content.assemble(
            (self.BUTTON_LEFT, side_style),
            (RADIO_ON if self.value else OFF, button_style),
            (self.BUTTON_RIGHT, side_style),
        )


class StateSelectionList(SelectionList):
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        if len(segments) < 2:
            return strip
        mark = CHECK_ON if selection.value in self._selected else OFF
        segments[1] = Segment(mark, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)
