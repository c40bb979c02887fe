"""A scrolling pane of text blocks drawn with the Line API (no widget per paragraph).

Block 0 is a header (title, meta line); blocks 1..n are paragraphs. Each block is wrapped to
the pane's width; `set_block_heights` pads blocks so that block i starts on the same row in
two panes shown side by side (the article and its translation), and the reader keeps their
scroll offsets equal: a pane posts `Scrolled` when it moves and `Relayout` when its blocks
were re-wrapped, and the reader answers.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip

from .. import rtl
from ..keymap import READER
from .line_view import LineView

GAP = 1  # blank lines between blocks
_URL_LINE = re.compile(r"^[a-z][a-z0-9+.-]*://\S+$", re.IGNORECASE)


def cut_middle(line: Text, width: int) -> Text:
    """One line of at most `width` cells: the start and the end kept, "…" between."""
    if line.cell_len <= width:
        return line
    keep = max(width - 1, 1)
    head = keep - keep // 3
    tail = keep - head
    plain = line.plain
    return Text.assemble(line[:head], "…", line[len(plain) - tail:] if tail else "", end="")


class ParagraphPane(LineView, can_focus=True):
    BINDINGS = READER
    COMPONENT_CLASSES = {"paragraph-pane--title", "paragraph-pane--meta"}

    class Scrolled(Message):
        def __init__(self, pane: "ParagraphPane", y: float) -> None:
            super().__init__()
            self.pane, self.y = pane, y

    class Relayout(Message):
        """The blocks were wrapped anew: their natural heights may have changed."""

        def __init__(self, pane: "ParagraphPane") -> None:
            super().__init__()
            self.pane = pane

    def __init__(self, *, rtl_mode: str = "visual", id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.rtl_mode = rtl_mode  # resolved: "visual" or "logical"
        self.blocks: list[Text] = []
        self._heights: list[int] | None = None  # imposed by the reader for alignment
        self._wrapped: list[list[Text]] | None = None
        self._wrapped_width = -1
        self._lines: list[Strip] = []
        self._block_rows: list[int] = []

    # -- content ----------------------------------------------------------------------------
    def set_blocks(self, blocks: list[Text], *, keep_scroll: bool = False) -> None:
        self.blocks = blocks
        self._wrapped = None
        self._heights = None
        if not keep_scroll:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._rebuild()

    def set_block(self, index: int, block: Text) -> None:
        if index < len(self.blocks):
            self.blocks[index] = block
            if self._wrapped is not None and index < len(self._wrapped):
                width = self._width()
                if width:
                    self._wrapped[index] = self._wrap(block, width)
                else:  # hidden meanwhile (Esc back to the list while translating): wrap when shown
                    self._wrapped = None
            self._rebuild()

    def natural_heights(self) -> list[int]:
        return [len(lines) for lines in self._wrap_all()]

    def set_block_heights(self, heights: list[int] | None) -> None:
        if heights != self._heights:
            self._heights = heights
            self._render_lines()

    def block_row(self, block: int) -> int:
        return self._block_rows[block] if block < len(self._block_rows) else 0

    def row_of_style(self, block: int, style) -> int | None:
        """The first row (from the top of the content) of a block where `style` is applied."""
        wrapped = self._wrap_all()
        if block >= len(wrapped):
            return None
        for number, line in enumerate(wrapped[block]):
            if any(span.style == style for span in line.spans):
                return self.block_row(block) + number
        return None

    # -- layout -----------------------------------------------------------------------------
    def _width(self) -> int:
        """The wrap width: the content region, which never includes the scrollbar's column
        (the gutter is reserved in the .tcss), so a scrollbar appearing never hides text.
        0 until the pane is laid out (hidden panes have no width)."""
        return max(self.scrollable_content_region.width, 0)

    def _wrap(self, block: Text, width: int) -> list[Text]:
        console: Console = self.app.console
        lines = []
        for line in block.split("\n", allow_blank=True):
            if _URL_LINE.match(line.plain):  # folded, a URL can be neither read nor copied
                lines.append(cut_middle(line, width))
                continue
            wrapped = line.wrap(console, width, overflow="fold", no_wrap=False)
            lines.extend(wrapped or [Text("")])
        return lines

    def _wrap_all(self) -> list[list[Text]]:
        width = self._width()
        if not width:  # not laid out yet: wrapping now would draw a broken frame (one word a line)
            return [[Text("")] for _ in self.blocks]
        if self._wrapped is None or width != self._wrapped_width:
            self._wrapped = [self._wrap(block, width) for block in self.blocks]
            self._wrapped_width = width
        return self._wrapped

    def _rebuild(self) -> None:
        self._wrap_all()
        self._render_lines()
        self.post_message(self.Relayout(self))

    def _render_lines(self) -> None:
        if not self._width():
            self._lines, self._block_rows = [], []
            self.virtual_size = Size(0, 0)
            return  # on_resize draws once the pane has its size
        wrapped = self._wrap_all()
        width = self._wrapped_width
        console: Console = self.app.console
        visual = self.rtl_mode == "visual"
        strips: list[Strip] = []
        rows: list[int] = []
        for number, lines in enumerate(wrapped):
            if number:
                strips.extend(Strip.blank(width) for _ in range(GAP))
            rows.append(len(strips))
            right = visual and rtl.base_is_rtl(self.blocks[number].plain)
            for line in lines:
                shown = rtl.visual_line(line, right) if visual else line
                segments = list(shown.render(console))
                strip = Strip(segments)
                if right and strip.cell_length < width:
                    strip = Strip([Segment(" " * (width - strip.cell_length)), *segments])
                strips.append(strip)
            height = self._heights[number] if self._heights and number < len(self._heights) else len(lines)
            strips.extend(Strip.blank(width) for _ in range(max(height - len(lines), 0)))
        self._lines = strips
        self._block_rows = rows
        self.virtual_size = Size(width, len(strips))
        self.refresh()

    def on_resize(self) -> None:
        self._rewrap_if_needed()
        # The region may be settled only after the event (a pane shown again): check once more.
        self.call_after_refresh(self._rewrap_if_needed)

    def on_show(self) -> None:
        self.call_after_refresh(self._rewrap_if_needed)

    def _rewrap_if_needed(self) -> None:
        if self.blocks and self._width() and (self._width() != self._wrapped_width or not self._lines):
            self._heights = None
            self._rebuild()

    # -- keys (no animation: the two panes move in step) ------------------------------------
    def action_scroll_down(self) -> None:
        self.scroll_to(y=self.scroll_y + 1, animate=False)

    def action_scroll_up(self) -> None:
        self.scroll_to(y=self.scroll_y - 1, animate=False)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_y + max(self.scrollable_content_region.height - 1, 1), animate=False)

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_y - max(self.scrollable_content_region.height - 1, 1), animate=False)

    def action_scroll_home(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_scroll_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    def text(self) -> str:
        """The pane's content as plain text, wrapped lines joined (for tests and debugging)."""
        return " ".join(" ".join("".join(seg.text for seg in strip).split()) for strip in self._lines).strip()

    # -- drawing ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.scrollable_content_region.width
        style: Style = self.draw_style
        if row >= len(self._lines):
            return Strip.blank(width, style)
        return self._lines[row].crop_extend(scroll_x, scroll_x + width, style).apply_style(style)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.post_message(self.Scrolled(self, new_value))
