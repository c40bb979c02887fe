"""What an article says, reduced to features that survive translation and transliteration.

- names: capitalised words (any word in scripts without case) that are not ordinary words of
  their language (lexicon.py), keyed by a consonant outline that is the same across spellings
  and scripts (`Pezeshkian`, `Pezeşkiyan`, `بيزشكيان` -> `bzskn`); a leading vowel is kept as
  a mark so `Iran` (`Vrn`) and `إيران` agree while `lajm` never meets `الجمعة`;
- numbers: `1,500` = `1.500` = `1 500` = `1500`; years also count as dates;
- dates named in the text (`11 October 2024`, `11 ottobre`, `11 Ekim`) as month-day keys;
- character n-grams of the stemmed, folded words, each weighted by how rare its word is in
  the language (lexicon.py): the similarity of two reports in one script, cognates included
  (president / président / presidente);
- word shingles, to tell a republication (the same text) and a rewrite from another report;
- the hashes of its paragraphs, so that lines one source repeats in every article (banners,
  prompts) can be found and left out (chrome.py).

Page chrome is left out before any of these is taken (chrome.py), and so is the boilerplate
at the end of news pages ("read also" lists, related headlines): it describes other stories.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from dataclasses import dataclass, field, replace
from functools import lru_cache

import msgspec
import numpy as np
from anyascii import anyascii

from ..langcodes import PIVOT
from ..names import fold, is_latin, outline, spelling
from ..titles import is_headline
from .chrome import line_hashes, without_chrome
from .lexicon import lexicon, name_form
from .lexicon import lower as lower_case

WORD = re.compile(r"\w+", re.UNICODE)
# A number not inside a word: `1,500`, `1.500`, `1 500` (thousands) or `1500`, `3.5`. The first
# digit is matched before the look-behind so that the scan jumps from digit to digit.
NUMBER = re.compile(r"\d(?<![\w.,]\d)(?:\d{0,2}(?:([.,\u00a0\u202f ])\d{3})+(?!\d)|\d*(?:[.,]\d+)?(?!\w))")
_NOT_LETTER = re.compile(r"[^a-z]+")
NGRAM_SIZES = (4, 5)
SHINGLE = 4  # words per shingle for republication / rewrite detection
LEAD_CHARS = 3000  # the n-grams come from the title and the text up to here (SemEval texts: ~1,000)

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
    # Character n-grams of the stemmed, folded words (a 4-gram keyed by its four ASCII bytes, a
    # 5-gram by a hash) as sorted uint32 with float32 weights (the sum of their words' weights),
    # and word 4-gram shingles of the whole text (hashed, sorted uint32).
    grams: bytes = b""
    gram_weights: bytes = b""
    shingles: bytes = b""
    shown_names: dict[str, str] = field(default_factory=dict)  # outline key -> a spelling to show
    name_weights: dict[str, float] = field(default_factory=dict)  # outline key -> how rare the name is
    # outline key -> the Latin spelling key (names.spelling) of a name written in Latin script:
    # finer than the outline, which only serves between scripts (Gliese and Galles share `kls`)
    spellings: dict[str, str] = field(default_factory=dict)
    year: int | None = None  # the year the text mentions most (its latest on a tie): when it happened
    latin: bool = True  # written in Latin script: character n-grams compare only between such texts
    no_report: bool = False  # the page is chrome (a consent wall, a bot check): never grouped
    lines: bytes = b""  # uint32 hashes of its paragraphs (chrome.line_hashes)
    # the hashes among `lines` that were left out as its source's repeated lines (sorted uint32):
    # a build computes the features again only when its source's repeated lines change
    left_out: bytes = b""


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


@lru_cache(maxsize=200_000)
def _name_key(word: str, sentence_start: bool) -> str:
    """The outline key of a name-like word ('' when it is not one); see `names_in`."""
    if word[0].isdigit() or not _is_name(word, sentence_start):
        return ""
    key = outline(word)
    return key if key and len(key) >= 3 - key.startswith("V") else ""


def names_in(sentence: str):
    """(outline key, word as written) of each name-like word of one sentence."""
    for position, match in enumerate(WORD.finditer(sentence)):
        word = match.group()
        key = _name_key(word, position == 0)
        if key:
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


def extract(title: str, paragraphs, lang: str, gloss: str | None = None,
            chrome: frozenset[int] = frozenset()) -> Features:
    """An article's features; `gloss` is its title and lead translated into the pivot
    language by an installed model (see index/glossing.py), when there is one; `chrome`, the
    hashes of lines its source repeats in many articles (chrome.py), which are left out."""
    kept, chrome_found = without_chrome(list(paragraphs), chrome)
    features = _extract(title, kept, lang)
    features.lines = line_hashes(paragraphs)
    if chrome:
        lines = np.frombuffer(features.lines, dtype=np.uint32)
        features.left_out = lines[np.isin(lines, np.array(sorted(chrome), dtype=np.uint32))].tobytes()
    features.no_report = chrome_found and _too_short(kept)
    if gloss:
        title_gloss, _, lead_gloss = gloss.partition("\n\n")
        _add_gloss(features, _extract(title_gloss, lead_gloss.split("\n\n"), PIVOT))
    return features


REPORT_WORDS = 40  # a page that had chrome and has fewer words than this left holds no report


def _too_short(paragraphs: list[str]) -> bool:
    return sum(len(WORD.findall(p)) for p in paragraphs) < REPORT_WORDS


def _add_gloss(features: Features, gloss: Features) -> None:
    """A gloss's names, numbers and dates count as the text's own (the larger count of the
    two: a name kept by the model is the same name); its n-grams join the text's, and are the
    only ones of a text in another script, which then compares with Latin-script texts."""
    for mine, theirs in ((features.names, gloss.names), (features.numbers, gloss.numbers)):
        for key, count in theirs.items():
            mine[key] = max(mine.get(key, 0), count)
    for key, word in gloss.shown_names.items():
        features.shown_names.setdefault(key, word)
    for key, fine in gloss.spellings.items():
        features.spellings.setdefault(key, fine)
    for key, weight in gloss.name_weights.items():
        features.name_weights[key] = max(features.name_weights.get(key, 0.0), weight)
    features.dates |= gloss.dates
    if features.year is None:
        features.year = gloss.year
    if features.latin:
        features.grams, features.gram_weights = _merged(
            (features.grams, features.gram_weights), (gloss.grams, gloss.gram_weights))
    else:
        features.grams, features.gram_weights = gloss.grams, gloss.gram_weights
    features.latin = True


def _merged(*parts: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
    """Weighted n-gram sets added together."""
    keys = np.concatenate([np.frombuffer(k, dtype=np.uint32) for k, _ in parts])
    weights = np.concatenate([np.frombuffer(w, dtype=np.float32) for _, w in parts])
    return _summed(keys, weights)


def _summed(keys: np.ndarray, weights: np.ndarray) -> tuple[bytes, bytes]:
    if not len(keys):
        return b"", b""
    unique_keys, where = np.unique(keys, return_inverse=True)
    return unique_keys.astype(np.uint32).tobytes(), np.bincount(where, weights=weights).astype(np.float32).tobytes()


def _text(title: str, paragraphs) -> str:
    return unicodedata.normalize("NFC", "\n".join([title, *content_paragraphs(paragraphs)]))


def _extract(title: str, paragraphs, lang: str) -> Features:
    text = _text(title, paragraphs)
    features = Features(lang)
    features.latin = latin_script(text[:2000])
    words_of = lexicon(lang)
    caseless = not features.latin
    names, shown, rare = features.names, features.shown_names, features.name_weights
    for match in _NAME_CANDIDATE.finditer(text):
        word = match.group()
        # The first word of a sentence is a name only if longer than 3 letters: look for
        # where the sentence starts only for short ones.
        # The first word of a sentence is a name only if longer than 3 letters (and, in a
        # language without a word list to tell, never).
        opens = (len(word) <= 3 or not words_of.has_list) and _opens_sentence(text, match.start())
        key = _name_key(word, opens and len(word) <= 3)
        if key and not (opens and not words_of.has_list and word[0].isupper()):
            lower = lower_case(word, lang)
            if words_of.ordinary(lower, caseless=caseless or not word[0].isupper()):
                continue
            names[key] = names.get(key, 0) + 1
            shown.setdefault(key, word)
            rare[key] = max(rare.get(key, 0.0), words_of.word(lower)[0])
            if key not in features.spellings and is_latin(word) and (fine := spelling(name_form(lower, lang))):
                features.spellings[key] = fine
    years: dict[int, int] = {}
    for match in NUMBER.finditer(text):
        number = number_key(match.group())
        if number:
            features.numbers[number] = features.numbers.get(number, 0) + 1
            if len(number) == 4 and number.isascii() and number.isdigit() and 1900 <= int(number) <= 2100:
                features.dates.add("y" + number)
                years[int(number)] = years.get(int(number), 0) + 1
    if years:
        features.year = max(years, key=lambda y: (years[y], y))
    words = WORD.findall(text)
    # "11 October", "October 11": a day next to a month's name (one or two digits: int() of a
    # 5,000-digit word would raise)
    for j in itertools.compress(range(len(words)), (w.isdecimal() and len(w) <= 2 for w in words)):
        day = int(words[j])
        if 1 <= day <= 31:
            for i in (j - 1, j + 1):
                month = MONTHS.get(fold(words[i])) if 0 <= i < len(words) else None
                if month is not None:
                    features.dates.add(f"{month:02d}-{day:02d}")
    features.grams, features.gram_weights = weighted_grams(WORD.findall(text[:LEAD_CHARS]), lang)
    features.shingles = shingle_keys(words)
    return features


def weighted_grams(words: list[str], lang: str) -> tuple[bytes, bytes]:
    """(sorted uint32 keys, float32 weights): the character 4- and 5-grams of each word's
    folded stem, each occurrence weighing as much as its word is rare in the language."""
    words_of = lexicon(lang)
    totals: dict[str, float] = {}
    for word in words:
        if word.isdigit():
            continue  # numbers are a signal of their own
        weight, stem = words_of.word(lower_case(word, lang))
        totals[stem] = totals.get(stem, 0.0) + weight
    keys, weights = [], []
    for stem, weight in totals.items():
        grams = _stem_grams(stem)
        keys.append(grams)
        weights.append(np.full(len(grams), weight, dtype=np.float32))
    if not keys:
        return b"", b""
    return _summed(np.concatenate(keys), np.concatenate(weights))


@lru_cache(maxsize=200_000)
def _stem_grams(stem: str) -> np.ndarray:
    folded = fold(stem)
    if not folded:
        return np.zeros(0, dtype=np.uint32)
    keys, counts = gram_keys(folded)
    return np.repeat(np.frombuffer(keys, dtype=np.uint32), np.frombuffer(counts, dtype=np.uint16))


# A word that may be a name: capitalised, or in a non-ASCII script (scripts without case). The
# first letter is matched before the look-behind so that the scan jumps between such letters.
_NAME_CANDIDATE = re.compile(r"[A-Z\u0080-\U0010ffff](?<!\w[A-Z\u0080-\U0010ffff])(?<=\w)\w*")
_SENTENCE_END = re.compile(r"[.!?\u061f:\n]\s")  # where the text was split into sentences before


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at `start` is the first of its sentence (only the non-word characters
    between it and the word before are looked at)."""
    i = start
    while i > 0 and not (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return i == 0 or _SENTENCE_END.search(text, i, start) is not None


_LATIN_LETTERS = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]+")
_OTHER_LETTERS = re.compile(r"[^\W\d_\x00-\u00a9\u00ab-\u00b4\u00b6-\u00b9\u00bb-\u024f]+")  # ª µ º too, as before


