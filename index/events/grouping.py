"""From scored matches to event groups, without chaining.

A link joins two articles when each is the other's best match in its language and the match
is likely enough (a same-language pair needs shared wording, or a higher bar: two reports of a
long story in one language share every name). Links are taken strongest first; a link merges
two groups only when the groups agree on average, so a chain a-b, b-c, c-d across a long story
stops where the ends no longer agree. Republications and rewrites are flagged on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .model import EventModel, Match

SAME_EVENT = 0.5  # probability from which two articles are linked as one event
SAME_LANGUAGE_BAR = 0.9  # same language, no shared wording: a higher bar (story siblings)
GROUP_AGREEMENT = 0.35  # mean probability across two groups needed to merge them


@dataclass
class Group:
    members: list[int]
    duplicates: dict[int, int] = field(default_factory=dict)  # member -> the article it republishes
    rewrites: dict[int, int] = field(default_factory=dict)  # member -> the article it rewrites


def links(model: EventModel, rows: set[int] | None = None) -> list[Match]:
    """The links worth making (among `rows`, or all), strongest first (republications first)."""
    chosen = []
    for a, b in model.links(rows):
        match = model.match(a, b)
        if match.duplicate:
            chosen.append(match)
        elif model.langs[a] == model.langs[b]:
            # Two reports of one story in one language share its every name: a higher bar,
            # rewrites included (a follow-up repeats the background of the first report).
            if match.score >= SAME_LANGUAGE_BAR:
                chosen.append(match)
        elif match.score >= SAME_EVENT:
            chosen.append(match)
    chosen.sort(key=lambda m: (not m.duplicate, -m.score))
    return chosen


def group_model(model: EventModel, rows: set[int] | None = None) -> list[Group]:
    """Groups (of more than one article) of the model's active rows, or of `rows` only."""
    def first(row: int):
        return (model.days[row] is None, model.days[row] or 0, row)

    return group(links(model, rows), lambda a, b: model.match(a, b).score, first)


def group(chosen: list[Match], pair_score: Callable[[int, int], float],
          first: Callable[[int], object]) -> list[Group]:
    """Groups of more than one article; `pair_score(a, b)` is the probability for any pair,
    `first(i)` orders articles (the earlier one is the original of a republication)."""
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    for match in chosen:
        for row in (match.a, match.b):
            parent.setdefault(row, row)
            members.setdefault(row, [row])

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    accepted: list[Match] = []
    for match in chosen:
        ra, rb = root(match.a), root(match.b)
        if ra == rb:
            accepted.append(match)
            continue
        if not match.duplicate:
            pairs = [(x, y) for x in members[ra] for y in members[rb]]
            if len(pairs) > 1 and sum(pair_score(x, y) for x, y in pairs) / len(pairs) < GROUP_AGREEMENT:
                continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))
        accepted.append(match)
    groups: dict[int, Group] = {}
    for match in accepted:
        g = groups.setdefault(root(match.a), Group(sorted(members[root(match.a)], key=first)))
        if match.duplicate or match.rewrite:
            original, copy = sorted((match.a, match.b), key=first)
            (g.duplicates if match.duplicate else g.rewrites)[copy] = original
    return list(groups.values())
