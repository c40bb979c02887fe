"""`Translator`: what the app and the command line use to translate articles.

    translator = Translator(packages_dir, cache_dir, cache_mb=64, engine="ctranslate2")
    route = translator.route("tr", "en")            # NoRoute names the packages to install
    translator.cached(paragraphs, route)            # instant: cached translation or None each
    translator.cached_text(paragraphs, "tr", "en")  # the same without any model (NoRoute, ArgosMissing)
    for item in translator.translate(paragraphs, route):   # ParagraphTranslation, in order
        ...                                         # stop iterating (close()) to cancel

Paragraphs are split into sentences (sentencex) and sent to the model in chunks of 1, 2, 4,
then 8 paragraphs, one translate_batch call per chunk and route step: the first paragraph shows
as soon as it is ready, later calls are full enough to keep CTranslate2's replicas busy. Up to
`parallelism` chunks are in flight on a small thread pool (CTranslate2 releases the GIL).
Every finished paragraph is written to the persistent cache, also when the reader has moved on.

The backend (the model runtime) is made on first use: a translation that is all in the cache
needs none, and a missing one (engine = "argos" without argostranslate) is an error only when
a model is needed (`ready()` asks before).
"""

from __future__ import annotations

import re
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .cache import TranslationCache, text_namespace
from .engines import ENGINES
from .errors import TranslationError
from .packages import PackageInfo, list_packages
from .routes import Route, find_route, normalize_lang
from .sentences import join_sentences, split_sentences

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
MAX_CHUNK = 8  # paragraphs per model call; the first call has one, so the first paragraph shows fast


def _chunks(indices: list[int]) -> Iterator[list[int]]:
    """Groups of 1, 2, 4, 8, 8, ... paragraph indices: fast first paragraph, then fewer, fuller calls."""
    size, start = 1, 0
    while start < len(indices):
        yield indices[start:start + size]
        start += size
        size = min(size * 2, MAX_CHUNK)


def _owner(split: list[list[str]], k: int) -> int:
    """Which paragraph the k-th sentence of a chunk belongs to."""
    for index, sentences in enumerate(split):
        if k < len(sentences):
            return index
        k -= len(sentences)
    raise IndexError(k)


@dataclass(frozen=True)
class ParagraphTranslation:
    index: int
    source: str
    translation: str
    cached: bool
    problem: str | None = None  # e.g. a sentence in a script the model does not know (kept as is)

    def to_json(self) -> dict:
        data = {"index": self.index, "source": self.source, "translation": self.translation,
                "cached": self.cached}
        if self.problem:
            data["problem"] = self.problem
        return data


def make_backend(engine: str):
    if engine == "ctranslate2":
        from .engine import CTranslate2Backend
        return CTranslate2Backend()
    if engine == "argos":
        from .argos_backend import ArgosBackend
        return ArgosBackend()
    raise TranslationError(f"unknown translation engine {engine!r}; use one of {', '.join(ENGINES)}")


