"""The translation pane: the open article in the reader's target language, paragraph by
paragraph beside the original, with the route (model) that produced it or the command that
installs one."""

from __future__ import annotations

from rich.text import Text

from .paragraph_pane import ParagraphPane
from .text import clean, plain

PENDING = "…"
NOT_CACHED = "(not in the translation cache)"


class TranslationView(ParagraphPane):
    BORDER_TITLE = "Translation"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.target = "en"
        self.status = ""
        self.route = ""
        self.title = ""  # the article's title, translated
        self.translations: list[str | None] = []

    def on_mount(self) -> None:
        self.set_blocks([Text("The translation of the open article shows here.", style="dim")])

    def begin(self, target: str, count: int, status: str) -> None:
        self.target, self.route, self.status, self.title = target, "", status, ""
        self.translations = [None] * count
        self.set_blocks([self._header()] + [self._paragraph(None) for _ in range(count)])

    def _header(self) -> Text:
        heading = Text(f"Translation into {self.target}", style="dim", end="")
        details = " · ".join(part for part in (self.route, self.status) if part)
        parts = [plain(self.title, style="bold"), "\n"] if self.title else []
        parts += [heading, "\n" if details else "", plain(details, style="dim")]
        return Text.assemble(*parts)

    def set_title(self, title: str) -> None:
        self.title = clean(title)
        self.set_block(0, self._header())

    @staticmethod
    def _paragraph(translation: str | None) -> Text:
        if translation is None:
            return Text(PENDING, style="dim", end="")
        return plain(translation)

    def set_status(self, status: str, route: str | None = None) -> None:
        self.status = clean(status)
        if route is not None:
            self.route = clean(route)
        self.set_block(0, self._header())

    def set_translations(self, translations: list[str | None]) -> None:
        self.translations = list(translations)
        self.set_blocks([self._header()] + [self._paragraph(t) for t in self.translations], keep_scroll=True)

    def set_paragraph(self, index: int, translation: str) -> None:
        if 0 <= index < len(self.translations):
            self.translations[index] = translation
            self.set_block(index + 1, self._paragraph(translation))

    def cache_only(self, reason: str) -> None:
        """No model can run: what the cache gave stays, the paragraphs it lacks say so, and the
        header says what would translate them (`reason`: the engine's message)."""
        missing = sum(1 for t in self.translations if t is None)
        if missing:
            paragraphs = "1 paragraph is" if missing == 1 else f"{missing} paragraphs are"
            self.status = clean(f"{paragraphs} not in the cache: {reason}")
        else:
            self.status = clean(reason.split(";")[0])  # e.g. "no sq→en model installed"
        self.set_blocks([self._header()] + [Text(NOT_CACHED, style="dim", end="") if t is None else plain(t)
                                            for t in self.translations], keep_scroll=True)

    def fail(self, message: str) -> None:
        self.route, self.status = "", ""
        self.translations = []
        self.set_blocks([Text.assemble(Text(f"No translation into {self.target}", style="bold"), "\n",
                                       plain(message))])

    def note(self, message: str) -> None:
        self.route, self.status, self.translations = "", "", []
        self.set_blocks([Text.assemble(Text(f"Translation into {self.target}", style="bold"), "\n",
                                       plain(message, style="dim"))])
