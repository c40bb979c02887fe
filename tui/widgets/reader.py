"""The reading area: the article pane and the translation pane, aligned and scrolled together.

The translation runs in a thread worker (exclusive, group "translate"): cached paragraphs
show at once, the rest arrive one by one with a progress line; opening another article, or
hiding the pane, cancels the worker (it checks between paragraphs) and stale results from an
old article are dropped by a token.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.containers import Container
from textual.message import Message
from textual.worker import get_current_worker

from .article_view import ArticleView
from .translation_view import TranslationView


class Reader(Container):
    class Progress(Message):
        """Translation progress for the status bar; `text` is empty when done."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, translator: Callable[[], object], *, rtl_mode: str, target: str,
                 show_translation: bool, id: str | None = None):
        super().__init__(id=id)
        self._translator = translator
        self.rtl_mode = rtl_mode
        self.target = target
        self.show_translation = show_translation
        self._token = 0
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
        for pane in (self.article_view, self.translation_view):
            pane.on_scroll = self._scrolled
            pane.on_relayout = self._align
        self.translation_view.target = self.target
        self.set_class(not self.show_translation, "-no-translation")

    # -- alignment and scrolling ------------------------------------------------------------
    def _align(self) -> None:
        article, translation = self.article_view, self.translation_view
        if not self.show_translation or len(article.blocks) != len(translation.blocks):
            article.set_block_heights(None)
            translation.set_block_heights(None)
            return
        heights = [max(a, b) for a, b in zip(article.natural_heights(), translation.natural_heights())]
        article.set_block_heights(heights)
        translation.set_block_heights(heights)

    def _scrolled(self, pane, y: float) -> None:
        if self._syncing or not self.show_translation:
            return
        other = self.translation_view if pane is self.article_view else self.article_view
        if round(other.scroll_y) != round(y):
            self._syncing = True
            try:
                other.scroll_to(y=y, animate=False, immediate=True)
            finally:
                self._syncing = False

    def on_resize(self) -> None:
        self.call_after_refresh(self._align)

    # -- articles ---------------------------------------------------------------------------
    def open(self, article, match_spans=None) -> None:
        self.article_view.show(article, match_spans)
        self._start_translation()

    def _start_translation(self) -> None:
        self._token += 1
        self.workers.cancel_group(self, "translate")
        article = self.article_view.article
        view = self.translation_view
        view.target = self.target
        if article is None or not self.show_translation:
            self.post_message(self.Progress(""))
            return
        if article.lang == self.target:
            view.note(f"The article is already in {self.target}.")
            self._align()
            return
        view.begin(self.target, len(article.paragraphs), "loading the translation model…")
        self._align()
        self.post_message(self.Progress("translation: loading the model…"))
        self._translate(self._token, list(self.article_view.paragraphs), article.lang, self.target)

    def set_show_translation(self, show: bool) -> None:
        self.show_translation = show
        self.set_class(not show, "-no-translation")
        self._start_translation()
        self.call_after_refresh(self._align)

    def set_target(self, target: str) -> None:
        self.target = target
        self._start_translation()

    # -- the worker (a thread) and its callbacks (main thread) ------------------------------
    @work(thread=True, exclusive=True, group="translate", exit_on_error=False)
    def _translate(self, token: int, paragraphs: list[str], source: str, target: str) -> None:
        from newsreader.index import NewsreaderError

        worker = get_current_worker()
        post = self.app.call_from_thread
        try:
            translator = self._translator()
            route = translator.route(source, target)
            if worker.is_cancelled:
                return
            cached = translator.cached(paragraphs, route)
            post(self._route_ready, token, route.description, cached)
            done, total = sum(1 for c in cached if c is not None), len(paragraphs)
            for item in translator.translate(paragraphs, route):
                if worker.is_cancelled:
                    return
                if cached[item.index] is None:
                    done += 1
                post(self._paragraph_ready, token, item.index, item.translation, done, total)
            post(self._finished, token)
        except NewsreaderError as exc:
            if not worker.is_cancelled:
                post(self._failed, token, str(exc))
        except Exception as exc:  # a broken model must not take the app down
            if not worker.is_cancelled:
                post(self._failed, token, f"translation failed: {type(exc).__name__}: {exc}")

    def _route_ready(self, token: int, description: str, cached: list[str | None]) -> None:
        if token != self._token:
            return
        view = self.translation_view
        total = len(cached)
        done = sum(1 for c in cached if c is not None)
        view.route = description
        view.set_translations(cached)
        self._progress(done, total)
        self._align()

    def _paragraph_ready(self, token: int, index: int, translation: str, done: int, total: int) -> None:
        if token != self._token:
            return
        self.translation_view.set_paragraph(index, translation)
        self._progress(done, total)

    def _progress(self, done: int, total: int) -> None:
        if done < total:
            self.translation_view.set_status(f"translating {done}/{total}")
            self.post_message(self.Progress(f"translating {done}/{total}"))
        else:
            self.translation_view.set_status("")
            self.post_message(self.Progress(""))

    def _finished(self, token: int) -> None:
        if token == self._token:
            self._progress(1, 1)

    def _failed(self, token: int, message: str) -> None:
        if token != self._token:
            return
        self.translation_view.fail(message)
        self._align()
        self.post_message(self.Progress(""))
