"""The evaluation corpus (../shared/eval, Wikinews in en/fr/it): adding it, and detection quality."""

import json
from pathlib import Path

import pytest

from newsreader.index import Library
from newsreader.index.language import detect

WIKINEWS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "wikinews-multilingual.jsonl"
pytestmark = pytest.mark.skipif(not WIKINEWS.exists(), reason="needs ../shared/eval beside the checkout")


def test_detection_agrees_with_the_given_language_on_99_percent():
    rows = [json.loads(line) for line in WIKINEWS.open(encoding="utf-8")]
    agree = sum(detect(f"{r['title']}\n{r['text']}").lang == r["lang"] for r in rows)
    assert len(rows) == 1557
    assert agree / len(rows) >= 0.99, agree


@pytest.mark.slow
def test_adding_the_jsonl_indexes_every_article_with_its_given_language(tmp_path):
    with Library(tmp_path / "library") as library:
        report = library.add([WIKINEWS])
        assert len(report.added) == 1557 and not report.problems
        assert library.languages() == {"it": 597, "en": 558, "fr": 402}
        assert library.get("wikinews:en:100092").title == "Explosions target ethnic Albanians in Croatia"
        assert any(r.article.id == "wikinews:en:100092" for r in library.search('"ethnic Albanians" Pula'))
