"""The scroll keys of a screen that shows one scrolling body: the help (`?`), an event's
timeline (`v`) and what a piped command printed (`|`). Their bindings are keymap.scrolling's."""

from __future__ import annotations

from textual.containers import VerticalScroll


class ScrollKeys:
    """A Screen mixin: `scroll(step)` moves `step` lines, `page(step)` a screenful less one
    line, `top` and `bottom`, in the VerticalScroll whose id is SCROLL_ID."""

    SCROLL_ID = ""

    @property
    def _body(self) -> VerticalScroll:
        return self.query_one(f"#{self.SCROLL_ID}", VerticalScroll)  # type: ignore[attr-defined]

    def action_scroll(self, step: int) -> None:
        self._body.scroll_relative(y=step, animate=False)

    def action_page(self, step: int) -> None:
        self._body.scroll_relative(y=step * max(self._body.size.height - 1, 1), animate=False)

    def action_top(self) -> None:
        self._body.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self._body.scroll_end(animate=False)
