"""`Workspace`: everything one reader works with, opened in one place for the app and the
command line alike: the library folder (a new default library starts with the bundled seeds)
and the translator with its model folder and cache. Both are opened on first use, so a
command that needs neither opens neither, and the translator's heavy imports wait until a
translation is asked for.

The workspace's library glosses what each add and fetch brings with the workspace's translator
(index/glossing.py), whichever front end asked, unless `translate_leads` is off.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .library import Library
    from .translation import Translator


@dataclass(frozen=True)
class Places:
    """Where a workspace keeps things (the front end resolves them from its configuration)."""

    library: Path
    library_is_default: bool  # the default library is filled with the bundled seeds when new
    packages: Path  # Argos Translate packages
    cache: Path  # the translation cache
    cache_mb: float = 64
    engine: str = "ctranslate2"


class Workspace:
    def __init__(self, places: Places, *, on_seeded: Callable[[Path], None] | None = None,
                 translator_factory: Callable[[], "Translator"] | None = None,
                 on_notice: Callable[[str], None] | None = None, wait: bool = True, translate_leads: bool = True):
        """`on_notice` and `wait` go to the library (see `Library`); `translate_leads`: whether
        the library glosses what adds and fetches bring (`Library.gloss_new_with`)."""
        self.places = places
        self._on_seeded = on_seeded
        self._on_notice = on_notice
        self._wait = wait
        self._translator_factory = translator_factory
        self._translate_leads = translate_leads
        self._library: Library | None = None
        self._given_translator = False  # the library was told to gloss with ours (library())
        self._translator: Translator | None = None
        self._lock = threading.Lock()

    def library(self) -> "Library":
        """The library, opened once (a new default library gets the bundled sample articles)."""
        with self._lock:
            if self._library is None:
                from .library import Library, bundled_seeds

                library = Library(self.places.library, on_notice=self._on_notice, wait=self._wait)
                if self.places.library_is_default and not library.read_only and library.is_empty():
                    library.add([bundled_seeds()])
                    if self._on_seeded is not None:
                        self._on_seeded(library.folder)
                self._library = library
            if not self._given_translator:  # after the seeds: a first start is not kept waiting for models
                self._library.gloss_new_with(self.translator if self._translate_leads else None)
                self._given_translator = True
            return self._library

    def translator(self) -> "Translator":
        """The translator, created on first use (the import of the model runtime is heavy)."""
        with self._lock:
            if self._translator is None:
                if self._translator_factory is not None:
                    self._translator = self._translator_factory()
                else:
                    from .translation import Translator

                    self._translator = Translator(self.places.packages, self.places.cache,
                                                  cache_mb=self.places.cache_mb, engine=self.places.engine)
            return self._translator

    def translation_cache(self):
        """The translation cache alone (for `cache info` / `cache clear`), without a model runtime."""
        from .translation.cache import TranslationCache

        return TranslationCache(self.places.cache, int(self.places.cache_mb * 1024 * 1024))

    def adopt(self, library: "Library") -> None:
        """Use a library opened elsewhere (tests, embedding); `close(library=False)` leaves it open.
        It glosses with the workspace's translator from the first `library()` (a worker's call in
        the app: the UI thread never calls the library)."""
        self._library = library
        self._given_translator = False

    def close(self, *, library: bool = True) -> None:
        with self._lock:
            if self._library is not None and library:
                self._library.close()
            self._library = None
            self._given_translator = False
            if self._translator is not None and self._translator_factory is None:
                self._translator.close()  # one from a factory belongs to whoever gave the factory
            self._translator = None
