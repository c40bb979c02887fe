"""Where a query matches inside an article, and short snippets around the matches.

Matching uses the same views of a word as the index (folded, stemmed, outline across
scripts, spelling), so `Pezeshkian` is highlighted in `Pezeşkiyan` and in `بيزشكيان` too;
`how_matched` says which view found a text, so results can say "across scripts".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from . import analysis


@dataclass(frozen=True)
class QueryTerms:
    folded: frozenset[str] = frozenset()
    skeletons: frozenset[str] = frozenset()  # tagged outlines: names in another script
    stems: frozenset[str] = frozenset()
    spellings: frozenset[str] = frozenset()  # Latin spelling variants

    def __bool__(self) -> bool:
        return bool(self.folded or self.skeletons or self.stems or self.spellings)


# How a word matched, from the most to the least literal.
EXACT, STEM, SPELLING, SCRIPT = "exact", "other form", "other spelling", "other script"
TRANSLATION = "translation"  # in the title and lead translated by a model (a gloss), not the text


@dataclass(frozen=True)
class Snippet:
    """Plain text plus the (start, end) spans in it that matched."""

    text: str
    spans: tuple[tuple[int, int], ...] = field(default_factory=tuple)


def matches(text: str, terms: QueryTerms, lang: str = "") -> list[tuple[int, int]]:
    return [span for span, _ in matches_how(text, terms, lang)]


def matches_how(text: str, terms: QueryTerms, lang: str = "", *, limit: int | None = None,
                stop: int | None = None) -> list[tuple[tuple[int, int], str]]:
    """Matched spans, each with how it matched (EXACT, STEM, SPELLING or SCRIPT): the first
    `limit` of them, in the first `stop` characters (bounding the work on huge texts)."""
    if not terms:
        return []
    end = len(text) if stop is None else stop
    return _verdicts(terms, lang if terms.stems else "").matches(text, lang, limit, end)


def _walk(text: str, terms: QueryTerms, lang: str, limit: int | None, end: int) -> list[tuple[tuple[int, int], str]]:
    """matches_how's work: each word of text[:end] in turn, with the word before it."""
    stem = analysis.stemmer(lang) if terms.stems and lang else None
    found: list[tuple[tuple[int, int], str]] = []
    views = analysis.views
    previous = None
    for match in analysis.WORD.finditer(text, 0, end):
        if limit is not None and len(found) >= limit:
            break
        word = match.group()
        folded, script, spelled = views(word)
        if previous is not None and script and terms.skeletons:  # two words that are one name: عشق آباد
            pair = analysis.views(previous.group() + word)[1]
            if pair and pair in terms.skeletons:
                found.append(((previous.start(), match.end()), SCRIPT))
                previous = None
                continue
        previous = match if script and not folded.isascii() or (script and not analysis.is_latin(word)) else None
        if folded in terms.folded:
            how = EXACT
        elif stem is not None and stem(word.lower()) in terms.stems:
            how = STEM
        elif spelled and spelled in terms.spellings:
            how = SPELLING
        elif script and script in terms.skeletons:
            how = SCRIPT
        else:
            continue
        found.append((match.span(), how))
    return found


