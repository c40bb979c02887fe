"""Glosses: titles and leads translated into the pivot language by the installed models, kept
as derived state and used as an extra signal by grouping, compare and search (index/glossing.py).
The models are the tiny real fixture packages (tests/fixtures/models), which translate exactly
the sentences of their pairs.json: the articles below are made of those sentences."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsreader.index import Library
from newsreader.index.events.features import extract, gram_arrays
from newsreader.index.names import outline
from newsreader.index.translation import Translator, install_package
from newsreader.index.translation.engine import CTranslate2Backend

from helpers.cli import run

MODELS = Path(__file__).resolve().parent.parent / "fixtures" / "models"
ARTICLES = {  # file name: (language, text)
    "tr.txt": ("tr", "Putin ve Pezeşkiyan Aşkabat'ta görüştü.\n\nİki lider bölgesel gelişmeleri ele aldı.\n\n"
                     "İran ve Rusya işbirliği yapacak mı?\n"),
    "ar.txt": ("ar", "التقى بوتين وبيزشكيان في عشق آباد.\n\nهل ستتعاون إيران وروسيا؟\n\n"
                     "العلاقات بين إيران وروسيا تتطور يوما بعد يوم!\n"),
    "sq.txt": ("sq", "Putin dhe Pezeshkian u takuan në Ashgabat.\n\nA do të bashkëpunojnë Irani dhe Rusia?\n\n"
                     "Marrëdhëniet midis Rusisë dhe Iranit janë përmirësuar!\n"),
    "en.txt": ("en", "Storm closes the harbour of Izmir\n\nA storm closed the harbour of Izmir for three days "
                     "and damaged dozens of boats.\n"),
    "it.txt": ("it", "Il museo riapre\n\nIl museo di Firenze riapre dopo due anni di lavori.\n"),
}


class CountingBackend(CTranslate2Backend):
    def __init__(self):
        super().__init__()
        self.sentences = 0

    def translate_sentences(self, package, sentences):
        self.sentences += len(sentences)
        return super().translate_sentences(package, sentences)


@pytest.fixture(scope="module")
def packages(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("argos") / "packages"
    for pair in ("tr_en", "ar_en", "sq_en"):
        install_package(MODELS / f"translate-{pair}-1_0.argosmodel", folder)
    return folder


@pytest.fixture
def translator(packages, tmp_path):
    with Translator(packages, tmp_path / "cache", backend=CountingBackend()) as t:
        yield t


@pytest.fixture
def folder(tmp_path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, (_, text) in ARTICLES.items():
        (docs / name).write_text(text, encoding="utf-8")
    return docs


@pytest.fixture
def library(tmp_path, folder):
    with Library(tmp_path / "library") as lib:
        for name, (lang, _) in ARTICLES.items():
            assert lib.add([folder / name], lang=lang).added == [name.removesuffix(".txt")]
        yield lib


def langs(results) -> set[str]:
    return {r.article.lang for r in results}


def test_reports_are_found_through_their_english_gloss(library, translator):
    assert library.search("cooperate") == []  # no article says it in English
    report = library.gloss(translator)
    assert sorted(report.glossed) == ["ar", "sq", "tr"]
    assert report.no_model == {"it": 1} and report.already == 1  # the English one needs none
    results = library.search("cooperate")
    assert langs(results) == {"tr", "ar", "sq"}
    for result in results:
        assert result.matched == ("translation",) and result.across and result.snippet_translated
        assert result.snippet.text == "Will Iran and Russia cooperate?"
        start, end = result.snippet.spans[0]
        assert result.snippet.text[start:end] == "cooperate"
    # Words the article has itself keep their own snippet; the gloss is only one more way in.
    (sq,) = [r for r in library.search("Ashgabat") if r.article.lang == "sq"]
    assert sq.matched == ("exact", "translation") and not sq.snippet_translated
    # English stems reach the gloss too: "leader" finds "leaders".
    assert langs(library.search("leader")) == {"tr"}


def test_a_gloss_is_made_once_and_survives_rebuilds(library, translator):
    library.gloss(translator)
    made = translator.backend.sentences
    assert made > 0
    again = library.gloss(translator)
    assert again.glossed == [] and translator.backend.sentences == made
    library.rebuild()
    assert langs(library.search("cooperate")) == {"tr", "ar", "sq"}
    assert [e.label for e in library.events() if "ar" in e.languages] == [
        next(e.label for e in library.events() if "sq" in e.languages)]


def test_a_gloss_shares_names_the_scripts_spell_apart(library, translator):
    before = library.compare("ar", "sq").to_json()["shared"]["names"]
    assert "Ashgabat" not in {name for pair in before for name in pair}  # عشق آباد is two words
    library.gloss(translator)
    after = library.compare("ar", "sq").to_json()["shared"]["names"]
    assert ["Ashgabat", "Ashgabat"] in after
    (event,) = [e for e in library.events() if "ar" in e.languages]
    assert set(event.members) == {"ar", "sq", "tr"} and "Ashgabat" in event.label


def test_a_gloss_leaves_the_reader_marks_and_removed_articles_alone(library, translator):
    library.mark(["tr"], read=True, starred=True)
    library.remove("ar")
    report = library.gloss(translator)
    assert sorted(report.glossed) == ["sq", "tr"]
    assert library.marks("tr").read and library.marks("tr").starred
    assert langs(library.search("cooperate")) == {"tr", "sq"}
    library.restore("ar")
    assert library.gloss(translator).glossed == ["ar"]


def test_a_changed_article_drops_its_gloss(library, translator, folder):
    library.gloss(translator)
    (folder / "tr.txt").write_text("Putin ve Pezeşkiyan Aşkabat'ta görüştü.\n\nBirçok alanda birbirlerine "
                                   "yardım edebiliriz.\n", encoding="utf-8")
    assert library.add([folder / "tr.txt"], lang="tr").updated == ["tr"]
    assert langs(library.search("cooperate")) == {"ar", "sq"}
    with sqlite3.connect(library.folder / "catalog.sqlite") as db:  # dropped, not only hidden
        assert db.execute("SELECT article_id FROM glosses ORDER BY article_id").fetchall() == [("ar",), ("sq",)]
    assert library.gloss(translator).glossed == ["tr"]
    assert langs(library.search("help")) == {"tr"}


def test_gloss_features_join_the_article_features():
    latin = extract("Putin ve Pezeşkiyan Aşkabat'ta görüştü.", ["İki lider bölgesel gelişmeleri ele aldı."], "tr")
    glossed = extract("Putin ve Pezeşkiyan Aşkabat'ta görüştü.", ["İki lider bölgesel gelişmeleri ele aldı."], "tr",
                      "Putin and Pezeshkian met in Ashgabat.\n\nThe two leaders discussed regional developments.")
    own = set(gram_arrays(latin)[0].tolist())
    assert own < set(gram_arrays(glossed)[0].tolist())  # the Turkish n-grams stay, English ones join
    assert glossed.names[outline("Putin")] == 1  # the same name in both counts once
    arabic = extract("التقى بوتين وبيزشكيان في عشق آباد.", [], "ar")
    arabic_glossed = extract("التقى بوتين وبيزشكيان في عشق آباد.", [], "ar", "Putin and Pezeshkian met in Ashgabat.")
    assert not arabic.latin and arabic_glossed.latin  # its n-grams are now the English ones alone
    english = extract("Putin and Pezeshkian met in Ashgabat.", [], "en")
    assert set(gram_arrays(arabic_glossed)[0].tolist()) == set(gram_arrays(english)[0].tolist())
    assert outline("Ashgabat") in arabic_glossed.names


def test_an_add_glosses_what_it_brings_with_the_translator_it_was_given(tmp_path, folder, translator):
    units = []
    with Library(tmp_path / "lib") as library:
        assert library.add([folder / "tr.txt"], lang="tr").glossed is None  # no translator given yet
        library.gloss_new_with(lambda: translator)
        report = library.add([folder / "ar.txt"], lang="ar", progress=lambda done, total, unit: units.append(unit))
        assert report.added == ["ar"] and report.glossed.glossed == ["ar"] and units[-1] == "glossing"
        assert library.add([folder / "en.txt"], lang="en").glossed is None  # English needs no gloss
        assert [r.article.id for r in library.search("cooperate")] == ["ar"]


def test_an_add_whose_glossing_fails_keeps_what_it_added(tmp_path, folder):
    from newsreader.index import NewsreaderError

    def broken():
        raise NewsreaderError("the translation cache at /nowhere cannot be written")

    with Library(tmp_path / "lib") as library:
        library.gloss_new_with(broken)
        report = library.add([folder / "tr.txt"], lang="tr")
        assert report.added == ["tr"] and report.glossed.error == "the translation cache at /nowhere cannot be written"
        assert [a.id for a in library.articles()] == ["tr"]


# -- the command line -------------------------------------------------------------------------

def test_add_translates_new_titles_and_leads_with_installed_models(folder, packages, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    library = str(tmp_path / "lib")
    code, out, err = run(capsys, "--library", library, "add", str(folder / "tr.txt"), "--lang", "tr")
    assert code == 0 and "Translated the titles and leads of 1 article into English" in err
    code, out, _ = run(capsys, "--library", library, "search", "cooperate", "--json")
    (found,) = json.loads(out)
    assert found["id"] == "tr" and found["matched"] == ["translation"] and found["snippet_translated"]
    code, out, _ = run(capsys, "--library", library, "add", str(folder / "it.txt"), "--json")
    assert json.loads(out)["glossed"] == []
    code, out, _ = run(capsys, "--library", library, "gloss")
    assert code == 0 and "of 0 articles" in out and "no installed model translates it (1 article)" in out


def turkish_feed(*sentences: str) -> bytes:
    items = "".join(f"<item><guid>urn:tr:{n}</guid><title>{text}</title><description>{text}</description></item>"
                    for n, text in enumerate(sentences))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Haber</title>'
            f"<language>tr</language>{items}</channel></rss>").encode()


def test_fetch_translates_the_titles_and_leads_it_brings(packages, tmp_path, capsys, monkeypatch, server):
    from local_http import Route

    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    server.routes["/haber.xml"] = Route(turkish_feed("İran ve Rusya işbirliği yapacak mı?"))
    library = str(tmp_path / "lib")
    assert run(capsys, "--library", library, "feeds", "add", server.url("/haber.xml"), "--name", "haber")[0] == 0
    code, out, err = run(capsys, "--library", library, "fetch")
    assert code == 0 and "Translated the titles and leads of 1 article into English" in err
    code, out, _ = run(capsys, "--library", library, "search", "cooperate", "--json")
    (found,) = json.loads(out)
    assert found["lang"] == "tr" and found["matched"] == ["translation"] and found["snippet_translated"]


def test_translate_leads_can_be_turned_off(folder, packages, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages))
    config = tmp_path / "config.toml"
    config.write_text("[events]\ntranslate_leads = false\n")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    library = str(tmp_path / "lib")
    code, out, _ = run(capsys, "--library", library, "add", str(folder / "ar.txt"), "--lang", "ar", "--json")
    assert code == 0 and json.loads(out)["glossed"] == []
    code, out, _ = run(capsys, "--library", library, "gloss", "--json")
    assert json.loads(out)["glossed"] == ["ar"]


def test_gloss_without_models_says_what_to_do(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "none"))
    code, out, err = run(capsys, "--library", str(tmp_path / "lib"), "gloss")
    assert code == 2 and err.count("\n") == 1 and "no translation model is installed" in err
