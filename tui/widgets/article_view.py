"""The article pane: title, a meta line (source, date, language, URL), then the body.

Search matches are highlighted (reverse video, so they show without colour); n/N move the
current match (bold, underlined, reversed) and scroll it into view.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from ..hyperlinks import link_target
from .paragraph_pane import ParagraphPane
from .text import CURRENT_MATCH, clean, highlighted, plain

EMPTY_HINT = "No article open. Choose one in the list and press Enter (/ searches)."


def header_title(title: str, paragraphs: list[str]) -> tuple[str, list[str]]:
    """The title the header shows and the body below it, so nothing shows twice: a headline
    repeated as the first paragraph (HTML pages) is dropped from the body; a title the engine
    derived from the first sentence (cut with "…") is not shown, the first paragraph is."""
    if not paragraphs:
        return title or "(untitled)", paragraphs
    first = paragraphs[0]
    if title and first.strip() == title.strip():
        return title, paragraphs[1:]
    if not title:
        return "", paragraphs
    stem = title.rstrip("…").rstrip()
    derived = first.startswith(stem) and (title.endswith("…") or first[len(stem):len(stem) + 1] in _SENTENCE_ENDS)
    return ("", paragraphs) if derived else (title, paragraphs)


_SENTENCE_ENDS = {"", ".", "!", "?", "؟", "。", "…"}


class ArticleView(ParagraphPane):
    BORDER_TITLE = "Article"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.article = None
        self.paragraphs: list[str] = []
        self.title_text = ""
        self.meta = ""
        self.url = ""
        self.matches: list[tuple[int, int, int]] = []  # (block, start, end); block 0 is the title
        self.current: int | None = None

    def on_mount(self) -> None:
        self.set_blocks([Text(EMPTY_HINT, style="dim")])

    def show(self, article, match_spans=None) -> None:
        """`match_spans(text) -> [(start, end)]` finds the current query's matches in a string."""
        self.article = article
        self.title_text, self.paragraphs = header_title(clean(article.title),
                                                      [clean(p, newlines=True) for p in article.paragraphs])
        self.meta = " · ".join(part for part in (clean(article.source), clean(article.date), clean(article.lang))
                               if part)
        self.url = clean(article.url)
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

        parts = []
        if self.title_text:
            title = highlighted(self.title_text, *spans(0))
            title.stylize("bold")
            parts += [title, "\n"]
        parts.append(plain(self.meta, style="dim"))
        if self.url:  # a line of its own: never folded (see ParagraphPane), `y` copies it whole
            # A hyperlink (OSC 8) to the whole URL, even where the line shows it shortened.
            target = link_target(self.url)
            style = Style(dim=True, underline=True, link=target) if target else Style(dim=True)
            parts += ["\n", plain(self.url, style=style)]
        header = Text.assemble(*parts)
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

    def copy_url(self) -> str:
        """Put the article's URL on the clipboard (OSC 52; most terminals, tmux with set-clipboard)."""
        if self.article is None:
            return "no article open"
        if not self.url:
            return "this article has no URL"
        self.app.copy_to_clipboard(self.url)
        return "URL copied to the clipboard"

    @property
    def link(self) -> str | None:
        """The open article's URL as a browser would take it (None: no web URL)."""
        return link_target(self.url) if self.article is not None else None

    def clear(self) -> None:
        self.article = None
        self.matches = []
        self.current = None
        self.set_blocks([Text(EMPTY_HINT, style="dim")])
