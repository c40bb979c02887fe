"""What two reports of one event share, and what each has that the other does not.

Works across languages and scripts without a translation model: names are compared by their
outline (`Putin` = `بوتين`), numbers by value (`1,500` = `1.500`), dates by month and day. A
sentence has a counterpart in the other report when the two share a name or a number that
is not everywhere in both texts, or enough of their character n-grams (related languages);
the sentences without one are what that report adds. Quotes are listed with the sentence
test: quotes are translated, so they are matched by what they mention, not by wording.
Trailing "read also" blocks are not part of either report (features.content_paragraphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .chrome import without_chrome
from .features import NUMBER, WORD, char_grams, content_paragraphs, extract, fold, names_in, number_key

_SENTENCE = re.compile(r"(?<=[.!?؟。])\s+(?=\S)")
QUOTE = re.compile(r"[\"“”«„‹]\s*([^\"“”«»„‹›]{12,400}?)\s*[\"”“»›]")
GRAM_MATCH = 0.35  # character n-gram cosine from which two sentences count as counterparts


@dataclass
class Side:
    id: str
    lang: str
    names: list[str] = field(default_factory=list)  # as this report spells them
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"id": self.id, "lang": self.lang, "names": self.names, "numbers": self.numbers,
                "dates": self.dates, "quotes": self.quotes, "sentences": self.sentences}


@dataclass
class Comparison:
    score: float | None  # probability that both report the same event (calibrated, [0, 1])
    shared_names: list[tuple[str, str]]  # (spelling in the first, spelling in the second)
    shared_numbers: list[str]
    shared_dates: list[str]
    only_first: Side
    only_second: Side
    counterparts: list[tuple[int, int]] = field(default_factory=list)  # sentence pairs (first, second)
    similarity: float | None = None  # how much the two reports share, graded (similarity.py)

    def to_json(self) -> dict:
        same = None if self.score is None else round(self.score, 4)
        return {
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "same_event": same,
            "score": same,  # what scripts read before `same_event`: kept as its alias
            "shared": {"names": [list(pair) for pair in self.shared_names], "numbers": self.shared_numbers,
                       "dates": self.shared_dates},
            "only": {"first": self.only_first.to_json(), "second": self.only_second.to_json()},
        }


@dataclass
class _Sentence:
    text: str
    names: set[str]
    numbers: set[str]
    grams: dict[str, int]


def _sentences(paragraphs) -> list[_Sentence]:
    found = []
    for paragraph in paragraphs:
        for text in _SENTENCE.split(paragraph):
            text = text.strip()
            if len(text) < 3:
                continue
            names = {key for key, _ in names_in(text)}
            numbers = {k for k in (number_key(m.group()) for m in NUMBER.finditer(text)) if k}
            folded = " ".join(f for f in (fold(w) for w in WORD.findall(text)) if f)
            grams: dict[str, int] = {}
            for gram in char_grams(folded, (4,)):
                grams[gram] = grams.get(gram, 0) + 1
            found.append(_Sentence(text, names, numbers, grams))
    return found


def _cosine(a: dict[str, int], b: dict[str, int]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / ((sum(v * v for v in a.values()) ** 0.5) * (sum(v * v for v in b.values()) ** 0.5))


def compare(first, second, score: float | None = None, glosses: tuple[str | None, str | None] = (None, None),
            similarity: float | None = None) -> Comparison:
    """`first` and `second` are Articles; `glosses` their English glosses, if any (a name
    only a model's translation spells alike, `عشق آباد` and `Ashgabat`, is then shared)."""
    fa = extract(first.title, first.paragraphs, first.lang, glosses[0])
    fb = extract(second.title, second.paragraphs, second.lang, glosses[1])
    shared_keys = sorted(set(fa.names) & set(fb.names), key=lambda k: (-(fa.names[k] + fb.names[k]), k))
    shared_names = [(fa.shown_names[k], fb.shown_names[k]) for k in shared_keys]
    only = []
    for f, other in ((fa, fb), (fb, fa)):
        only.append(([f.shown_names[k] for k in sorted(set(f.names) - set(other.names),
                                                       key=lambda k: (-f.names[k], k))],
                     sorted(set(f.numbers) - set(other.numbers), key=number_order),
                     sorted(d for d in f.dates - other.dates)))
    # Page chrome (cookie walls, newsletter prompts) is not part of either report.
    sa = _sentences([first.title, *content_paragraphs(without_chrome(list(first.paragraphs))[0])])
    sb = _sentences([second.title, *content_paragraphs(without_chrome(list(second.paragraphs))[0])])
    # A name or number in most sentences of both texts (the story's protagonist) proves nothing.
    common = {k for k in shared_keys if sum(k in s.names for s in sa) > len(sa) / 2
              and sum(k in s.names for s in sb) > len(sb) / 2}
    same_script = fa.latin == fb.latin
    pairs = []
    for i, x in enumerate(sa):
        for j, y in enumerate(sb):
            shares = ((x.names & y.names) - common) or (x.numbers & y.numbers)
            if shares or (same_script and _cosine(x.grams, y.grams) >= GRAM_MATCH):
                pairs.append((i, j))
    matched_a = {i for i, _ in pairs}
    matched_b = {j for _, j in pairs}
    sides = []
    for article, sentences, matched, (names, numbers, dates), other_quotes in (
            (first, sa, matched_a, only[0], quotes_of(second)), (second, sb, matched_b, only[1], quotes_of(first))):
        unmatched = [s.text for k, s in enumerate(sentences) if k not in matched]
        quotes = [q for q in quotes_of(article) if not any(same_quote(q, o) for o in other_quotes)]
        sides.append(Side(article.id, article.lang, names, numbers, [show_date(d) for d in dates], quotes, unmatched))
    shared_numbers = sorted(set(fa.numbers) & set(fb.numbers), key=number_order)
    shared_dates = [show_date(d) for d in sorted(fa.dates & fb.dates)]
    return Comparison(score, shared_names, shared_numbers, shared_dates, sides[0], sides[1], pairs, similarity)


def quotes_of(article) -> list[str]:
    return [m.group(1).strip() for p in content_paragraphs(article.paragraphs) for m in QUOTE.finditer(p)]


def same_quote(a: str, b: str) -> bool:
    """Quotes are translated: the same quote mentions the same names and numbers."""
    sa, sb = _sentences([a]), _sentences([b])
    if not sa or not sb:
        return False
    x, y = sa[0], sb[0]
    if x.names & y.names or x.numbers & y.numbers:
        return True
    return _cosine(x.grams, y.grams) >= GRAM_MATCH


def number_order(value: str):
    try:
        return (0, float(value))
    except ValueError:
        return (1, value)


def show_date(key: str) -> str:
    return key[1:] if key.startswith("y") else f"--{key}"  # ISO 8601 for a month and day
