"""Names across spellings and scripts: two keys per name.

- `outline`: the consonant outline of its transliteration, the same across scripts:
  `Putin` and `بوتين` are `btn`, `Pezeshkian`, `Pezeşkiyan` and `بيزشكيان` are `bskn`. A
  leading vowel is kept as a mark, so `Iran` and `إيران` agree (`Vrn`) while `lajm` never
  meets `الجمعة` (whose article `ال` is dropped first). Coarse: used only *between* scripts.
- `spelling`: search only (events use `outline` and `fold`): the sounds of a name as the
  languages that write it in Latin letters spell them, for variants within the Latin script:
  `Raisi` = `Reisi`, `Ashgabat` = `Aşkabat` = `Achgabat`, `Putin` = `Poutine`, but
  `Greyhound` is not `Grande` nor `Putin` `Bodin` (bench/eval_spellings.py measures it).

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

# The spelling key (below). Letters anyascii would flatten are first written as the other
# spellings of the same name write them: Saakašvili is Saakashvili, Aşkabat is Ashgabat, and
# French ï after a vowel is the y of Andreï = Andrey.
_SPELLING_LETTERS = str.maketrans({"š": "sh", "ş": "sh", "č": "ch", "ç": "ch", "ć": "ch", "ž": "zh",
                                   "đ": "dj", "ï": "i"})
# How the languages that write names in Latin letters spell the same sounds, in the order
# they apply. S is the sh/ch family, J the j/zh family, G a g that stays hard.
_SPELLING_RULES = tuple((re.compile(pattern), replacement) for pattern, replacement in (
    (r"^[yj](?=[aeiou])", "J"),          # Yugoslavia = Jugoslavia, Yevgeny
    (r"y", "i"),                          # Sergey = Sergei, Dmitry = Dmitri
    (r"j(?![aeiou])", "i"),               # Sergej, Dmitrij
    (r"shch|tsch|sch|tch|ch|sh", "S"),    # Gorbatchev, Gorbachev; Tchad, Chad; Rachid, Rashid
    (r"dzh|zh|dj|j", "J"),                # Azerbaïdjan = Azerbaijan
    (r"gu(?=[ei])", "g"),                 # French gue is the ge of the other spellings: Sergueï = Sergei
    (r"gh", "G"),                         # Italian ghe: a hard g (Gheddafi)
    (r"kh", "k"), (r"ph", "f"), (r"th", "t"), (r"dh", "d"), (r"ck|qu", "k"),  # Riyadh = Riyad
    (r"sc(?=[ei])|ci(?=[aeiou])|c(?=[ei])", "S"),  # Italian: Gorbaciov, Ciad, Cecenia
    (r"gi(?=[aou])|g(?=[ei])", "J"),      # Gerusalemme = Jerusalem
    (r"ou", "u"),                         # French: Poutine, Darfour, Soudan
    (r"w(?=[aeiou])", "v"),               # Kuwait = Koweit
    (r"[wh]", ""),                        # Mahmoud = Mahmud, Moscow
    (r"[cqgG]", "k"),                     # Qassam = Cassam, Kremlin = Cremlino, Gaddafi = Kadhafi
    (r"x", "ks"),
    (r"([a-zSJ])\1+", r"\1"),           # Gheddafi, Mujaheddin
))
# A final vowel is how a language adapts a name (Poutine, Cremlino, Libye, Ucraina), but a
# final i is a name of its own (Somali, Hosseini, Abdullahi): only that one is kept.
_ADAPTED_ENDING = re.compile(r"(?<=[^aeiou])[aeiou]*[aeou]$")
_VOWEL_CLASS = {"a": "A", "e": "I", "i": "I", "o": "U", "u": "U"}
_SPELLING_VOWELS = re.compile(r"[aeiou]+")
_SPELLING_MIN_CONSONANTS = 2
_SPELLING_MIN_LENGTH = 4  # letters and vowel classes: `Rad` would meet Riyadh


def _vowel_class(match: re.Match) -> str:
    """A run of vowels as its last vowel's class; after S or J an o is an e (the Russian ё of
    Gorbachev, written o in Gorbaciov)."""
    last = match.group()[-1]
    if last == "o" and match.start() and match.string[match.start() - 1] in "SJ":
        return "I"
    return _VOWEL_CLASS[last]


@lru_cache(maxsize=200_000)
def spelling(word: str) -> str:
    """Latin-script spelling key, the same for the spellings one name has in the languages
    that write it in Latin letters: `Putin` = `Poutine`, `Gorbachev` = `Gorbatchev` =
    `Gorbaciov`, `Raisi` = `Reisi`, `Ashgabat` = `Aşkabat` = `Achgabat`; consonants keep
    their voice (`Putin` is not `Bodin`), vowels keep three classes (a, e/i, o/u), so
    `Greyhound` is not `Grande`. '' for a name too short to tell apart (under two consonants)."""
    text = _NOT_LETTER.sub("", anyascii(word.lower().translate(_SPELLING_LETTERS)).lower())
    for pattern, replacement in _SPELLING_RULES:
        text = pattern.sub(replacement, text)
    key = _SPELLING_VOWELS.sub(_vowel_class, _ADAPTED_ENDING.sub("", text))
    if len(key) < _SPELLING_MIN_LENGTH:  # too short without its ending (Qaeda, Qaida): keep it
        key = _SPELLING_VOWELS.sub(_vowel_class, text)
    consonants = len(key) - sum(key.count(v) for v in "AIU")
    return key if consonants >= _SPELLING_MIN_CONSONANTS and len(key) >= _SPELLING_MIN_LENGTH else ""


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