def latin_script(text: str) -> bool:
    """Whether most of the letters of `text` are Latin (true when it has none)."""
    if text.isascii():
        return True
    other = sum(map(len, _OTHER_LETTERS.findall(text)))
    if not other:
        return True
    return sum(map(len, _LATIN_LETTERS.findall(text))) > other


# 5-gram keys: a multiplicative hash with the top bit set; 4-grams are their four ASCII bytes
# (top bit clear), so the two sizes never share a key.
_HASH_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_TOP_BIT = np.uint32(0x80000000)


def gram_keys(lead: str) -> tuple[bytes, bytes]:
    """(sorted uint32 keys, uint16 counts) of the character 4- and 5-grams of each word of a
    folded lead, each word padded with a space on both sides: the windows of " lead " with no
    space inside (only at their ends)."""
    data = np.frombuffer((" " + lead + " ").encode("ascii"), dtype=np.uint8)
    if len(data) < 4:
        return b"", b""
    if len(data) == 4:  # one word of two letters: one 4-gram, no 5-gram
        data = np.append(data, np.uint8(32))  # a second space changes nothing: it ends no gram
    inner = data != 32  # not a space: may stand inside a gram
    fours = inner[1:-2] & inner[2:-1]
    fives = fours[:-1] & inner[3:-1]
    wide = data.astype(np.uint32)
    packed = (wide[:-3] << 24) | (wide[1:-2] << 16) | (wide[2:-1] << 8) | wide[3:]  # a 4-gram's bytes
    hashed = (((packed[:-1].astype(np.uint64) << np.uint64(8)) | data[4:])[fives] * _HASH_MULTIPLIER) >> np.uint64(33)
    keys = np.concatenate([packed[fours], hashed.astype(np.uint32) | _TOP_BIT])
    if not len(keys):
        return b"", b""
    keys.sort()
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    counts = np.diff(np.append(starts, len(keys)))
    return keys[starts].tobytes(), np.minimum(counts, 65535).astype(np.uint16).tobytes()


