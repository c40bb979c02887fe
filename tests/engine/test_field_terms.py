"""The one-pass term computation gives exactly what each view's own function gives: the
index is built with field_terms, queries and highlights use the single views."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.index import analysis

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SAMPLES = [
    ("Putin met Pezeşkiyan in Aşkabat", "The talks in عشق آباد lasted two hours. Reisi and Raisi.", "en"),
    ("بوتين يلتقي بيزشكيان", "التقى بوتين وبيزشكيان في عشق آباد يوم الجمعة", "ar"),
    ("Title ending in Arabic بوتين", "بيزشكيان first word of the body, then Latin Words", "fr"),
    ("", "", "it"),
    ("___ 123 4,5", "MiXeD ÇaSe İstanbul ĞÜŞ 2024 _x_ Ωmega Ελλάδα 東京 Токио", "tr"),
    ("Only title", "", "xx"),  # a language Whoosh has no stemmer for
]


def single_views(title: str, body: str, lang: str) -> dict[str, list[str]]:
    full = f"{title}\n{body}"
    terms = {"title": analysis.folded_terms(title), "text": analysis.folded_terms(body),
             "skel": analysis.script_terms(full), "spell": analysis.spelling_terms(full)}
    stems = analysis.stemmed_terms(full, lang)
    if stems:
        terms[f"stem_{lang}"] = stems
    return terms


@pytest.mark.parametrize("title, body, lang", SAMPLES)
def test_field_terms_are_the_single_views(title, body, lang):
    assert analysis.field_terms(title, body, lang) == single_views(title, body, lang)


def test_field_terms_of_the_seeds_are_the_single_views():
    langs = {"000": "tr", "001": "tr", "002": "tr", "003": "sq", "004": "ar"}
    for path in sorted(SEEDS.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition(".")
        terms = analysis.field_terms(title, body, langs[path.name[:3]])
        assert terms == single_views(title, body, langs[path.name[:3]])
        assert terms["skel"] and terms["text"]
