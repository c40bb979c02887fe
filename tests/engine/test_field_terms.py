"""The one-pass term computation gives exactly what each view computed word by word over
the whole text gives (the definitions below, as the index was built before field_terms)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsreader.index import analysis
from newsreader.index.analysis import WORD, is_name_like, script_tag
from newsreader.index.names import is_latin, script_key, spelling

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
SAMPLES = [
    ("Putin met Pezeşkiyan in Aşkabat", "The talks in عشق آباد lasted two hours. Reisi and Raisi.", "en"),
    ("بوتين يلتقي بيزشكيان", "التقى بوتين وبيزشكيان في عشق آباد يوم الجمعة", "ar"),
    ("Title ending in Arabic بوتين", "بيزشكيان first word of the body, then Latin Words", "fr"),
    ("", "", "it"),
    ("___ 123 4,5", "MiXeD ÇaSe İstanbul ĞÜŞ 2024 _x_ Ωmega Ελλάδα 東京 Токио", "tr"),
    ("Only title", "", "xx"),  # a language Whoosh has no stemmer for
]


def script_terms(text: str) -> list[str]:
    """Tagged outlines of the name-like words, and of adjacent pairs in scripts without case."""
    terms = []
    previous = ""
    for word in WORD.findall(text):
        if not is_name_like(word):
            previous = ""
            continue
        key = script_key(word)
        if key:
            terms.append(script_tag(word) + key)
        if previous and not is_latin(word) and not is_latin(previous):
            pair = script_key(previous + word)
            if pair:
                terms.append("x" + pair)
        previous = word if not is_latin(word) else ""
    return terms


def spelling_terms(text: str) -> list[str]:
    return [key for key in (spelling(w) for w in WORD.findall(text) if is_latin(w) and is_name_like(w)) if key]


def single_views(title: str, body: str, lang: str) -> dict[str, list[str]]:
    full = f"{title}\n{body}"
    terms = {"title": analysis.folded_terms(title), "text": analysis.folded_terms(body),
             "skel": script_terms(full), "spell": spelling_terms(full)}
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
