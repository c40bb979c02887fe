"""The article pane: title, a meta line (source, date, language, URL), then the body.

Search matches are highlighted (reverse video, so they show without colour); n/N move the
current match (bold, underlined, reversed) and scroll it into view.
"""

from __future__ import annotations

from rich.text import Text

from .paragraph_pane import ParagraphPane
from .text import CURRENT_MATCH, clean, highlighted, plain

EMPTY_HINT = "No article open. Choose one in the list and press Enter (/ searches)."


class ArticleView(ParagraphPane):
    BORDER_TITLE = "Article"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.article = None
        self.paragraphs: list[str] = []
        self.title_text = ""
        self.meta = ""
        self.matches: list[tuple[int, int, int]] = []  # (block, start, end); block 0 is the title
        self.current: int | None = None

    def on_mount(self) -> None:
        self.set_blocks([Text(EMPTY_HINT, style="dim")])

    def show(self, article, match_spans=None) -> None:
        """`match_spans(text) -> [(start, end)]` finds the current query's matches in a string."""
        self.article = article
        self.title_text = clean(article.title) or "(untitled)"
        self.meta = " · ".join(clean(part) for part in (article.source, article.date, article.lang, article.url) if part)
        self.paragraphs = [clean(p) for p in article.paragraphs]
        self.matches = []
        if match_spans is not None:
            self.matches += [(0, s, e) for s, e in match_spans(self.title_text)]
            for number, paragraph in enumerate(self.paragraphs, 1):
                self.matches += [(number, s, e) for s, e in match_spans(paragraph)]
        self.current = None
        self.set_blocks(self._blocks())

    def _blocks(self) -> list[Text]:
        def spans(block: int):
            found = [(s, e) for b, s, e in self.matches if b == block]
            current = None
            if self.current is not None and self.matches[self.current][0] == block:
                current = found.index(self.matches[self.current][1:])
            return found, current

        title = highlighted(self.title_text, *spans(0))
        title.stylize("bold")
        header = Text.assemble(title, "\n", plain(self.meta, style="dim"))
        return [header] + [highlighted(p, *spans(n)) for n, p in enumerate(self.paragraphs, 1)]

    def jump(self, step: int) -> str:
        """Move to the next (+1) or previous (-1) match; returns a status line."""
        if not self.matches:
            return "no matches in this article" if self.article else "no article open"
        if self.current is None:
            self.current = 0 if step > 0 else len(self.matches) - 1
        else:
            self.current = (self.current + step) % len(self.matches)
        self.set_blocks(self._blocks(), keep_scroll=True)
        block = self.matches[self.current][0]
        row = self.row_of_style(block, CURRENT_MATCH)
        if row is not None and not (self.scroll_y <= row < self.scroll_y + self.scrollable_content_region.height):
            self.scroll_to(y=max(row - 2, 0), animate=False, immediate=True)
        return f"match {self.current + 1}/{len(self.matches)}"

    def clear(self) -> None:
        self.article = None
        self.matches = []
        self.current = None
        self.set_blocks([Text(EMPTY_HINT, style="dim")])
