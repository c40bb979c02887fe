"""The built-in engine on the tiny real fixture models: exact translations, pivots, streaming."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest

from newsreader.index.translation import ParagraphTranslation, TranslationError, Translator
from newsreader.index.translation.engine import CTranslate2Backend, default_threads

from .conftest import PAIRS, pairs, pivot_pairs


@pytest.mark.parametrize("pair", PAIRS)
def test_each_fixture_sentence_translates_exactly(translator, pair):
    source, target = pair.split("_")
    route = translator.route(source, target)
    expected = pairs(pair)
    items = list(translator.translate([s for s, _ in expected], route))
    assert [item.translation for item in items] == [t for _, t in expected]
    assert [item.index for item in items] == list(range(len(expected)))
    assert not any(item.cached or item.problem for item in items)


@pytest.mark.parametrize("pair", PAIRS)
def test_a_paragraph_of_several_sentences_is_split_and_rejoined(translator, spy, pair):
    source, target = pair.split("_")
    expected = pairs(pair)
    paragraph = " ".join(s for s, _ in expected)
    [item] = translator.translate([paragraph], translator.route(source, target))
    assert item.translation == " ".join(t for _, t in expected)
    assert spy.sentences == [s for s, _ in expected]  # split by sentencex, not sent whole
    assert spy.calls == 1  # all sentences of the paragraph in one translate_batch call


def test_pivot_translates_exactly_through_english(translator):
    triples = pivot_pairs()
    assert len(triples) >= 3
    route = translator.route("tr", "de")
    assert route.description == "tr→en→de via en (translate-tr_en 1.0, translate-en_de 1.0)"
    items = list(translator.translate([tr for tr, _, _ in triples], route))
    assert [item.translation for item in items] == [de for _, _, de in triples]


def test_translate_text_keeps_paragraphs(translator):
    (tr1, en1), (tr2, en2) = pairs("tr_en")[:2]
    assert translator.translate_text(f"{tr1}\n\n  {tr2}\n", "tr", "en") == f"{en1}\n\n{en2}"
    assert translator.translate_text("   ", "tr", "en") == ""


def test_empty_and_whitespace_paragraphs_translate_to_empty(translator, spy):
    (tr, en), = pairs("tr_en")[:1]
    items = list(translator.translate(["", tr, "   \n "], translator.route("tr", "en")))
    assert items == [ParagraphTranslation(0, "", "", False), ParagraphTranslation(1, tr, en, False),
                     ParagraphTranslation(2, "   \n ", "", False)]
    assert spy.sentences == [tr]


def test_empty_article(translator, spy):
    assert list(translator.translate([], translator.route("tr", "en"))) == []
    assert spy.calls == 0


def test_text_in_a_script_the_model_does_not_know(translator):
    arabic = pairs("ar_en")[0][0]
    (tr, en), = pairs("tr_en")[:1]
    items = list(translator.translate([arabic, tr], translator.route("tr", "en")))
    assert items[0].translation == arabic  # kept as is, not garbage
    assert "script the translate-tr_en 1.0 model does not know" in items[0].problem
    assert "really tr" in items[0].problem
    assert items[1].translation == en and items[1].problem is None
    # a paragraph the model could not read is not cached
    assert translator.cached([arabic, tr], translator.route("tr", "en")) == [None, en]


def test_stopping_the_iteration_cancels_the_rest(translator, spy):
    sentences = [s for s, _ in pairs("tr_en")]
    paragraphs = [f"{a} {b}" for a in sentences for b in sentences]  # 25 distinct paragraphs
    route = translator.route("tr", "en")
    generator = translator.translate(paragraphs, route)
    assert next(generator).index == 0
    generator.close()
    translator.close()  # waits for the model calls already running
    # The first call holds paragraph 0 alone; at most `parallelism` calls were in flight.
    assert 1 <= spy.calls <= translator.backend.parallelism
    with Translator(translator.packages_dir, translator.cache.path.parent) as again:
        hits = again.cached(paragraphs, route)
    translated = sum(h is not None for h in hits)
    assert hits[0] is not None and hits[-1] is None
    assert translated == len(spy.sentences) // 2 <= 1 + 2  # chunks of 1 then 2 paragraphs


def test_paragraphs_are_batched_in_growing_chunks(translator, spy):
    english = dict(pairs("tr_en"))
    combos = [(a, b) for a in english for b in english][:15]
    items = list(translator.translate([f"{a} {b}" for a, b in combos], translator.route("tr", "en")))
    assert [i.index for i in items] == list(range(15))
    assert [i.translation for i in items] == [f"{english[a]} {english[b]}" for a, b in combos]
    assert spy.calls == 4  # 1 + 2 + 4 + 8 paragraphs: the first shows fast, later calls are fuller


def test_translate_from_a_worker_thread(translator):
    expected = pairs("sq_en")
    route = translator.route("sq", "en")
    results: list[str] = []
    errors: list[BaseException] = []

    def work():
        try:
            results.extend(item.translation for item in translator.translate([s for s, _ in expected], route))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    assert sorted(results) == sorted([t for _, t in expected] * 3)


def test_models_are_loaded_once_with_explicit_threads(installed_dir, tmp_path, monkeypatch):
    import ctranslate2

    made: list[dict] = []
    real = ctranslate2.Translator

    def counting(*args, **kwargs):
        made.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(ctranslate2, "Translator", counting)
    with Translator(installed_dir, tmp_path / "c1") as translator:
        route = translator.route("tr", "de")
        for source, _, _ in pivot_pairs():
            list(translator.translate([source], route))
    assert len(made) == 2  # one per package of the route, however many paragraphs
    inter, intra = default_threads()
    assert all(k["inter_threads"] == inter and k["intra_threads"] == intra == 1 for k in made)
    assert 1 <= inter <= 2


def test_a_model_that_will_not_load_is_a_clear_error(packages_dir, tmp_path):
    (packages_dir / "translate-tr_en-1_0" / "model" / "model.bin").write_bytes(b"garbage")
    with Translator(packages_dir, tmp_path / "c") as translator:
        with pytest.raises(TranslationError, match=r"cannot load translate-tr_en 1.0 .*reinstall"):
            list(translator.translate([pairs("tr_en")[0][0]], translator.route("tr", "en")))


def test_model_files_removed_after_listing(packages_dir, tmp_path):
    with Translator(packages_dir, tmp_path / "c") as translator:
        route = translator.route("tr", "en")
        (packages_dir / "translate-tr_en-1_0" / "model" / "model.bin").unlink()
        with pytest.raises(TranslationError, match=r"model files of translate-tr_en 1.0 are missing.*models install"):
            list(translator.translate([pairs("tr_en")[0][0]], route))


def test_unknown_engine(installed_dir, tmp_path):
    with pytest.raises(TranslationError, match="unknown translation engine 'marian'"):
        Translator(installed_dir, tmp_path, engine="marian")


def test_argos_engine_without_argostranslate_says_how_to_get_it(installed_dir, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "argostranslate", None)  # as if not installed
    with Translator(installed_dir, tmp_path, engine="argos") as translator:  # the cache is still there
        route = translator.route("tr", "en")
        with pytest.raises(TranslationError, match=r"pip install 'newsreader\[argos\]'"):
            translator.ready()
        with pytest.raises(TranslationError, match=r"pip install 'newsreader\[argos\]'"):
            list(translator.translate([pairs("tr_en")[0][0]], route))


def test_backend_direct_call_matches_argos_decoding(installed_dir):
    from newsreader.index.translation import list_packages

    backend = CTranslate2Backend()
    package = next(p for p in list_packages(installed_dir) if p.pair == "en-de")
    sources = [s for s, _ in pairs("en_de")]
    assert backend.translate_sentences(package, sources) == [t for _, t in pairs("en_de")]
    assert backend.translate_sentences(package, []) == []


def test_importing_the_engine_loads_no_model_libraries():
    code = ("import sys, newsreader.index, newsreader.index.translation; "
            "heavy = [m for m in ('ctranslate2', 'sentencepiece', 'argostranslate', 'sentencex', 'torch') "
            "if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
