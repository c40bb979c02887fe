"""What a language's ordinary text looks like: word frequencies (wordfreq) and stems (Snowball).

Grouping weighs a word by how rare it is in its language's ordinary text, taken from
wordfreq's lists (Wikipedia, subtitles, news, books, web), not from the library: a weight
that never moves when unrelated articles are added, and that means the same in a library of
five articles and of a hundred thousand. The same lists decide what is a name: a word that
is frequent in its language ("Certains", "Stunde", "Sizinle", إقليمية) is never one.

Languages wordfreq lacks (Albanian, for one) get a middle weight for every word and keep
capitalisation as their only test for names.
"""

from __future__ import annotations

import functools
import math

MISSING_ZIPF = 3.0  # a language without a list: every word counts as moderately common
RARE_ZIPF = 1.5  # rarer than this (or unlisted) counts as this rare: typos and names alike
WEIGHT_TOP = 7.0  # weight = WEIGHT_TOP - zipf: "the" (7.7) weighs almost nothing, a rare word 5.5
WEIGHT_FLOOR = 0.1
# A capitalised word is an ordinary word of its language, not a name, when it is this common
# in the language and clearly more common there than in any of the reference languages (a
# name, Putin or Oklahoma, is about as frequent in every language's news).
ORDINARY_ZIPF = 3.5
INTERNATIONAL_MARGIN = 2.0
REFERENCE_LANGUAGES = ("en", "fr", "de", "es")  # each list loaded costs ~50 ms in a new process
# In a script without capitals every word is a candidate: only the rarer ones are names
# (بوتين, Putin, is at 4.2 in Arabic; الرئيس, the president, at 5.7).
CASELESS_NAME_ZIPF = 4.5
# Arabic words with the feminine ending ة are the language's own (إقليمية, regional, at
# 4.0), never a transliterated name.

# Snowball stemmers by ISO 639-1 code (the ones snowballstemmer ships).
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "et": "estonian", "eu": "basque", "fa": "persian", "fi": "finnish",
    "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch", "no": "norwegian",
    "pl": "polish", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}


@functools.lru_cache(maxsize=None)
def _frequencies(lang: str) -> dict[str, float] | None:
    """wordfreq's word -> frequency for a language, or None when it has no list. The "small"
    lists (the ~30k words above Zipf 3; 3 MB and a few ms to load) are enough: rarer words
    all weigh as rare (measured: the same Pearson on SemEval as the full lists, which cost
    40 MB a language in every worker)."""
    import wordfreq

    if lang not in _available():
        return None
    return wordfreq.get_frequency_dict(lang, wordlist="small")


@functools.lru_cache(maxsize=1)
def _available() -> frozenset[str]:
    import wordfreq

    return frozenset(wordfreq.available_languages(wordlist="small"))


def zipf(word: str, lang: str) -> float | None:
    """The Zipf frequency (log10 of uses per billion words) of a lower-case word in its
    language; 0 when the list does not hold it; None when the language has no list."""
    table = _frequencies(lang)
    if table is None:
        return None
    frequency = table.get(word)
    return math.log10(frequency) + 9 if frequency else 0.0


class Lexicon:
    """One language's word weights, stems and name test, each word worked out once."""

    def __init__(self, lang: str):
        self.lang = lang
        self.has_list = _frequencies(lang) is not None
        self._stemmer = None
        if lang in STEMMERS:
            import snowballstemmer

            self._stemmer = snowballstemmer.stemmer(STEMMERS[lang])
        self._words: dict[str, tuple[float, str]] = {}
        self._ordinary: dict[str, bool] = {}

    def word(self, lower: str) -> tuple[float, str]:
        """(weight, stem) of a lower-case word."""
        known = self._words.get(lower)
        if known is None:
            z = zipf(lower, self.lang)
            z = MISSING_ZIPF if z is None else max(z, RARE_ZIPF)
            stem = self._stemmer.stemWord(lower) if self._stemmer is not None else lower
            known = self._words[lower] = (max(WEIGHT_FLOOR, WEIGHT_TOP - z), stem)
        return known

    def ordinary(self, lower: str, *, caseless: bool) -> bool:
        """Whether a word that looks like a name is an ordinary word of the language."""
        known = self._ordinary.get(lower)
        if known is None:
            known = self._ordinary[lower] = self._is_ordinary(lower, caseless)
        return known

    def _is_ordinary(self, lower: str, caseless: bool) -> bool:
        own = zipf(lower, self.lang)
        if own is None:
            return False  # no list: capitalisation alone decides
        if caseless:
            if self.lang == "ar" and lower.endswith("ة"):
                return True
            return own >= CASELESS_NAME_ZIPF
        if own < ORDINARY_ZIPF:
            return False
        elsewhere = max((zipf(lower, other) or 0.0) for other in REFERENCE_LANGUAGES if other != self.lang)
        return elsewhere <= own - INTERNATIONAL_MARGIN


# Names decline in some languages (Albanian Putinit, Iranin; Polish Putina, Putinem): their
# declined forms are taken back to the name before it is keyed. Snowball's stemmers do it
# where they exist; Albanian has none, so its case endings are listed (longest first).
DECLINING_WITH_STEMMER = frozenset({"pl", "cs", "fi", "hu", "ru", "lt", "sr", "et"})
CASE_ENDINGS = {"sq": ("it", "in", "ës", "ve", "ut", "un", "i", "a", "s")}
MIN_NAME_STEM = 4


def name_form(lower: str, lang: str) -> str:
    """The form of a lower-case name that is the same in every case it is declined in."""
    if lang in DECLINING_WITH_STEMMER:
        stem = lexicon(lang).word(lower)[1]
        return stem if len(stem) >= MIN_NAME_STEM else lower
    for ending in CASE_ENDINGS.get(lang, ()):
        if lower.endswith(ending) and len(lower) - len(ending) >= MIN_NAME_STEM:
            return lower[: -len(ending)]
    return lower


_DOTTED = str.maketrans({"İ": "i", "I": "ı"})


def lower(word: str, lang: str) -> str:
    """Lower case as the language writes it: Turkish and Azerbaijani İ -> i and I -> ı (Python's
    lower() turns İran into i + a combining dot, a word no list holds)."""
    return (word.translate(_DOTTED) if lang in ("tr", "az") else word).lower()


@functools.lru_cache(maxsize=64)
def lexicon(lang: str) -> Lexicon:
    return Lexicon(lang)
