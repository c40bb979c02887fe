"""How text becomes search terms: one tokenizer, four views of each word.

- folded: lower-case ASCII transliteration (anyascii), so `Pezeşkiyan` matches `Pezeskiyan`
  and accents never matter;
- stemmed: Whoosh's stemmer for the article's language, where Whoosh has one (only stems
  that differ from the folded word are stored: that halves the field's postings);
- script: for a name, its consonant outline (names.outline) tagged with the script it is
  written in (`l` Latin, `x` other), so that a query in one script finds the name in the
  others: `Putin` finds `بوتين`, `iran` finds `إيران`, and `lajm` no longer meets `الجمعة`.
  In scripts without capitals every word may be a name, and two adjacent words are also
  outlined together (`عشق آباد` is Ashgabat);
- spelling: for a Latin-script name, its spelling key (names.spelling), so `Reisi` finds
  `Raisi` and `Aşkabat` finds `Achgabat`, without `Greyhound` finding `Grande`.
Only name-like words (capitalised, or from a script without case) get the last two.

Index time runs these in worker processes and hands Whoosh ready-made term lists; query
time runs the very same functions through the Whoosh analyzers below, so both always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from whoosh.analysis import Token, Tokenizer

from .langcodes import PIVOT
from .names import fold, is_latin, script_key, spelling

WORD = re.compile(r"\w+", re.UNICODE)


def is_name_like(word: str) -> bool:
    first = word[0]
    if first.isupper():
        return True
    # Scripts without case (Arabic, Hebrew, Persian, CJK...): any word may be a name.
    return first.isalpha() and first.lower() == first.upper() and not first.isascii()


def script_tag(word: str) -> str:
    return "l" if is_latin(word) else "x"


def other_tag(word: str) -> str:
    return "x" if is_latin(word) else "l"


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
def views(word: str) -> tuple[str, str, str]:
    """(folded, tagged outline or '', spelling key or '') of one word, for highlighting."""
    folded = fold(word)
    if not folded or not is_name_like(word):
        return folded, "", ""
    key = script_key(word)
    return folded, (script_tag(word) + key if key else ""), (spelling(word) if is_latin(word) else "")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def folded_terms(text: str) -> list[str]:
    return [f for f in (fold(w) for w in WORD.findall(text)) if f]


def stemmed_terms(text: str, lang: str) -> list[str]:
    """Stems that differ from the word's folded form; the others are in the folded field
    already, and the query side looks for a stem in both fields (see query._rewrite)."""
    stem = stemmer(lang)
    if stem is None:
        return []
    terms = []
    for word in WORD.findall(text):
        stemmed = stem(word.lower())
        if stemmed != fold(word):
            terms.append(stemmed)
    return terms


@lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[str, str, str, bool, bool]:
    """What every view needs of one word: views(word), whether it is name-like, whether it
    is in the Latin script."""
    return (*views(word), is_name_like(word), is_latin(word))


def field_terms(title: str, body: str, lang: str) -> dict[str, list[str]]:
    """The terms of an article's title, text, script, spelling and stem fields in one pass
    over its words, each word's views looked up once (cached). The script field holds the
    tagged outlines of the name-like words and, in scripts without case, of each pair of
    adjacent such words; the spelling field the spelling keys of the Latin-script name-like
    words; the stem field the stems that differ from the folded word (see stemmed_terms)."""
    terms: dict[str, list[str]] = {"title": [], "text": [], "skel": [], "spell": []}
    skel, spell = terms["skel"], terms["spell"]
    stem = stemmer(lang)
    stems: list[str] = []
    previous = ""  # the last word if name-like and not Latin: it may pair with the next
    for text, folded_terms_ in ((title, terms["title"]), (body, terms["text"])):
        for word in WORD.findall(text):
            folded, outline, spelled, name_like, latin = _word(word)
            if folded:
                folded_terms_.append(folded)
            if stem is not None:
                stemmed = stem(word.lower())
                if stemmed != folded:
                    stems.append(stemmed)
            if not name_like:
                previous = ""
                continue
            if outline:
                skel.append(outline)
            if previous and not latin:
                pair = script_key(previous + word)
                if pair:
                    skel.append("x" + pair)
            previous = "" if latin else word
            if spelled:
                spell.append(spelled)
    if stems:
        terms[f"stem_{lang}"] = stems
    return terms


def index_terms(title: str, body: str, lang: str, gloss: str | None = None) -> dict[str, list[str]]:
    """The terms of each search field; `gloss` (title and lead in the pivot language, see
    glossing.py) gets a field of its own, folded words and their stems together."""
    terms = field_terms(title, body, lang)
    if gloss:
        terms["gloss"] = folded_terms(gloss) + stemmed_terms(gloss, PIVOT)
    return terms


def _normalize(text: str) -> str:
    # NFC so that a decomposed 'ş' (s + cedilla) is one \w run, as typed queries are.
    return unicodedata.normalize("NFC", text)


class TermTokenizer(Tokenizer):
    """A Whoosh tokenizer for one view ('fold', 'script', 'spelling' or 'stem-LANG').

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
        if self.view == "script":  # queries are typed in lower case: no name test
            key = script_key(word)
            return other_tag(word) + key if key else ""
        if self.view == "spelling":
            return spelling(word) if is_latin(word) else ""
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
