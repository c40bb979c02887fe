"""Names across spellings and scripts: two keys per name.

- `outline`: the consonant outline of its transliteration, the same across scripts:
  `Putin` and `بوتين` are `btn`, `Pezeshkian`, `Pezeşkiyan` and `بيزشكيان` are `bskn`. A
  leading vowel is kept as a mark, so `Iran` and `إيران` agree (`Vrn`) while `lajm` never
  meets `الجمعة` (whose article `ال` is dropped first). Coarse: used only *between* scripts.
- `spelling`: the transliteration with its vowels kept as positions, for spelling variants
  within the Latin script: `Raisi` = `Reisi`, `Ashgabat` = `Aşkabat` = `Achgabat`, but
  `Greyhound` (`krant`) is not `Grande` (`kranta`).

Both the search index and event grouping use these; the search keys carry the script they
came from, so a Latin query word looks for outlines only in other scripts.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

_ARABIC_ARTICLE = re.compile(r"^(?:ال|وال|بال|لل|فال|كال)(?=\w{2,})")
_NOT_LETTER = re.compile(r"[^a-z]+")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DIGRAPHS = (("sch", "s"), ("sh", "s"), ("ch", "s"), ("zh", "j"), ("kh", "k"), ("gh", "k"), ("th", "t"),
             ("ph", "f"), ("dzh", "j"), ("dj", "j"), ("ck", "k"))
_CONSONANTS = str.maketrans({"p": "b", "v": "f", "w": "", "q": "k", "c": "k", "g": "k", "x": "ks",
                             "d": "t", "z": "s", "y": ""})
_VOWEL_RUN = re.compile(r"[aeiouyw]+")
_DOUBLE = re.compile(r"(.)\1+")
MIN_OUTLINE = 2  # consonants; Raisi (`rs`) = رئيسي needs two


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lower-case ASCII form of one word ('' when nothing letter-like is left)."""
    if word.isascii():
        return word.lower()
    return _NOT_ALNUM.sub("", anyascii(word).lower())


def _transliterated(word: str) -> str:
    if not word[:1].isascii():
        word = _ARABIC_ARTICLE.sub("", word)
    text = anyascii(word).lower()
    text = text.replace("'", "a").replace("`", "a")  # hamza and ain open many names: a vowel
    text = _NOT_LETTER.sub("", text)
    for digraph, single in _DIGRAPHS:
        text = text.replace(digraph, single)
    return text


@lru_cache(maxsize=200_000)
def outline(word: str) -> str:
    """Consonant outline, the same across spellings and scripts ('' when too short)."""
    text = _transliterated(word)
    if not text:
        return ""
    lead = "V" if text[0] in "aeiouy" else ""
    key = _VOWEL_RUN.sub("", text.replace("h", "")).translate(_CONSONANTS)
    key = _DOUBLE.sub(r"\1", key)
    return lead + key if len(key) >= MIN_OUTLINE else ""


_GLIDES = str.maketrans({"a": "A", "e": "Y", "i": "Y", "y": "Y", "o": "W", "u": "W", "w": "W"})  # see script_key
_VOWEL_CLASS = {"a": "a", "o": "a", "u": "a", "e": "i", "i": "i", "y": "i", "w": "a"}


@lru_cache(maxsize=200_000)
def spelling(word: str) -> str:
    """Latin-script spelling key: consonant classes, and each vowel run as its last vowel's
    class (back `a` or front `i`): `Raisi` = `Reisi` (`risi`) but not `Rusya` (`rasa`)."""
    text = _transliterated(word).replace("h", "")
    text = _VOWEL_RUN.sub(lambda m: _VOWEL_CLASS[m.group()[-1]], text)
    key = text.translate(_CONSONANTS)
    key = _DOUBLE.sub(r"\1", key)
    return key if len(key) >= 4 else ""


@lru_cache(maxsize=200_000)
def script_key(word: str) -> str:
    """The key a name is looked up by across scripts: its outline, or for a short one (two
    consonants, where `Raisi` and `Rusi` would meet) the outline with its long vowels as an
    Arabic or Persian spelling writes them (`rAYsY` = رئيسي, not روسي `rWsY`)."""
    key = outline(word)
    if not key or len(key.lstrip("V")) > 2:
        return key
    # Arabic script writes long vowels (ي و) and leaves out short ones: keep i/e/y as Y and
    # o/u/w as W, drop a (often unwritten), and a leading vowel (إيران, Iran: `rn`).
    text = _transliterated(word).replace("h", "")
    glides = "".join(ch if ch in "aeiouyw" else ch.translate(_CONSONANTS) for ch in text).translate(_GLIDES)
    glides = _DOUBLE.sub(r"\1", glides.replace("A", "")).lstrip("YW")
    return "g" + glides if len(glides) >= 2 else ""


def is_latin(word: str) -> bool:
    if word.isascii():
        return True
    return all(ch.isascii() or "\u00c0" <= ch <= "\u024f" or not ch.isalpha() for ch in word)