# Shingles are hashed as polynomials over the UTF-8 bytes (mod 2**64), from prefix sums: every
# window of words at once, the same in every process.
_P = np.uint64(0x100000001B3)
_P_INVERSE = np.uint64(pow(0x100000001B3, -1, 1 << 64))
_MIX = np.uint64(0x9E3779B97F4A7C15)


def shingle_keys(words: list[str]) -> bytes:
    """Sorted distinct uint32 keys of the text's SHINGLE-word windows (lower-cased words, one
    space apart)."""
    if len(words) < SHINGLE:
        return b""
    data = np.frombuffer(" ".join(words).lower().encode("utf-8"), dtype=np.uint8)
    size = len(data)
    powers, inverse = _powers(size)
    prefix = np.zeros(size + 1, dtype=np.uint64)
    np.cumsum((data.astype(np.uint64) + np.uint64(1)) * powers, out=prefix[1:])
    spaces = np.flatnonzero(data == 32)
    starts = np.concatenate([[0], spaces + 1])[:-(SHINGLE - 1)]
    ends = np.concatenate([spaces, [size]])[SHINGLE - 1:]
    hashes = (prefix[ends] - prefix[starts]) * inverse[starts]
    hashes = (hashes ^ (hashes >> np.uint64(29))) * _MIX
    return distinct((hashes >> np.uint64(32)).astype(np.uint32)).tobytes()


