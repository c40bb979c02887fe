"""A scroll view drawn line by line (Textual's Line API) that reads its style once a draw."""

from __future__ import annotations

from rich.style import Style
from textual.scroll_view import ScrollView


class LineView(ScrollView):
    """`draw_style` is the widget's style for the draw in progress: `rich_style` walks every
    ancestor, and a first frame draws about 130 lines (as Textual's DataTable does it)."""

    _pass_style: Style | None = None

    @property
    def draw_style(self) -> Style:
        return self._pass_style or self.rich_style

    def render_lines(self, crop):
        self._pass_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._pass_style = None
