"""Highlighting looks up a text's distinct words as sets, each judged once per query
(highlight._Verdicts), and walks word by word only where a name may be two words: it must
find exactly what the walk finds, two-word names across scripts included, with every limit
and stop."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.index import highlight
from newsreader.index.search_index import SearchIndex

TEXTS = [
    ("en", "President Raisi met President Putin in Moscow on Thursday to discuss trade and energy."),
    ("tr", "Cumhurbaşkanı Reisi, Moskova'da Rusya Devlet Başkanı Putin ile enerji ve ticareti görüştü."),
    ("ar", "التقى الرئيس الإيراني إبراهيم رئيسي الرئيس الروسي فلاديمير بوتين في موسكو يوم الخميس."),
    ("tr", "İki lider Türkmenistan'ın başkenti Aşkabat'ta düzenlenen forumda cuma günü bir araya geldi."),
    ("fr", "Les deux présidents se sont rencontrés à Achgabat, capitale du Turkménistan, vendredi."),
    ("ar", "التقى الرئيسان في عشق آباد عاصمة تركمانستان خلال منتدى يوم الجمعة الماضي."),
    ("sq", "Ky lajm u publikua të premten nga agjencia shtetërore e lajmeve në Tiranë."),
    ("en", "The Prime Minister met ministers; the ministro spoke. Iran and Russia, not the storm."),
    ("it", "Il governo italiano e il ministro dell'economia hanno parlato di Putin e di Erdoğan."),
    ("tr", "Türkmenistan'ın başkenti Aşgabat; Pezeşkiyan ve Putin görüştü."),
    ("ar", "قال بيزشكيان إن بوتين سيزور عشق آباد ثم طهران"),
    ("fr", "Le gouvernement et l'économie : les ministres ont parlé."),
    ("en", ""),
    ("en", "nothing to see here at all"),
    ("en", "Economies grew; the economic news was good for the economy."),
]
QUERIES = ["Putin", "Pezeshkian", "بيزشكيان", "Ashgabat", "عشق آباد", "Türkmenistan", "ministro OR minister",
           "economy", '"prime minister"', "iran -russia", "governo italiano", "gouvernement", "Raisi", "lajm"]


@pytest.fixture(scope="module")
def index(tmp_path_factory) -> SearchIndex:
    index = SearchIndex(Path(tmp_path_factory.mktemp("highlight")) / "whoosh")
    yield index
    index.close()


@pytest.mark.parametrize("query", QUERIES)
def test_skipping_paragraphs_finds_what_the_walk_finds(index: SearchIndex, query: str):
    terms = index.queries.parse(query, {"ar", "en", "fr", "it", "sq", "tr"}).terms
    assert terms
    found_any = skipped_any = False
    for lang in ("en", "tr", "ar", ""):  # the article's language or another: stems differ
        for _, text in TEXTS:
            for limit, stop in ((None, None), (1, None), (64, 30), (None, 12)):
                end = len(text) if stop is None else stop
                walked = highlight._walk(text, terms, lang, limit, end)
                assert highlight.matches_how(text, terms, lang, limit=limit, stop=stop) == walked
                found_any = found_any or bool(walked)
                verdicts = highlight._verdicts(terms, lang if terms.stems else "")
                words = set(highlight.analysis.WORD.findall(text, 0, end))
                skipped_any = skipped_any or (words.isdisjoint(verdicts.hows) and words.isdisjoint(verdicts.starters))
    assert found_any  # each query matches something among the texts: the comparison means something
    assert skipped_any  # and some texts are skipped without the walk


def test_a_two_word_name_is_found_though_neither_word_matches_alone(index: SearchIndex):
    terms = index.queries.parse("Ashgabat", {"ar", "en"}).terms
    text = "التقى الرئيسان في عشق آباد عاصمة تركمانستان"
    assert [how for _, how in highlight.matches_how(text, terms, "ar")] == [highlight.SCRIPT]
    assert highlight.matches_how(text, highlight.QueryTerms(terms.folded, frozenset(), terms.stems,
                                                            terms.spellings), "ar") == []