_POWERS: list[np.ndarray] = []


def _powers(size: int) -> tuple[np.ndarray, np.ndarray]:
    """(P**i, P**-i) for i < size; those of a few KB are kept (every text needs them)."""
    if _POWERS and len(_POWERS[0]) >= size:
        return _POWERS[0][:size], _POWERS[1][:size]
    length = max(size, 8192)
    powers = np.cumprod(np.full(length, _P, dtype=np.uint64)) * _P_INVERSE
    inverse = np.cumprod(np.full(length, _P_INVERSE, dtype=np.uint64)) * _P
    if length <= 1 << 16:
        _POWERS[:] = [powers, inverse]
    return powers[:size], inverse[:size]


def distinct(keys: np.ndarray) -> np.ndarray:
    """Sorted distinct values: np.unique is several times slower on small arrays and, since it
    hashes (numpy 2.4), a hundred times slower on millions of distinct values."""
    keys = np.sort(keys)
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))] if len(keys) else keys


def gram_arrays(features: Features) -> tuple[np.ndarray, np.ndarray]:
    return np.frombuffer(features.grams, dtype=np.uint32), np.frombuffer(features.gram_weights, dtype=np.float32)


def shingle_array(features: Features) -> np.ndarray:
    return np.frombuffer(features.shingles, dtype=np.uint32)


