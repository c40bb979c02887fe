"""Where an event's reports disagree: numbers given for the same thing (42 injured vs 45),
dates the texts name, and statements quoted from the same speaker, each value with the outlets
that give it.

- A number is about the word that follows it ("42 people", "45 injured"), taken by its stem in
  the report's language; a number that every report speaking of that thing gives is agreed,
  the others differ. Years and day numbers of dates are dates, not numbers.
- Dates are the days the texts name (features.py: "1 October", "1 Ekim"); reports that name
  days and name different ones disagree on those.
- A quote is attributed to the names in its sentence outside the quotation marks; the same
  speaker quoted by two reports in one language (quotes are translated) with statements that
  do not match (compare.py's test: they
  mention different names and numbers and share little wording) is a disagreement.
Across languages, numbers are compared by the following word only where the languages share it
(cognates, names); dates and quotes work in any language.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .catalog import ArticleSummary

_SENTENCE = re.compile(r"(?<=[.!?؟。])\s+(?=\S)")
_YEAR = re.compile(r"^(1[89]|20|21)\d\d$")


@dataclass(frozen=True)
class Value:
    value: str
    reports: tuple[str, ...]  # article ids
    sources: tuple[str, ...]  # their outlets

    def to_json(self) -> dict:
        return {"value": self.value, "reports": list(self.reports), "sources": list(self.sources)}


@dataclass(frozen=True)
class Disagreement:
    kind: str  # "number", "date" or "quote"
    about: str  # what the values are of: "injured", "people"; "" for dates; the speaker for quotes
    values: tuple[Value, ...]

    def to_json(self) -> dict:
        return {"kind": self.kind, "about": self.about, "values": [v.to_json() for v in self.values]}


def disagreements(articles, summaries: dict[str, ArticleSummary]) -> list[Disagreement]:
    """`articles`: the event's reports (Articles), earliest first."""
    from .analysis import stemmer
    from .events.chrome import without_chrome
    from .events.compare import QUOTE, same_quote, show_date
    from .events.features import MONTHS, NUMBER, WORD, content_paragraphs, extract, fold, names_in, number_key

    numbers: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # thing -> value -> ids
    shown: dict[str, str] = {}  # thing -> the word as first written
    dates: dict[str, set[str]] = defaultdict(set)  # date -> ids
    dating: set[str] = set()
    quotes: dict[str, list[tuple[str, str]]] = defaultdict(list)  # speaker -> (quote, id)
    speakers: dict[str, str] = {}
    for article in articles:
        stem = stemmer(article.lang)
        kept = content_paragraphs(without_chrome(list(article.paragraphs))[0])
        for paragraph in [article.title, *kept]:
            for sentence in _SENTENCE.split(paragraph):
                for match in NUMBER.finditer(sentence):
                    number = number_key(match.group())
                    after = WORD.findall(sentence[match.end():])[:1]
                    before = WORD.findall(sentence[:match.start()])[-1:]
                    if not number or not after or _YEAR.match(number):
                        continue
                    if fold(after[0]) in MONTHS or (before and fold(before[0]) in MONTHS):
                        continue  # a day of a date
                    word = after[0]
                    if not word.isalpha() or len(word) < 3:
                        continue
                    thing = stem(word.lower()) if stem else fold(word)
                    numbers[thing][number].add(article.id)
                    shown.setdefault(thing, word.lower())
                for quote in QUOTE.finditer(sentence):
                    outside = sentence[:quote.start()] + " " + sentence[quote.end():]
                    for key, word in names_in(outside):  # quotes are translated: compared within a language
                        quotes[f"{article.lang}:{key}"].append((quote.group(1).strip(), article.id))
                        speakers.setdefault(f"{article.lang}:{key}", word)
        named = {d for d in extract(article.title, article.paragraphs, article.lang).dates if not d.startswith("y")}
        if named:
            dating.add(article.id)
        for d in named:
            dates[d].add(article.id)

    def value_of(text: str, ids) -> Value:
        ids = sorted(ids, key=lambda i: order[i])
        return Value(text, tuple(ids), tuple(dict.fromkeys(summaries[i].source or i for i in ids)))

    order = {a.id: k for k, a in enumerate(articles)}
    found: list[Disagreement] = []
    seen_splits: dict[tuple, int] = {}
    for thing, values in numbers.items():
        speaking = set().union(*values.values())
        differing = {v: ids for v, ids in values.items() if ids != speaking}
        if len(speaking) < 2 or len(differing) < 2:
            continue
        split = tuple(sorted((v, tuple(sorted(ids))) for v, ids in differing.items()))
        if split in seen_splits:  # "42 injured" and "42 people": one disagreement about both words
            k = seen_splits[split]
            found[k] = Disagreement("number", f"{found[k].about} / {shown[thing]}", found[k].values)
            continue
        seen_splits[split] = len(found)
        found.append(Disagreement("number", shown[thing], tuple(
            value_of(v, ids) for v, ids in sorted(differing.items(), key=lambda kv: _as_number(kv[0])))))
    differing_dates = {d: ids for d, ids in dates.items() if ids != dating}
    if len(dating) >= 2 and len(differing_dates) >= 2:
        found.append(Disagreement("date", "", tuple(value_of(show_date(d), ids)
                                                    for d, ids in sorted(differing_dates.items()))))
    for key, said in quotes.items():
        by_report: dict[str, list[str]] = defaultdict(list)
        for text, article_id in said:
            by_report[article_id].append(text)
        if len(by_report) < 2:
            continue
        lone = [(text, i) for i, texts in by_report.items() for text in texts
                if not any(same_quote(text, other) for j, others in by_report.items() if j != i for other in others)]
        if len({i for _, i in lone}) >= 2:
            found.append(Disagreement("quote", speakers[key], tuple(value_of(text, [i]) for text, i in lone)))
    return found


def _as_number(value: str):
    try:
        return (0, float(value))
    except ValueError:
        return (1, value)
