"""The reading area: the article pane and the translation pane, aligned and scrolled together.

The translation comes from the app's TranslationService: cached paragraphs show at once, the
rest arrive one by one with a progress line. Opening another article, changing the target
language or hiding the pane cancels the request; messages from an older request are dropped.
`target` and `show_translation` are bound to the main screen's state (data_bind).
"""

from __future__ import annotations

from textual.containers import Container
from textual.message import Message
from textual.reactive import reactive

from newsreader.index.langcodes import is_undetermined

from ..keymap import key_named
from ..translation_service import TranslationService
from .article_view import ArticleView
from .paragraph_pane import ParagraphPane
from .text import clean
from .translation_view import TranslationView


class Reader(Container):
    class Opened(Message):
        """An article is shown (the main screen gives the reading area its room)."""

    class Progress(Message):
        """Translation progress for the status bar; `text` is empty when done."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    target: reactive[str] = reactive("en", init=False)
    show_translation: reactive[bool] = reactive(True, init=False)

    def __init__(self, service: TranslationService, *, rtl_mode: str, sets_language: bool = False,
                 id: str | None = None):
        """`sets_language`: the screen's key that sets an article's language works here (the
        main screen's does; the compare view has none), so the note about an undetermined
        language names it as it is."""
        super().__init__(id=id)
        self._service = service
        self.rtl_mode = rtl_mode
        self.sets_language = sets_language
        self._request: int | None = None
        self._title_offset = 0  # 1 when the title is translated too (request index 0)
        self._syncing = False

    def compose(self):
        yield ArticleView(rtl_mode=self.rtl_mode, id="article")
        yield TranslationView(rtl_mode=self.rtl_mode, id="translation")

    @property
    def article_view(self) -> ArticleView:
        return self.query_one(ArticleView)

    @property
    def translation_view(self) -> TranslationView:
        return self.query_one(TranslationView)

    def on_mount(self) -> None:
        self.translation_view.target = self.target
        self.set_class(not self.show_translation, "-no-translation")

    # -- alignment and scrolling ------------------------------------------------------------
    def _align(self) -> None:
        article, translation = self.article_view, self.translation_view
        if not self.show_translation or len(article.blocks) != len(translation.blocks):
            article.set_block_heights(None)
            translation.set_block_heights(None)
            return
        heights = [max(a, b) for a, b in zip(article.natural_heights(), translation.natural_heights(), strict=False)]
        article.set_block_heights(heights)
        translation.set_block_heights(heights)

    def on_paragraph_pane_relayout(self, event: ParagraphPane.Relayout) -> None:
        event.stop()
        self._align()

    def on_paragraph_pane_scrolled(self, event: ParagraphPane.Scrolled) -> None:
        event.stop()
        if self._syncing or not self.show_translation:
            return
        other = self.translation_view if event.pane is self.article_view else self.article_view
        if round(other.scroll_y) != round(event.y):
            self._syncing = True
            try:
                other.scroll_to(y=event.y, animate=False, immediate=True)
            finally:
                self._syncing = False

    def on_resize(self) -> None:
        self.call_after_refresh(self._align)

    # -- articles ---------------------------------------------------------------------------
    def open(self, article, match_spans=None) -> None:
        self.article_view.show(article, match_spans)
        self._start_translation()
        self.post_message(self.Opened())

    def _start_translation(self) -> None:
        self._service.cancel(self._request)
        self._request = None
        article = self.article_view.article
        view = self.translation_view
        view.target = self.target
        # Nothing to translate: the pane collapses and the article takes its room.
        self.set_class(article is not None and article.lang == self.target, "-same-language")
        if article is None or not self.show_translation:
            self.post_message(self.Progress(""))
            return
        if article.lang == self.target:
            view.note(f"The article is already in {self.target}.")
            self._align()
            self.post_message(self.Progress(""))
            return
        if is_undetermined(article.lang):  # no model can be chosen: say which key sets the language
            key = key_named("set_language", getattr(self.app, "keymap", {}))
            # The key works where articles are opened; elsewhere (the compare view) say where.
            where = "" if self.sets_language else " on it in the article view"
            view.note(f"newsreader could not tell which language this article is in (und), so no model can "
                      f"be chosen. Press {key}{where} to set its language.")
            self._align()
            self.post_message(self.Progress(""))
            return
        shown = self.article_view
        view.begin(self.target, len(shown.paragraphs), "loading the translation model…")
        self._align()
        self.post_message(self.Progress("translation: loading the model…"))
        # What the article pane shows (clean: control characters never reach the model either),
        # its title first when it has one of its own.
        self._title_offset = 1 if shown.title_text else 0
        paragraphs = [shown.title_text] * self._title_offset + list(shown.paragraphs)
        self._request = self._service.start(self, paragraphs, article.lang, self.target)

    def watch_show_translation(self, show: bool) -> None:
        self.set_class(not show, "-no-translation")
        self._start_translation()
        self.call_after_refresh(self._align)

    def watch_target(self, target: str) -> None:
        # Another language, same place in the article: the panes stay where the reader was.
        y = self.article_view.scroll_y
        self._start_translation()
        self.call_after_refresh(self._scroll_both, y)

    def _scroll_both(self, y: float) -> None:
        for pane in (self.article_view, self.translation_view):
            pane.scroll_to(y=y, animate=False, immediate=True)

    # -- the service's messages -------------------------------------------------------------
    def on_translation_service_started(self, message: TranslationService.Started) -> None:
        if message.request != self._request:
            return
        view = self.translation_view
        view.route = clean(message.route)
        offset = self._title_offset
        view.title = message.cached[0] or "" if offset else ""
        view.set_translations(message.cached[offset:])
        self._progress(sum(1 for c in message.cached if c is not None), len(message.cached))
        self._align()

    def on_translation_service_paragraph(self, message: TranslationService.Paragraph) -> None:
        if message.request != self._request:
            return
        if message.index < self._title_offset:
            self.translation_view.set_title(message.text)
        else:
            self.translation_view.set_paragraph(message.index - self._title_offset, message.text)
        self._progress(message.done, message.total)

    def on_translation_service_finished(self, message: TranslationService.Finished) -> None:
        if message.request == self._request:
            self._progress(1, 1)

    def on_translation_service_cache_only(self, message: TranslationService.CacheOnly) -> None:
        if message.request != self._request:
            return
        self.translation_view.cache_only(message.reason)  # counts the paragraphs it lacks (not the title)
        self._align()
        self.post_message(self.Progress(""))

    def on_translation_service_failed(self, message: TranslationService.Failed) -> None:
        if message.request != self._request:
            return
        self.translation_view.fail(message.message)
        self._align()
        self.post_message(self.Progress(""))

    def _progress(self, done: int, total: int) -> None:
        if done < total:
            self.translation_view.set_status(f"translating {done}/{total}")
            self.post_message(self.Progress(f"translating {done}/{total}"))
        else:
            self.translation_view.set_status("")
            self.post_message(self.Progress(""))
