"""An event's reports in time order, each with what it adds that no earlier report said.

The analysis is `compare`'s (events/compare.py, events/features.py): names by their outline
across scripts, numbers by value, dates by month and day, quotes matched by what they mention
(they are translated). A later report "adds" a name, number, date or quote none of the reports
before it gave. "New" is the reader's state: a report not shown in this event's timeline before
and not marked read (`reader_state.timeline_seen`, written when the reader looks: `Library.looked_at`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .catalog import ArticleSummary
from .coverage import Coverage


@dataclass(frozen=True)
class Adds:
    names: list[str] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.names or self.numbers or self.dates or self.quotes)

    def to_json(self) -> dict:
        return {"names": self.names, "numbers": self.numbers, "dates": self.dates, "quotes": self.quotes}


@dataclass(frozen=True)
class Entry:
    article: ArticleSummary
    first: bool  # the event's first report
    new: bool  # not shown in this timeline before, and not read
    adds: Adds  # what no earlier report said (everything it says, for the first)

    def to_json(self) -> dict:
        s = self.article
        return {"id": s.id, "date": s.date, "lang": s.lang, "source": s.source, "title": s.title,
                "first": self.first, "new": self.new, "adds": self.adds.to_json()}


@dataclass(frozen=True)
class Timeline:
    event_id: str
    label: str
    entries: list[Entry]
    coverage: Coverage

    def to_json(self) -> dict:
        return {"id": self.event_id, "label": self.label, "coverage": self.coverage.to_json(),
                "reports": [e.to_json() for e in self.entries]}


def what_each_adds(articles, glosses: dict[str, str]) -> list[Adds]:
    """For each article (in time order), what none of the ones before it said."""
    from .events.compare import number_order, quotes_of, same_quote, show_date
    from .events.features import extract

    said_names: set[str] = set()
    said_numbers: set[str] = set()
    said_dates: set[str] = set()
    said_quotes: list[str] = []
    found = []
    for article in articles:
        f = extract(article.title, article.paragraphs, article.lang, glosses.get(article.id))
        quotes = [q for q in dict.fromkeys(quotes_of(article)) if not any(same_quote(q, o) for o in said_quotes)]
        found.append(Adds(
            names=[f.shown_names[k] for k in sorted(set(f.names) - said_names, key=lambda k: (-f.names[k], k))],
            numbers=sorted(set(f.numbers) - said_numbers, key=number_order),
            dates=[show_date(d) for d in sorted(f.dates - said_dates)],
            quotes=quotes))
        said_names |= set(f.names)
        said_numbers |= set(f.numbers)
        said_dates |= f.dates
        said_quotes += quotes
    return found
