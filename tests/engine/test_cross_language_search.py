"""Cross-language search: names found across spellings and scripts, and said so; and the
near misses that must not match (lajm ~ الجمعة, Greyhound ~ Grande, Putin ~ Bodin).
How well other spellings are found on real news: bench/eval_spellings.py."""

from __future__ import annotations

import pytest

from newsreader.index import Library

ARTICLES = {
    "en_raisi": ("en", "President Raisi met President Putin in Moscow on Thursday to discuss trade and energy."),
    "tr_reisi": ("tr", "Cumhurbaşkanı Reisi, Moskova'da Rusya Devlet Başkanı Putin ile enerji ve ticareti görüştü."),
    "ar_raisi": ("ar", "التقى الرئيس الإيراني إبراهيم رئيسي الرئيس الروسي فلاديمير بوتين في موسكو يوم الخميس."),
    "en_ashgabat": ("en", "The two presidents met in Ashgabat, the capital of Turkmenistan, at a forum on Friday."),
    "tr_askabat": ("tr", "İki lider Türkmenistan'ın başkenti Aşkabat'ta düzenlenen forumda cuma günü bir araya geldi."),
    "fr_achgabat": ("fr", "Les deux présidents se sont rencontrés à Achgabat, capitale du Turkménistan, vendredi."),
    "ar_ashgabat": ("ar", "التقى الرئيسان في عشق آباد عاصمة تركمانستان خلال منتدى يوم الجمعة الماضي."),
    "ar_iran": ("ar", "قال وزير الخارجية إن العلاقات مع إيران تتطور بشكل ناجح جدا في كل المجالات."),
    "sq_lajm": ("sq", "Ky lajm u publikua të premten nga agjencia shtetërore e lajmeve në Tiranë."),
    "en_greyhound": ("en", "A man was attacked on a Greyhound bus travelling through Manitoba late on Wednesday."),
    "fr_mosquee": ("fr", "Des milliers de fidèles se sont réunis devant la Grande Mosquée de Paris vendredi."),
    # Issue 22: `Putin lang:fr` highlighted Bodin, Baden and Booten and missed Poutine.
    "fr_poutine": ("fr", "Le président russe Vladimir Poutine a reçu mardi son homologue au Kremlin."),
    "fr_bodin": ("fr", "Les candidats ont pu téléphoner à Louis Bodin, l'animateur de l'émission, jeudi soir."),
    "fr_baden": ("fr", "La coupure a touché le Bade-Wurtemberg et les villes de Baden et de Booten dimanche."),
    "en_gorbachev": ("en", "Former Soviet leader Mikhail Gorbachev said on Monday that the treaty was a mistake."),
    "fr_gorbatchev": ("fr", "L'ancien dirigeant soviétique Mikhaïl Gorbatchev a déclaré lundi que le traité était une erreur."),
    "it_gorbaciov": ("it", "L'ex leader sovietico Michail Gorbaciov ha dichiarato lunedì che il trattato è stato un errore."),
}


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    root = tmp_path_factory.mktemp("names")
    for name, (_, text) in ARTICLES.items():
        (root / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    with Library(root / "library") as lib:
        for name, (lang, _) in ARTICLES.items():
            lib.add([root / f"{name}.txt"], lang=lang)
        yield lib


def found(library, query: str) -> dict[str, tuple[str, ...]]:
    return {r.article.id: r.matched for r in library.search(query, limit=None)}


@pytest.mark.parametrize("query", ["Raisi", "Reisi", "رئيسي"])
def test_raisi_in_every_spelling_and_script(library, query):
    assert {"en_raisi", "tr_reisi", "ar_raisi"} <= set(found(library, query))


@pytest.mark.parametrize("query", ["Ashgabat", "Aşkabat", "Achgabat"])
def test_ashgabat_in_every_spelling_and_in_arabic_two_words(library, query):
    assert set(found(library, query)) == {"en_ashgabat", "tr_askabat", "fr_achgabat", "ar_ashgabat"}


def test_results_say_how_they_matched(library):
    matched = found(library, "Ashgabat")
    assert matched["en_ashgabat"] == ("exact",)
    assert matched["tr_askabat"] == ("other spelling",)
    assert matched["ar_ashgabat"] == ("other script",)
    result = next(r for r in library.search("Ashgabat") if r.article.id == "ar_ashgabat")
    assert result.across and result.to_json()["matched"] == ["other script"]
    spans = [result.snippet.text[a:b] for a, b in result.snippet.spans]
    assert spans == ["عشق آباد"]  # the two words that are one name are highlighted together


def test_iran_finds_the_arabic_spelling(library):
    assert "ar_iran" in found(library, "iran")


@pytest.mark.parametrize("query, wrong", [("lajm", "ar_ashgabat"), ("Greyhound", "fr_mosquee"),
                                          ("Raisi", "ar_iran"), ("Putin", "ar_iran")])
def test_near_misses_do_not_match(library, query, wrong):
    assert wrong not in found(library, query)


def test_putin_finds_poutine_and_not_bodin_baden_or_booten(library):
    matched = found(library, "Putin lang:fr")
    assert matched["fr_poutine"] == ("other spelling",)
    assert not {"fr_bodin", "fr_baden"} & set(matched)
    assert "fr_poutine" in found(library, "Poutine") and "en_raisi" in found(library, "Poutine")


@pytest.mark.parametrize("query", ["Gorbachev", "Gorbatchev", "Gorbaciov", "Gorbačëv"])
def test_gorbachev_in_every_spelling(library, query):
    assert set(found(library, query)) == {"en_gorbachev", "fr_gorbatchev", "it_gorbaciov"}
