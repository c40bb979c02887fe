"""Who covered an event and who has not yet: its languages, sources and (where the reader's
sources.toml says) countries, first and last report; and the blindspots: the subscribed feeds
and the library's languages with no report in it. Nothing is guessed: an outlet's country,
owner and labels come from outlets.py only."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .outlets import Outlet, facts_for


@dataclass(frozen=True)
class OutletCoverage:
    name: str  # the source's name as its articles carry it (or the feed's name)
    reports: int
    facts: Outlet | None = None  # from sources.toml

    def to_json(self) -> dict:
        data = {"name": self.name, "reports": self.reports}
        data.update(self.facts.to_json() if self.facts else {"country": None, "owner": None, "labels": []})
        return data


@dataclass(frozen=True)
class Coverage:
    languages: dict[str, int]  # language -> reports
    sources: list[OutletCoverage]  # most reports first
    countries: dict[str, int]  # country (where sources.toml gives it) -> reports
    first: str | None  # the dates of the first and last report
    last: str | None
    missing_feeds: list[str] = field(default_factory=list)  # subscribed feeds (names) with no report in it
    missing_languages: list[str] = field(default_factory=list)  # the library's languages with none

    def to_json(self) -> dict:
        return {"languages": self.languages, "sources": [s.to_json() for s in self.sources],
                "countries": self.countries, "dates": {"first": self.first, "last": self.last},
                "not_covered_by": {"feeds": self.missing_feeds, "languages": self.missing_languages}}


def coverage(summaries, feeds_of: dict[str, list[tuple[str, str]]], subscriptions: list[tuple[str, str]],
             library_languages, outlets: dict[str, Outlet]) -> Coverage:
    """`summaries`: the event's reports (ArticleSummary); `feeds_of`: article id -> the (name,
    URL) of the subscriptions that brought it; `subscriptions`: every (name, URL) subscribed."""
    languages = Counter(s.lang for s in summaries)
    by_outlet: Counter[str] = Counter()
    facts: dict[str, Outlet | None] = {}
    countries: Counter[str] = Counter()
    for s in summaries:
        feeds = feeds_of.get(s.id, [])
        name = s.source or (feeds[0][0] if feeds else "")
        if not name:
            continue
        by_outlet[name] += 1
        found = facts_for(outlets, s.source, *(n for n, _ in feeds), *(u for _, u in feeds))
        facts.setdefault(name, found)
        if found is not None and found.country:
            countries[found.country] += 1
    dates = sorted(s.date for s in summaries if s.date)
    covering = {url for s in summaries for _, url in feeds_of.get(s.id, [])}
    return Coverage(
        languages=dict(sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))),
        sources=[OutletCoverage(name, n, facts.get(name)) for name, n in sorted(by_outlet.items(),
                                                                                 key=lambda kv: (-kv[1], kv[0]))],
        countries=dict(sorted(countries.items(), key=lambda kv: (-kv[1], kv[0]))),
        first=dates[0] if dates else None, last=dates[-1] if dates else None,
        missing_feeds=sorted(name for name, url in subscriptions if url not in covering),
        missing_languages=sorted(set(library_languages) - set(languages)))
