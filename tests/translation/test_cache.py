"""The persistent translation cache: hits after a restart with no model call, bounded, clearable."""

from __future__ import annotations

import shutil
import sqlite3
import time

import pytest

from newsreader.index.translation import NoRoute, Translator, remove_package
from newsreader.index.translation.cache import FILENAME, ROW_OVERHEAD, TranslationCache, cache_key, text_namespace

from .conftest import SpyBackend, pairs, pivot_pairs


def test_second_showing_after_reopening_needs_no_model_call(installed_dir, tmp_path):
    expected = pairs("tr_en")
    sources = [s for s, _ in expected]
    first_spy = SpyBackend()
    with Translator(installed_dir, tmp_path / "cache", backend=first_spy) as translator:
        route = translator.route("tr", "en")
        assert translator.cached(sources, route) == [None] * len(sources)
        assert [i.translation for i in translator.translate(sources, route)] == [t for _, t in expected]
    assert first_spy.sentences == sources and first_spy.calls >= 1
    assert (tmp_path / "cache" / FILENAME).is_file()

    second_spy = SpyBackend()  # a new process would start like this: nothing loaded
    with Translator(installed_dir, tmp_path / "cache", backend=second_spy) as translator:
        route = translator.route("tr", "en")
        assert translator.cached(sources, route) == [t for _, t in expected]
        items = list(translator.translate(sources, route))
    assert [i.translation for i in items] == [t for _, t in expected]
    assert all(i.cached for i in items)
    assert second_spy.calls == 0 and second_spy._loaded == {}  # no model call, no model even loaded


def test_pivot_routes_are_cached_under_their_own_key(installed_dir, tmp_path, spy):
    tr, en, de = pivot_pairs()[0]
    with Translator(installed_dir, tmp_path / "cache", backend=spy) as translator:
        assert next(translator.translate([tr], translator.route("tr", "en"))).translation == en
        to_german = translator.route("tr", "de")
        assert translator.cached([tr], to_german) == [None]  # a tr->en entry is not a tr->de one
        assert next(translator.translate([tr], to_german)).translation == de
        assert translator.cached([tr], to_german) == [de]


def test_a_new_package_version_misses_the_cache(installed_dir, tmp_path):
    folder = tmp_path / "packages"
    shutil.copytree(installed_dir, folder)
    tr, en = pairs("tr_en")[0]
    with Translator(folder, tmp_path / "cache") as translator:
        list(translator.translate([tr], translator.route("tr", "en")))
        assert translator.cached([tr], translator.route("tr", "en")) == [en]
        meta = folder / "translate-tr_en-1_0" / "metadata.json"
        meta.write_text(meta.read_text().replace('"package_version": "1.0"', '"package_version": "1.1"'))
        route = translator.route("tr", "en")
        assert route.steps[0].version == "1.1"
        assert translator.cached([tr], route) == [None]


def test_eviction_keeps_the_cache_under_its_bound_dropping_least_recently_used(tmp_path):
    text = "x" * 100
    size = len(text) + ROW_OVERHEAD
    cache = TranslationCache(tmp_path, max_bytes=10 * size)
    for i in range(8):
        cache.put("ns", f"paragraph {i}", text)
        time.sleep(0.002)
    assert cache.get("ns", "paragraph 0") == text  # paragraph 0 is now the most recently used
    time.sleep(0.002)
    for i in range(8, 14):
        cache.put("ns", f"paragraph {i}", text)
        time.sleep(0.002)
    stats = cache.stats()
    assert stats["bytes"] <= 10 * size
    assert stats["entries"] < 14
    assert cache.get("ns", "paragraph 0") == text
    assert cache.get("ns", "paragraph 1") is None  # the oldest unused went first
    assert cache.get("ns", "paragraph 13") == text
    cache.close()
    reopened = TranslationCache(tmp_path, max_bytes=10 * size)
    assert reopened.stats()["bytes"] == stats["bytes"]
    reopened.close()


def test_translator_honours_a_tiny_bound(installed_dir, tmp_path):
    expected = pairs("sq_en")
    with Translator(installed_dir, tmp_path / "cache", cache_mb=300 / 1024**2) as translator:
        route = translator.route("sq", "en")
        for source, _ in expected:  # one at a time: a known order of use
            list(translator.translate([source], route))
            time.sleep(0.002)
        assert translator.cache.stats()["bytes"] <= 300
        hits = translator.cached([s for s, _ in expected], route)
    assert hits[-1] == expected[-1][1] and None in hits


