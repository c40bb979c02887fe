"""How text becomes search terms: one tokenizer, three views of each word.

- folded: lower-case ASCII transliteration (anyascii), so `Pezeşkiyan` matches `Pezeskiyan`
  and accents never matter;
- stemmed: Whoosh's stemmer for the article's language, where Whoosh has one (only stems
  that differ from the folded word are stored: that halves the field's postings);
- skeleton: the consonant outline of a name's transliteration, so a name matches across
  spellings and scripts: `Pezeshkian`, `Pezeşkiyan` and `بيزشكيان` all become `bzskn`,
  `Putin` and `بوتين` both `btn`. Only name-like words get one (capitalised, or from a script
  without case), which keeps the field small and its matches meaningful.

Index time runs these in worker processes and hands Whoosh ready-made term lists; query
time runs the very same functions through the Whoosh analyzers below, so both always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii
from whoosh.analysis import Token, Tokenizer

WORD = re.compile(r"\w+", re.UNICODE)
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_SKELETON_DROP = re.compile(r"[aeiouyhw0-9]+")  # vowels, glides and 'h' differ most across transliterations
_SKELETON_MAP = str.maketrans({"p": "b", "v": "f", "q": "k", "c": "k", "g": "j", "x": "k"})
_DOUBLES = re.compile(r"(.)\1+")
MIN_SKELETON = 3


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case ASCII form of one word ('' when nothing letter-like is left)."""
    if word.isascii():
        return word.lower()
    return _NOT_ALNUM.sub("", anyascii(word).lower())


def is_name_like(word: str) -> bool:
    first = word[0]
    if first.isupper():
        return True
    # Scripts without case (Arabic, Hebrew, Persian, CJK...): any word may be a name.
    return first.isalpha() and first.lower() == first.upper() and not first.isascii()


@lru_cache(maxsize=200_000)
def skeleton(folded: str) -> str:
    key = _SKELETON_DROP.sub("", folded[1:])  # keep the first letter even if it is a vowel: Iran vs Rusya
    key = (folded[:1] + key).translate(_SKELETON_MAP)
    key = _DOUBLES.sub(r"\1", key)
    return key if len(key) >= MIN_SKELETON else ""


@lru_cache(maxsize=32)
def stemmer(lang: str):
    """Whoosh's stemmer for a language code, or None where Whoosh has none."""
    from whoosh.lang import NoStemmer, stemmer_for_language

    try:
        stem = stemmer_for_language(lang)
    except (NoStemmer, KeyError):
        return None
    return lru_cache(maxsize=100_000)(stem)


@lru_cache(maxsize=200_000)
def views(word: str) -> tuple[str, str]:
    """(folded, skeleton or '') of one word, in one cache lookup: highlighting calls this a lot."""
    folded = fold(word)
    return folded, (skeleton(folded) if folded and is_name_like(word) else "")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def folded_terms(text: str) -> list[str]:
    return [f for f in (fold(w) for w in WORD.findall(text)) if f]


def skeleton_terms(text: str) -> list[str]:
    return [s for s in (skeleton(fold(w)) for w in WORD.findall(text) if is_name_like(w)) if s]


def stemmed_terms(text: str, lang: str) -> list[str]:
    """Stems that differ from the word's folded form; the others are in the folded field
    already, and the query side looks for a stem in both fields (see search_index)."""
    stem = stemmer(lang)
    if stem is None:
        return []
    terms = []
    for word in WORD.findall(text):
        stemmed = stem(word.lower())
        if stemmed != fold(word):
            terms.append(stemmed)
    return terms


def _normalize(text: str) -> str:
    # NFC so that a decomposed 'ş' (s + cedilla) is one \w run, as typed queries are.
    return unicodedata.normalize("NFC", text)


class TermTokenizer(Tokenizer):
    """A Whoosh tokenizer for one view ('fold', 'skeleton' or 'stem-LANG').

    Given a list, it trusts it as terms already computed by the functions above (index
    time); given a string, it computes them itself, with character offsets for highlighting.
    """

    def __init__(self, view: str = "fold"):
        self.view = view

    def __eq__(self, other):
        return type(other) is type(self) and other.view == self.view

    def _term(self, word: str) -> str:
        if self.view == "fold":
            return fold(word)
        if self.view == "skeleton":
            return skeleton(fold(word))  # queries are typed in lower case: no name test
        stem = stemmer(self.view.removeprefix("stem-"))
        return stem(word.lower()) if stem else word.lower()

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if isinstance(value, (list, tuple)):
            for pos, term in enumerate(value, start_pos):
                token.text = term
                token.boost = 1.0
                token.stopped = False
                if positions:
                    token.pos = pos
                yield token
            return
        pos = start_pos
        for match in WORD.finditer(_normalize(value)):
            term = self._term(match.group())
            if not term:
                continue
            token.text = term
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = match.group()
            if positions:
                token.pos = pos
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            pos += 1
            yield token
