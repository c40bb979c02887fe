"""What an article says, reduced to features that survive translation and transliteration.

- names: capitalised words (any word in scripts without case), keyed by a consonant outline
  that is the same across spellings and scripts (`Pezeshkian`, `Pezeşkiyan`, `بيزشكيان` ->
  `bzskn`); a leading vowel is kept as a mark so `Iran` (`Vrn`) and `إيران` agree while
  `lajm` never meets `الجمعة` (whose article `ال` is dropped first);
- numbers: `1,500` = `1.500` = `1 500` = `1500`; years also count as dates;
- dates named in the text (`11 October 2024`, `11 ottobre`, `11 Ekim`) as month-day keys;
- character n-grams of the folded text (cognates: president / président / presidente);
- word shingles, to tell a republication (the same text) and a rewrite from another report.

Boilerplate at the end of news pages ("read also" lists, related headlines) is left out: it
describes other stories.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from dataclasses import dataclass, field

import numpy as np
from anyascii import anyascii

from ..langcodes import PIVOT
from ..names import fold, is_latin, outline
from ..titles import is_headline

WORD = re.compile(r"\w+", re.UNICODE)
NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:([.,\u00a0\u202f ])\d{3})+(?![\d])|(?<![\w.,])\d+(?:[.,]\d+)?(?!\w)")
_NOT_LETTER = re.compile(r"[^a-z]+")
NGRAM_SIZES = (4, 5)
SHINGLE = 4  # words per shingle for republication / rewrite detection
LEAD_CHARS = 1200  # the title and the start: where reports of one event agree most

# "Read also" markers that open a block of other stories' headlines.
_READ_ALSO = re.compile(
    r"^\s*(read (also|more)|see also|related( articles| stories)?|more on this|lire aussi|à lire aussi|"
    r"voir aussi|leggi anche|vedi anche|lesen sie auch|mehr zum thema|lea también|ver también|"
    r"ayrıca (bakınız|okuyun)|ilgili haberler|lexo (edhe|më shumë)|lajme të ngjashme|"
    r"اقرأ أيضا|اقرأ أيضاً|إقرأ أيضا|مواضيع ذات صلة|اقرأ المزيد|читайте также)\b", re.IGNORECASE)

def _month_key(name: str) -> str:
    return _NOT_LETTER.sub("", anyascii(name).lower())  # what `fold` makes of the word


MONTHS = {
    # English, French, Italian, Spanish, Portuguese, German, Turkish, Albanian, Arabic (both
    # the Levantine and the Maghreb/Egyptian names), Russian (genitive): month number.
    **{m: i for i, m in enumerate(("january february march april may june july august september october "
                                   "november december").split(), 1)},
    **{m: i for i, m in enumerate(("janvier fevrier mars avril mai juin juillet aout septembre octobre "
                                   "novembre decembre").split(), 1)},
    **{m: i for i, m in enumerate(("gennaio febbraio marzo aprile maggio giugno luglio agosto settembre "
                                   "ottobre novembre dicembre").split(), 1)},
    **{m: i for i, m in enumerate(("enero febrero marzo abril mayo junio julio agosto septiembre octubre "
                                   "noviembre diciembre").split(), 1)},
    **{m: i for i, m in enumerate(("janeiro fevereiro marco abril maio junho julho agosto setembro outubro "
                                   "novembro dezembro").split(), 1)},
    **{m: i for i, m in enumerate(("januar februar marz april mai juni juli august september oktober "
                                   "november dezember").split(), 1)},
    **{m: i for i, m in enumerate(("ocak subat mart nisan mayis haziran temmuz agustos eylul ekim kasim "
                                   "aralik").split(), 1)},
    **{m: i for i, m in enumerate(("janar shkurt mars prill maj qershor korrik gusht shtator tetor nentor "
                                   "dhjetor").split(), 1)},
    **{_month_key(m): i for i, m in enumerate(
        "كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|تشرين الثاني|كانون الأول".split("|"), 1)
       if " " not in m},
    **{_month_key(m): i for i, m in enumerate(
        "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر".split("|"), 1)},
    **{_month_key(m): i for i, m in enumerate(  # Moroccan
        "يناير|فبراير|مارس|أبريل|ماي|يونيو|يوليوز|غشت|شتنبر|أكتوبر|نونبر|دجنبر".split("|"), 1)},
    **{m: i for i, m in enumerate(("yanvarya fevralya marta aprelya maya iyunya iyulya avgusta sentyabrya "
                                   "oktyabrya noyabrya dekabrya").split(), 1)},
}


@dataclass
class Features:
    """One article's features (all strings; weights come from the library's statistics)."""

    lang: str
    names: dict[str, int] = field(default_factory=dict)  # outline key -> count
    numbers: dict[str, int] = field(default_factory=dict)
    dates: set[str] = field(default_factory=set)  # "10-11" (month-day) or "y2024"
    # Character n-grams of the folded lead and word 4-gram shingles of the whole text, hashed
    # (crc32) and packed as sorted uint32 (counts: uint16): a few KB an article, not 100.
    grams: bytes = b""
    gram_counts: bytes = b""
    shingles: bytes = b""
    shown_names: dict[str, str] = field(default_factory=dict)  # outline key -> a spelling to show
    year: int | None = None  # the year the text mentions most (its latest on a tie): when it happened
    latin: bool = True  # written in Latin script: character n-grams compare only between such texts


def content_paragraphs(paragraphs) -> list[str]:
    """The article without the trailing boilerplate: a "read also" block, or a run of two or
    more headline-like lines (no sentence ending) at the very end."""
    paragraphs = list(paragraphs)
    for i, paragraph in enumerate(paragraphs):
        if i > 0 and _READ_ALSO.match(paragraph):
            paragraphs = paragraphs[:i]
            break
    end = len(paragraphs)
    while end > 1 and is_headline(paragraphs[end - 1]) and len(paragraphs[end - 1]) < 140:
        end -= 1
    if len(paragraphs) - end >= 2:
        paragraphs = paragraphs[:end]
    return paragraphs


def _is_name(word: str, sentence_start: bool) -> bool:
    first = word[0]
    if first.isupper():
        return not sentence_start or len(word) > 3
    return first.isalpha() and first.lower() == first.upper() and not first.isascii() and len(word) > 2


_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def names_in(sentence: str):
    """(outline key, word as written) of each name-like word of one sentence."""
    for position, match in enumerate(WORD.finditer(sentence)):
        word = match.group()
        if word[0].isdigit() or not _is_name(word, position == 0):
            continue
        key = outline(word)
        if key and len(key) >= 3 - key.startswith("V"):
            yield key, word


def char_grams(folded: str, sizes):
    """Character n-grams of each word of a folded text, with word boundaries marked."""
    for token in folded.split():
        padded = f" {token} "
        for size in sizes:
            for i in range(len(padded) - size + 1):
                yield padded[i:i + size]


def number_key(text: str) -> str | None:
    """'1,500' / '1.500' / '1 500' / '١٥٠٠' -> '1500'; '3.5' stays; None for single digits."""
    text = text.translate(_DIGITS)
    digits = re.sub(r"[.,\u00a0\u202f ](?=\d{3}(?!\d))", "", text)
    digits = digits.replace(",", ".")
    if len(digits) == 1:
        return None
    return digits


def extract(title: str, paragraphs, lang: str, gloss: str | None = None) -> Features:
    """An article's features; `gloss` is its title and lead translated into the pivot
    language by an installed model (see index/glossing.py), when there is one."""
    features = _extract(title, paragraphs, lang)
    if gloss:
        title_gloss, _, lead_gloss = gloss.partition("\n\n")
        _add_gloss(features, _extract(title_gloss, lead_gloss.split("\n\n"), PIVOT))
    return features


def _add_gloss(features: Features, gloss: Features) -> None:
    """A gloss's names, numbers and dates count as the text's own (the larger count of the
    two: a name kept by the model is the same name); its n-grams join the text's, and are the
    only ones of a text in another script, which then compares with Latin-script texts."""
    for mine, theirs in ((features.names, gloss.names), (features.numbers, gloss.numbers)):
        for key, count in theirs.items():
            mine[key] = max(mine.get(key, 0), count)
    for key, word in gloss.shown_names.items():
        features.shown_names.setdefault(key, word)
    features.dates |= gloss.dates
    if features.year is None:
        features.year = gloss.year
    keys, counts = gram_arrays(gloss)
    if features.latin:
        own_keys, own_counts = gram_arrays(features)
        keys = np.concatenate([own_keys, keys])
        counts = np.concatenate([own_counts.astype(np.uint32), counts])
        keys, where = np.unique(keys, return_inverse=True)
        counts = np.minimum(np.bincount(where, weights=counts), 65535)
    features.latin = True
    features.grams = keys.astype(np.uint32).tobytes()
    features.gram_counts = np.asarray(counts, dtype=np.uint16).tobytes()


def _extract(title: str, paragraphs, lang: str) -> Features:
    body = content_paragraphs(paragraphs)
    text = unicodedata.normalize("NFC", "\n".join([title, *body]))
    features = Features(lang)
    names, shown = features.names, features.shown_names
    for sentence in re.split(r"(?<=[.!?؟:\n])\s+", text):
        for key, word in names_in(sentence):
            names[key] = names.get(key, 0) + 1
            shown.setdefault(key, word)
    words = WORD.findall(text)
    letters = [ch for ch in text[:2000] if ch.isalpha()]
    features.latin = not letters or sum(is_latin(ch) for ch in letters) > len(letters) / 2
    years: dict[int, int] = {}
    for match in NUMBER.finditer(text):
        key = number_key(match.group())
        if key:
            features.numbers[key] = features.numbers.get(key, 0) + 1
            if len(key) == 4 and key.isascii() and key.isdigit() and 1900 <= int(key) <= 2100:
                features.dates.add("y" + key)
                years[int(key)] = years.get(int(key), 0) + 1
    if years:
        features.year = max(years, key=lambda y: (years[y], y))
    folded = [fold(w) for w in words]
    for i, word in enumerate(folded):
        month = MONTHS.get(word)
        if month is None:
            continue
        for j in (i - 1, i + 1):  # "11 October", "October 11"
            if 0 <= j < len(words) and words[j].isdigit() and 1 <= int(words[j].translate(_DIGITS)) <= 31:
                features.dates.add(f"{month:02d}-{int(words[j].translate(_DIGITS)):02d}")
    lead = " ".join(f for f in folded if f)[:LEAD_CHARS]
    grams: dict[int, int] = {}
    for gram in char_grams(lead, NGRAM_SIZES):
        key = zlib.crc32(gram.encode())  # crc32, not hash(): the same in every process
        grams[key] = grams.get(key, 0) + 1
    keys = np.array(sorted(grams), dtype=np.uint32)
    features.grams = keys.tobytes()
    features.gram_counts = np.array([min(grams[k], 65535) for k in keys.tolist()], dtype=np.uint16).tobytes()
    lowered = [w.lower() for w in words]
    shingles = {zlib.crc32(" ".join(lowered[i:i + SHINGLE]).encode()) for i in range(max(len(lowered) - SHINGLE + 1, 0))}
    features.shingles = np.array(sorted(shingles), dtype=np.uint32).tobytes()
    return features


def gram_arrays(features: Features) -> tuple[np.ndarray, np.ndarray]:
    return np.frombuffer(features.grams, dtype=np.uint32), np.frombuffer(features.gram_counts, dtype=np.uint16)


def shingle_array(features: Features) -> np.ndarray:
    return np.frombuffer(features.shingles, dtype=np.uint32)


def shingle_overlap(a: Features, b: Features) -> tuple[float, float]:
    """(Jaccard, containment in the shorter) of two texts' word shingles."""
    sa, sb = shingle_array(a), shingle_array(b)
    if not len(sa) or not len(sb):
        return 0.0, 0.0
    common = len(np.intersect1d(sa, sb, assume_unique=True))
    return common / (len(sa) + len(sb) - common), common / min(len(sa), len(sb))