class Translator:
    def __init__(self, packages_dir: Path, cache_dir: Path | None, cache_mb: float = 64,
                 engine: str = "ctranslate2", backend=None):
        self.packages_dir = Path(packages_dir).expanduser()
        if backend is None and engine not in ENGINES:
            raise TranslationError(f"unknown translation engine {engine!r}; use one of {', '.join(ENGINES)}")
        self.engine = engine
        self._backend = backend
        self._backend_name = backend.name if backend is not None else engine
        self._backend_lock = threading.Lock()
        self.cache = TranslationCache(Path(cache_dir).expanduser() if cache_dir is not None else None,
                                      int(cache_mb * 1024 * 1024))
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    @property
    def backend(self):
        """The model runtime, made on first use (raises ArgosMissing and the like)."""
        with self._backend_lock:
            if self._backend is None:
                self._backend = make_backend(self.engine)
            return self._backend

    @property
    def engine_name(self) -> str:
        return self._backend_name

    def ready(self) -> None:
        """Raise the error that would stop a model from running (the engine cannot load)."""
        self.backend  # noqa: B018

    # -- packages and routes -----------------------------------------------------------------

    def installed(self) -> list[PackageInfo]:
        return list_packages(self.packages_dir)

    def route(self, from_lang: str, to_lang: str) -> Route:
        return find_route(self.installed(), from_lang, to_lang)

    # -- translation -------------------------------------------------------------------------

    def _namespace(self, route: Route) -> str:
        return f"{self._backend_name}|{route.key}|{route.to_code}"

    def cached(self, paragraphs: Sequence[str], route: Route) -> list[str | None]:
        """Cached translation or None per paragraph; never calls a model. Empty paragraphs and
        an identity route (already in the target language) need no model, so they are given."""
        if not route.steps:
            return list(paragraphs)
        by_text = text_namespace(route.from_code, route.to_code)
        return self._cached(paragraphs, lambda texts: self.cache.get_many(self._namespace(route), texts, by_text))

    def cached_text(self, paragraphs: Sequence[str], from_lang: str, to_lang: str) -> list[str | None]:
        """Like `cached`, by language pair and text alone: the latest translation whatever model
        or engine made it, for when none can run (removed, or its engine cannot load)."""
        source = normalize_lang(from_lang, "source language")
        target = normalize_lang(to_lang, "target language")
        if source == target:
            return list(paragraphs)
        return self._cached(paragraphs, lambda texts: self.cache.get_by_text(text_namespace(source, target), texts))

    @staticmethod
    def _cached(paragraphs: Sequence[str], lookup) -> list[str | None]:
        result: list[str | None] = [None] * len(paragraphs)
        wanted = [(i, p) for i, p in enumerate(paragraphs) if p.strip()]
        hits = lookup([p for _, p in wanted]) if wanted else []
        for (i, _), hit in zip(wanted, hits, strict=True):
            result[i] = hit
        for i, paragraph in enumerate(paragraphs):
            if not paragraph.strip():
                result[i] = ""
        return result

    def translate(self, paragraphs: Sequence[str], route: Route) -> Iterator[ParagraphTranslation]:
        """Yield one ParagraphTranslation per paragraph, in order, as soon as each is ready.

        Cached paragraphs come at once. Closing the generator (or just dropping it) cancels
        the paragraphs not started yet. Safe to call from any thread.
        """
        paragraphs = list(paragraphs)
        if not route.steps:
            for i, paragraph in enumerate(paragraphs):
                yield ParagraphTranslation(i, paragraph, paragraph, False)
            return
        namespace = self._namespace(route)
        hits = self.cached(paragraphs, route)
        chunks = iter(_chunks([i for i, hit in enumerate(hits) if hit is None]))
        window = max(1, getattr(self.backend, "parallelism", 1))
        in_flight: deque[tuple[list[int], Future]] = deque()
        done: dict[int, tuple[str, str | None]] = {}
        try:
            for i, paragraph in enumerate(paragraphs):
                hit = hits[i]
                if hit is not None:
                    yield ParagraphTranslation(i, paragraph, hit, bool(paragraph.strip()))
                    continue
                while i not in done:
                    while len(in_flight) < window:  # keep the model busy while we wait
                        chunk = next(chunks, None)
                        if chunk is None:
                            break
                        texts = [paragraphs[j] for j in chunk]
                        in_flight.append((chunk, self._executor().submit(self._translate_chunk, texts, route,
                                                                         namespace)))
                    chunk, future = in_flight.popleft()  # chunks run in order: this one holds i
                    done.update(zip(chunk, future.result(), strict=True))
                translation, problem = done.pop(i)
                yield ParagraphTranslation(i, paragraph, translation, False, problem)
        finally:
            for _, future in in_flight:
                future.cancel()

    def _translate_chunk(self, paragraphs: list[str], route: Route, namespace: str) -> list[tuple[str, str | None]]:
        """Translate a few paragraphs with one model call per route step; cache each result."""
        split = [split_sentences(p, route.from_code) for p in paragraphs]
        flat = [s for sentences in split for s in sentences]
        unknown = [False] * len(flat)
        problems: list[str | None] = [None] * len(paragraphs)
        for step in route.steps:
            outputs = self.backend.translate_sentences(step, flat)
            for k, out in enumerate(outputs):
                if out is None and not unknown[k]:
                    unknown[k] = True
                    problems[_owner(split, k)] = step.label
            flat = [out if out is not None else source for source, out in zip(flat, outputs, strict=True)]
        results: list[tuple[str, str | None]] = []
        k = 0
        for paragraph, sentences, problem in zip(paragraphs, split, problems, strict=True):
            count = len(sentences)
            translation = join_sentences(flat[k:k + count], route.to_code)
            bad = sum(unknown[k:k + count])
            k += count
            if problem is None:
                self.cache.put(namespace, paragraph, translation, text_namespace(route.from_code, route.to_code))
                results.append((translation, None))
                continue
            code = route.steps[0].from_code
            results.append((translation, (
                f"{bad} of {count} sentence{'s' if count != 1 else ''} {'is' if bad == 1 else 'are'} in a script "
                f"the {problem} model does not know (left untranslated); is this text really {code}?")))
        return results

    def translate_text(self, text: str, from_lang: str, to_lang: str) -> str:
        """Translate a text whose paragraphs are separated by blank lines."""
        route = self.route(from_lang, to_lang)
        paragraphs = [p.strip() for p in _PARAGRAPH_BREAK.split(text.strip())] if text.strip() else []
        return "\n\n".join(item.translation for item in self.translate(paragraphs, route))

    def _executor(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=max(1, getattr(self.backend, "parallelism", 1)),
                                                thread_name_prefix="newsreader-translate")
            return self._pool

    def clear_cache(self) -> tuple[int, int]:
        return self.cache.clear()

    def close(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        if self._backend is not None:
            self._backend.close()
        self.cache.close()

    def __enter__(self) -> "Translator":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