def test_clear(installed_dir, tmp_path, spy):
    tr, en = pairs("tr_en")[0]
    with Translator(installed_dir, tmp_path / "cache", backend=spy) as translator:
        route = translator.route("tr", "en")
        list(translator.translate([tr], route))
        assert translator.clear_cache()[0] == 1
        assert translator.cached([tr], route) == [None]
        assert next(translator.translate([tr], route)).cached is False
    assert spy.calls == 2


def test_a_corrupt_cache_file_is_replaced(tmp_path):
    (tmp_path / FILENAME).write_bytes(b"this is not a database" * 100)
    cache = TranslationCache(tmp_path)
    cache.put("ns", "a", "b")
    assert cache.get("ns", "a") == "b" and cache.path == tmp_path / FILENAME
    cache.close()


def test_an_unwritable_cache_dir_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = TranslationCache(blocker / "cache")
    cache.put("ns", "a", "b")
    assert cache.get("ns", "a") == "b" and cache.path is None
    cache.close()


def test_a_removed_model_leaves_its_translations_readable_by_text(installed_dir, tmp_path):
    folder = tmp_path / "packages"
    shutil.copytree(installed_dir, folder)
    expected = pairs("sq_en")
    sources = [s for s, _ in expected]
    with Translator(folder, tmp_path / "cache") as translator:
        list(translator.translate(sources[:3], translator.route("sq", "en")))
    remove_package(folder, "sq-en")
    with Translator(folder, tmp_path / "cache") as translator:  # a later run: no sq->en model
        with pytest.raises(NoRoute, match="no sq→en model installed"):
            translator.route("sq", "en")
        assert translator.cached_text(sources + [""], "SQ", "en") == [t for _, t in expected[:3]] + [None, None, ""]
        assert translator.cached_text(sources[:1], "sq", "de") == [None]  # another pair is another key
        assert translator._backend is None  # no model runtime was even made


def test_an_old_cache_file_stays_readable_and_learns_the_text_key(installed_dir, tmp_path):
    tr, en = pairs("tr_en")[0]
    folder = tmp_path / "cache"
    folder.mkdir()
    with Translator(installed_dir, None) as translator:
        namespace = translator._namespace(translator.route("tr", "en"))
    old = sqlite3.connect(folder / FILENAME)  # the file as newsreader 0.1 wrote it: no by_text table
    old.executescript("""
        CREATE TABLE translations (key BLOB PRIMARY KEY, translation TEXT NOT NULL, size INTEGER NOT NULL,
                                   last_used REAL NOT NULL) WITHOUT ROWID;
        CREATE INDEX translations_last_used ON translations (last_used);""")
    old.execute("INSERT INTO translations VALUES (?, ?, ?, ?)", (cache_key(namespace, tr), en, 99, time.time()))
    old.commit()
    old.close()
    with Translator(installed_dir, folder) as translator:
        assert translator.cached_text([tr], "tr", "en") == [None]  # only a hash: nothing to find it by yet
        assert translator.cached([tr], translator.route("tr", "en")) == [en]  # through the model's key
        assert translator.cached_text([tr], "tr", "en") == [en]  # and from now on without a model
        assert translator.cache.stats()["entries"] == 1


def test_eviction_and_clear_drop_the_text_keys_too(tmp_path):
    cache = TranslationCache(tmp_path, max_bytes=4 * (100 + ROW_OVERHEAD))
    by_text = text_namespace("tr", "en")
    for i in range(12):
        cache.put("ns", f"paragraph {i}", "x" * 100, by_text)
    rows = cache._db.execute("SELECT (SELECT COUNT(*) FROM translations), (SELECT COUNT(*) FROM by_text)").fetchone()
    assert rows[0] < 12 and rows[0] == rows[1]
    assert cache.get_by_text(by_text, ["paragraph 11", "paragraph 0"]) == ["x" * 100, None]
    cache.clear()
    assert cache._db.execute("SELECT COUNT(*) FROM by_text").fetchone()[0] == 0
    assert cache.get_by_text(by_text, ["paragraph 11"]) == [None]
    cache.close()