def shingle_overlap(a: Features, b: Features) -> tuple[float, float]:
    """(Jaccard, containment in the shorter) of two texts' word shingles."""
    sa, sb = shingle_array(a), shingle_array(b)
    if not len(sa) or not len(sb):
        return 0.0, 0.0
    common = len(np.intersect1d(sa, sb, assume_unique=True))
    return common / (len(sa) + len(sb) - common), common / min(len(sa), len(sb))


# -- what the catalog keeps (event_features) ---------------------------------------------------
@dataclass
class Naming:
    """The part of an article's features an event's label needs (label_of), decoded alone: a
    whole-library build does not hold every article's names until its labels are made."""

    names: dict[str, int] = field(default_factory=dict)
    shown_names: dict[str, str] = field(default_factory=dict)


@dataclass
class Lines:
    """The part a build's first pass needs: the paragraphs' hashes and those left out."""

    lines: bytes = b""
    left_out: bytes = b""


_ENCODER = msgspec.msgpack.Encoder()
_DECODER = msgspec.msgpack.Decoder(Features)
_NAMING_DECODER = msgspec.msgpack.Decoder(Naming)
_LINES_DECODER = msgspec.msgpack.Decoder(Lines)


def pack(features: Features) -> bytes:
    """An article's features as the catalog keeps them: the shingles as the gaps between them
    with their bytes grouped by position (the high bytes of a gap are mostly alike), the
    n-gram weights as float16, all compressed."""
    shingles = np.frombuffer(features.shingles, dtype=np.uint32)
    gaps = np.diff(shingles, prepend=np.uint32(0)).astype("<u4")
    grouped = gaps.view(np.uint8).reshape(-1, 4).T.tobytes()
    weights = np.frombuffer(features.gram_weights, dtype=np.float32).astype("<f2").tobytes()
    return zlib.compress(_ENCODER.encode(replace(features, gram_weights=weights, shingles=grouped)), 6)


def unpack(blob: bytes) -> Features:
    """The features `pack` kept; raises ValueError on a damaged blob."""
    try:
        features = _DECODER.decode(zlib.decompress(blob))
    except (zlib.error, msgspec.DecodeError) as error:
        raise ValueError(f"damaged event features: {error}") from None
    grouped = np.frombuffer(features.shingles, dtype=np.uint8)
    halves = np.frombuffer(features.gram_weights, dtype=np.uint8)
    if len(grouped) % 4 or len(halves) % 2 or len(halves) * 2 != len(features.grams):
        raise ValueError("damaged event features")
    gaps = np.ascontiguousarray(grouped.reshape(4, -1).T).view("<u4").ravel()
    features.shingles = np.cumsum(gaps, dtype=np.uint32).astype(np.uint32).tobytes()
    features.gram_weights = halves.view("<f2").astype(np.float32).tobytes()
    return features


def unpack_naming(blob: bytes) -> Naming:
    """The names of the features `pack` kept (the other fields skipped, not built)."""
    try:
        return _NAMING_DECODER.decode(zlib.decompress(blob))
    except (zlib.error, msgspec.DecodeError) as error:
        raise ValueError(f"damaged event features: {error}") from None


def unpack_lines(blob: bytes) -> Lines:
    """The paragraph hashes of the features `pack` kept (the other fields skipped)."""
    try:
        return _LINES_DECODER.decode(zlib.decompress(blob))
    except (zlib.error, msgspec.DecodeError) as error:
        raise ValueError(f"damaged event features: {error}") from None
