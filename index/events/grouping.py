"""From links to event groups, without chaining.

Links are taken strongest first; a link merges two groups only when the groups agree on
average (the mean probability over every pair across them), so a chain a-b, b-c, c-d through a
long story stops where its ends no longer agree, while five reports of one accident, which all
agree, become one event of five. Republications and rewrites are flagged on the way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

GROUP_AGREEMENT = 0.35  # mean probability across two groups needed to merge them
DUPLICATE = 0.8  # Jaccard of word shingles: the same text republished
REWRITE = 0.15  # shingle containment: one report rewritten from the other
AGREEMENT_SAMPLE = 40  # members of each side compared at most (large groups: a fixed sample)


@dataclass
class Group:
    members: list[int]
    duplicates: dict[int, int] = field(default_factory=dict)  # member -> the article it republishes
    rewrites: dict[int, int] = field(default_factory=dict)  # member -> the article it rewrites


def group(links: list[tuple[int, int, float]], agreement: Callable[[list[int], list[int]], float],
          overlap: Callable[[int, int], tuple[float, float]], first: Callable[[int], Any]) -> list[Group]:
    """Groups of more than one article. `agreement(left, right)` the mean probability over every
    pair across two lists of articles, `overlap(a, b)` the (Jaccard, containment) of their
    shingles, `first(i)` orders articles (the earlier one is the original of a republication)."""
    parent: dict[int, int] = {}
    members: dict[int, list[int]] = {}
    # Two groups found to disagree, as (root, size) of each: groups only grow, so the same two
    # are asked again by every other link between them (a long story has many) and still disagree.
    disagreeing: set[tuple[int, int, int, int]] = set()

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    accepted = []
    for a, b, _probability in links:
        for row in (a, b):
            if row not in parent:
                parent[row], members[row] = row, [row]
        ra, rb = root(a), root(b)
        if ra != rb:
            left, right = members[ra][:AGREEMENT_SAMPLE], members[rb][:AGREEMENT_SAMPLE]
            if len(left) * len(right) > 1:
                state = min((ra, len(members[ra]), rb, len(members[rb])), (rb, len(members[rb]), ra, len(members[ra])))
                if state in disagreeing:
                    continue
                if agreement(left, right) < GROUP_AGREEMENT:
                    disagreeing.add(state)
                    continue
            if len(members[ra]) < len(members[rb]):
                ra, rb = rb, ra
            parent[rb] = ra
            members[ra].extend(members.pop(rb))
        accepted.append((a, b))
    groups: dict[int, Group] = {}
    for a, b in accepted:
        g = groups.setdefault(root(a), Group(sorted(members[root(a)], key=first)))
        jaccard, containment = overlap(a, b)
        if jaccard >= DUPLICATE or containment >= REWRITE:
            original, copy = sorted((a, b), key=first)
            if copy not in g.duplicates and copy not in g.rewrites:
                (g.duplicates if jaccard >= DUPLICATE else g.rewrites)[copy] = original
    return list(groups.values())
