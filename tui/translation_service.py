"""Translation for the app: a service (not a widget) that runs translations in thread workers
and reports back with messages, so any number of panes (the reader, the compare view's
columns) can each have one running and drop results that are no longer theirs.

    request = service.start(reply_to=widget, paragraphs=[...], source="tr", target="en")
    # widget receives Started, then Paragraph for each one, then Finished (or Failed)
    service.cancel(request)

Cached paragraphs arrive with `Started` at once; the rest one by one. Every message carries
its request number: a widget keeps the number of the request it still wants.

When no model can run (none installed for the pair, or the engine cannot load), what the cache
holds still shows: `Started` with the cached paragraphs, then `CacheOnly` saying why the rest
(if any) cannot be translated. With nothing cached, `Failed` as for any error.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

from textual.message import Message
from textual.message_pump import MessagePump
from textual.worker import Worker, get_current_worker


class TranslationService:
    class Started(Message):
        def __init__(self, request: int, route: str, cached: list[str | None]) -> None:
            super().__init__()
            self.request, self.route, self.cached = request, route, cached

    class Paragraph(Message):
        def __init__(self, request: int, index: int, text: str, done: int, total: int) -> None:
            super().__init__()
            self.request, self.index, self.text, self.done, self.total = request, index, text, done, total

    class Finished(Message):
        def __init__(self, request: int) -> None:
            super().__init__()
            self.request = request

    class CacheOnly(Message):
        """No model can run: the paragraphs `Started` gave are all there is; `missing` of them
        are not in the cache, and `reason` says what would translate them."""

        def __init__(self, request: int, missing: int, reason: str) -> None:
            super().__init__()
            self.request, self.missing, self.reason = request, missing, reason

    class Failed(Message):
        def __init__(self, request: int, message: str) -> None:
            super().__init__()
            self.request, self.message = request, message

    def __init__(self, owner: MessagePump, translator: Callable[[], object]):
        """`owner` runs the workers (the app); `translator()` gives the engine's Translator
        (called in the worker thread: the first call imports the model runtime)."""
        self._owner = owner
        self._translator = translator
        self._numbers = itertools.count(1)
        self._workers: dict[int, Worker] = {}

    def start(self, reply_to: MessagePump, paragraphs: Sequence[str], source: str, target: str) -> int:
        request = next(self._numbers)
        worker = self._owner.run_worker(
            lambda: self._run(request, reply_to, list(paragraphs), source, target),
            name=f"translate-{request}", group="translate", thread=True, exit_on_error=False)
        self._workers[request] = worker
        return request

    def cancel(self, request: int | None) -> None:
        worker = self._workers.pop(request, None) if request is not None else None
        if worker is not None:
            worker.cancel()

    def _run(self, request: int, reply_to: MessagePump, paragraphs: list[str], source: str, target: str) -> None:
        from newsreader.index import NewsreaderError
        from newsreader.index.translation import ArgosMissing, NoRoute

        worker = get_current_worker()
        try:
            translator = self._translator()
            try:
                route = translator.route(source, target)
                if worker.is_cancelled:
                    return
                cached = translator.cached(paragraphs, route)
                reply_to.post_message(self.Started(request, route.description, cached))
                if None in cached:
                    translator.ready()  # a model is needed: can its engine load?
            except (NoRoute, ArgosMissing) as exc:
                self._from_cache(request, reply_to, translator, paragraphs, source, target, exc)
                return
            done, total = sum(1 for c in cached if c is not None), len(paragraphs)
            for item in translator.translate(paragraphs, route):
                if worker.is_cancelled:
                    return
                if cached[item.index] is None:
                    done += 1
                reply_to.post_message(self.Paragraph(request, item.index, item.translation, done, total))
            reply_to.post_message(self.Finished(request))
        except NewsreaderError as exc:
            if not worker.is_cancelled:
                reply_to.post_message(self.Failed(request, str(exc)))
        except Exception as exc:  # a broken model must not take the app down
            if not worker.is_cancelled:
                reply_to.post_message(self.Failed(request, f"translation failed: {type(exc).__name__}: {exc}"))
        finally:
            self._workers.pop(request, None)

    def _from_cache(self, request, reply_to, translator, paragraphs, source, target, why) -> None:
        """No model can run: the paragraphs the cache holds for the pair (whatever model made
        them), and why the rest cannot be translated; nothing cached: the error itself."""
        cached = translator.cached_text(paragraphs, source, target)
        missing = sum(1 for c in cached if c is None)
        if not any(cached):
            raise why
        reply_to.post_message(self.Started(request, "from the translation cache", cached))
        reply_to.post_message(self.CacheOnly(request, missing, str(why)))