class _Verdicts:
    """How each word matches one query's terms in one language, judged once per word: a
    paragraph's distinct words are then looked up as sets, and a paragraph without a match
    costs no walk at all (the word-by-word walk was 80% of making a page of snippets)."""

    def __init__(self, terms: QueryTerms, lang: str):
        self.terms = terms
        self.stem = analysis.stemmer(lang) if terms.stems and lang else None
        self.known: set[str] = set()
        self.hows: dict[str, str] = {}  # the words that match by themselves, and how
        self.starters: set[str] = set()  # words after which the walk looks up a pair in the outlines

    def matches(self, text: str, lang: str, limit: int | None, end: int) -> list[tuple[tuple[int, int], str]]:
        """What `_walk` finds, found without it when no word can start a two-word name."""
        words = set(analysis.WORD.findall(text, 0, end))
        new = words - self.known
        if new:
            self._judge(new)
        if self.terms.skeletons and not words.isdisjoint(self.starters):
            return _walk(text, self.terms, lang, limit, end)
        present = words.intersection(self.hows)
        if not present:
            return []
        hows = self.hows
        found = [(match.span(), hows[word]) for match in analysis.WORD.finditer(text, 0, end)
                 if (word := match.group()) in present]
        return found if limit is None else found[:limit]

    def _judge(self, words: set[str]) -> None:
        terms, hows, starters = self.terms, self.hows, self.starters
        stem = self.stem
        stems = _STEMS.setdefault(stem, {}) if stem is not None else None
        known = _WORDS.get
        for word in words:
            folded, script, spelled, starter = known(word) or _word(word)
            # The walk's tests, in the walk's order.
            if folded in terms.folded:
                hows[word] = EXACT
            elif stems is not None and (stems.get(word) or _stem(stems, stem, word)) in terms.stems:
                hows[word] = STEM
            elif spelled and spelled in terms.spellings:
                hows[word] = SPELLING
            elif script and script in terms.skeletons:
                hows[word] = SCRIPT
            if starter:
                starters.add(word)
        self.known |= words


# What a word is, whatever the query: (folded, outline, spelling key, may start a two-word
# name), and its stem per stemmer. Plain dicts (a bounded lru_cache costs more per look-up
# than the test it saves), emptied when they grow past a bound.
_WORDS: dict[str, tuple[str, str, str, bool]] = {}
_STEMS: dict[object, dict[str, str]] = {}
_MAX_WORDS = 200_000


def _word(word: str) -> tuple[str, str, str, bool]:
    if len(_WORDS) >= _MAX_WORDS:
        _WORDS.clear()
    folded, script, spelled = analysis.views(word)
    starter = bool(script and not folded.isascii() or (script and not analysis.is_latin(word)))
    found = _WORDS[word] = (folded, script, spelled, starter)
    return found


def _stem(stems: dict[str, str], stem, word: str) -> str:
    if len(stems) >= _MAX_WORDS:
        stems.clear()
    found = stems[word] = stem(word.lower())
    return found


@lru_cache(maxsize=64)
def _verdicts(terms: QueryTerms, lang: str) -> _Verdicts:
    # A few queries' worth (the current one and those typed just before), a table per language.
    return _Verdicts(terms, lang)


def snippet(text: str, spans: list[tuple[int, int]], width: int = 160) -> Snippet:
    """The window of about `width` characters that holds the most matches (paragraphs come
    whitespace-tidy from ingestion, so offsets need no remapping). Linear in the spans, and
    the text is only looked at around the window, however long it is."""
    if not spans:
        return Snippet(_trim(text, 0, width))
    spans = sorted(spans)
    best, best_count = spans[0][0], 0
    last = 0  # spans[first:last] are the ones that fit in the window starting at spans[first]
    for first, (start, _) in enumerate(spans):
        last = max(last, first)
        while last < len(spans) and spans[last][1] <= start + width:
            last += 1
        count = last - first
        if count > best_count:
            best, best_count = start, count
    begin = max(0, best - width // 4)
    if begin:  # start at a word: the space before, if there is one near
        space = text.rfind(" ", max(0, begin - width), begin)
        begin = space + 1 if space >= 0 else begin
    end = min(len(text), begin + width)
    if end < len(text):
        space = text.rfind(" ", begin, end)
        end = space if space > begin + width // 2 else end
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(text) else ""
    inside = tuple(
        (s - begin + len(prefix), e - begin + len(prefix)) for s, e in spans if s >= begin and e <= end
    )
    return Snippet(prefix + text[begin:end] + suffix, inside)


def _trim(text: str, begin: int, width: int) -> str:
    if len(text) <= width:
        return text
    space = text.rfind(" ", begin, begin + width)
    return text[begin: space if space > width // 2 else begin + width] + "…"
