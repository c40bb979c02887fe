"""Events as a derived view: which visible articles report the same event, kept in the
catalog's event tables.

Features are computed when an article is prepared (in the ingest workers) and kept in
`event_features`. A change that adds, changes or removes articles gives each new article an
event of its own and marks the events stale; the library then builds them once the change
has committed (`ensure`), from the stored features: candidate pairs, hubs, links, groups
(model.py, grouping.py). The pairs and hubs are kept, so `related` and `compare` only read.
Event ids persist: a group that holds most of an old event's members keeps its id (a merge
keeps the older id), and an id merged away is kept as an alias of where it went.
"""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from ..article import content_hash
from ..catalog import Catalog
from ..changes import Change, ChangeSet
from ..memory import return_freed_arrays
from ..names import is_latin
from . import similarity as scoring
from .chrome import LINE_REPEATS
from .features import (
    Features,
    Lines,
    Naming,
    distinct,
    extract,
    pack,
    shingle_overlap,
    unpack,
    unpack_lines,
    unpack_naming,
)
from .grouping import Group, group
from .model import (
    CANDIDATES,
    LINK,
    ArticleRows,
    EventModel,
    candidate_limit,
    index_keys,
)

# Bump when features, scoring or grouping change: events are rebuilt. 4: features a build had
# computed were stored without their n-grams (the rebuild computes them again).
EVENTS_VERSION = "4"
FEATURES_VERSION = "6"  # bump when the stored features change (their keys, their encoding)
LABEL_NAMES = 3
INCREMENTAL_LIMIT = 200  # articles a change may touch for the events to be updated inside it


@dataclass(frozen=True)
class Event:
    id: str
    label: str
    members: tuple[str, ...]  # article ids, earliest first
    languages: tuple[str, ...]
    sources: tuple[str, ...]
    first_date: str | None
    last_date: str | None
    roles: dict[str, tuple[str, str]]  # article id -> ("duplicate" | "rewrite", of article id)

    @property
    def size(self) -> int:
        return len(self.members)

    def to_json(self) -> dict:
        return {
            "id": self.id, "label": self.label, "members": list(self.members), "languages": list(self.languages),
            "sources": list(self.sources), "dates": {"first": self.first_date, "last": self.last_date},
            "size": self.size,
            "flags": {article: {"role": role, "of": of} for article, (role, of) in self.roles.items()},
        }


@dataclass(frozen=True)
class Related:
    id: str
    score: float  # the probability that both report one event
    same_event: bool  # grouped into one event
    similarity: float | None = None  # how much the two reports share (similarity.py)


@dataclass
class Plan:
    """A whole library's grouping, worked out from what was committed when it started."""
    ids: list[str]
    summaries: list
    groups: list[Group]
    labels: list[str]  # of each group
    model: EventModel
    new_features: dict[str, bytes]  # computed (packed) for articles that had none kept: stored with the plan


class EventsView:
    name = "events"

    def __init__(self, catalog: Catalog, folder: Path):
        self._catalog = catalog
        self._folder = folder  # events/ beside the catalog (models of earlier versions lived there)

    # -- inside a change --------------------------------------------------------------------
    def stage(self, change: Change, article_id: str, features: Features) -> None:
        """Keep an article's features (computed by an ingest worker)."""
        self._store_features(article_id, features)

    def apply(self, change: Change, changes: ChangeSet) -> None:
        """A few articles come or go: their events are updated at once, inside the change (each
        new article is scored against its candidates, found through `event_keys`, and only the
        events it reaches are grouped again). Many, or events that are stale already: new
        articles get an event of their own for now, and the events are built again once the
        change has committed (`ensure`)."""
        touched = changes.added | changes.changed | changes.removed
        if not touched:
            return
        if not self.stale() and len(touched) <= INCREMENTAL_LIMIT:
            self._update(sorted(changes.added | changes.changed), sorted(changes.removed | changes.changed))
            return
        db = self._catalog.db
        self._forget(sorted(changes.removed | changes.changed))
        summaries = {s.id: s for s in self._catalog.summaries(sorted(changes.added | changes.changed))}
        db.executemany("INSERT OR REPLACE INTO event_members (article_id, event_id, role, of_article)"
                       " VALUES (?, ?, 'member', NULL)", [(i, _own_id(i)) for i in sorted(summaries)])
        db.executemany("INSERT OR REPLACE INTO events (id, label, size, languages, sources, first_date, last_date)"
                       " VALUES (?, ?, 1, ?, ?, ?, ?)",
                       [(_own_id(i), s.title, json.dumps([s.lang]), json.dumps([s.source] if s.source else []),
                         s.date, s.date) for i, s in summaries.items()])
        db.execute("DELETE FROM events WHERE id NOT IN (SELECT event_id FROM event_members)")
        self._catalog.set_meta("events_version", "")

    def _forget(self, ids: list[str]) -> None:
        """Articles that left (or changed): out of their events, pairs, hubs and keys."""
        db = self._catalog.db
        db.executemany("DELETE FROM event_members WHERE article_id = ?", [(i,) for i in ids])
        db.executemany("DELETE FROM event_pairs WHERE a = ? OR b = ?", [(i, i) for i in ids])
        db.executemany("DELETE FROM event_hubs WHERE article_id = ?", [(i,) for i in ids])
        db.executemany("DELETE FROM event_keys WHERE article_id = ?", [(i,) for i in ids])

    def _update(self, new: list[str], gone: list[str]) -> None:
        """The incremental update of `apply`: score the new articles against their candidates,
        then group again the articles of every event they (or the ones that left) reach."""
        db = self._catalog.db
        were_in = self.event_ids_of(gone)
        reached = set(were_in.values())
        self._forget(gone)
        summaries = {s.id: s for s in self._catalog.summaries(new)}
        new = [i for i in new if i in summaries]
        glosses = self._catalog.glosses(new)
        features = {i: self._features(self._catalog.get(i), glosses) for i in new}
        keys = {i: index_keys(features[i]) for i in new}
        self._store_keys(keys)
        candidates = {i: self._candidates_of(i, keys[i]) for i in new}
        ids = list(dict.fromkeys(new + [c for found in candidates.values() for c in found]))
        model, row = self._local_model(ids, features)
        pairs = {(min(row[i], row[c]), max(row[i], row[c])) for i in new for c in candidates[i]}
        pairs |= {(min(row[a], row[b]), max(row[a], row[b])) for a in new for b in new if a < b}
        # Pairs kept from before (two new articles both candidates of a third) are not scored again.
        order = sorted(pair for pair in pairs if pair not in model.pairs)
        model.score(order)
        values = model.pairs.lookup(np.array([a for a, _ in order], dtype=np.int64),
                                    np.array([b for _, b in order], dtype=np.int64))
        scored = [(a, b, v) for (a, b), v in zip(order, values.tolist(), strict=True)]
        db.executemany("INSERT INTO event_pairs (a, b, evidence) VALUES (?, ?, ?)",
                       [(ids[a], ids[b], v) for a, b, v in scored])
        linked = {ids[b if ids[a] in summaries else a] for a, b, v in scored if scoring.probability(v) >= LINK}
        reached |= set(self.event_ids_of(sorted(linked)).values())
        members = set(new)
        for event_id in reached:
            members.update(a for (a,) in db.execute("SELECT article_id FROM event_members WHERE event_id = ?",
                                                      (event_id,)))
        self._regroup(sorted(members), reached)
        # A changed article's old event, if it is gone now (it had no other member left to
        # carry its id), answers under the event the article is in now.
        now_in = self.event_ids_of([a for a in were_in if a in summaries])
        db.executemany("INSERT OR IGNORE INTO event_aliases (old_id, new_id) SELECT ?, ? WHERE NOT EXISTS"
                       " (SELECT 1 FROM events WHERE id = ?)",
                       [(were_in[a], now_in[a], were_in[a]) for a in now_in if were_in[a] != now_in[a]])

    def _candidates_of(self, article_id: str, index: np.ndarray) -> list[str]:
        """The articles that share most of the new article's rarest features (each feature in at
        most model.candidate_limit articles)."""
        keys = [int(k) for k in index]
        if not keys:
            return []
        db = self._catalog.db
        limit = candidate_limit(self._catalog.count())
        counts: Counter[str] = Counter()
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            marks = ",".join("?" * len(chunk))
            rare = [k for k, n in db.execute(f"SELECT key, COUNT(*) FROM event_keys WHERE key IN ({marks})"
                                             " GROUP BY key", chunk) if n <= limit]
            for k in range(0, len(rare), 500):
                part = rare[k:k + 500]
                counts.update(a for (a,) in db.execute(
                    f"SELECT article_id FROM event_keys WHERE key IN ({','.join('?' * len(part))})", part)
                    if a != article_id)
        return [a for a, _ in counts.most_common(CANDIDATES)]

    def _store_keys(self, keys: dict[str, np.ndarray]) -> None:
        """Each new article's index keys (model.index_keys), once each."""
        self._catalog.db.executemany("INSERT INTO event_keys (key, article_id) VALUES (?, ?)",
                                     [(int(k), i) for i, found in keys.items() for k in distinct(found).tolist()])

    def _local_model(self, ids: list[str], known: dict[str, Features] | None = None) -> tuple[EventModel, dict]:
        """A model over some articles (their stored features), with the pairs kept among them."""
        summaries = {s.id: s for s in self._catalog.summaries(ids)}
        ids[:] = [i for i in ids if i in summaries]
        glosses = self._catalog.glosses(ids)
        features = [(known or {}).get(i) or self._stored(i) or self._features(self._catalog.get(i), glosses)
                    for i in ids]
        model = EventModel(features, [summaries[i].date for i in ids])
        row = {article_id: k for k, article_id in enumerate(ids)}
        kept: dict[tuple[int, int], float] = {}
        for start in range(0, len(ids), 400):
            chunk = ids[start:start + 400]
            marks = ",".join("?" * len(chunk))
            for a, b, v in self._catalog.db.execute(
                    f"SELECT a, b, evidence FROM event_pairs WHERE a IN ({marks}) OR b IN ({marks})", chunk + chunk):
                if a in row and b in row:
                    kept[(min(row[a], row[b]), max(row[a], row[b]))] = v
        if kept:
            model.pairs.update(np.array([a for a, _ in kept]), np.array([b for _, b in kept]), np.array(list(kept.values())))
        return model, row

    def _regroup(self, members: list[str], old_events: set[str]) -> None:
        """Group `members` (the articles of the events a change reached, and the new ones) again,
        with every pair any of them is in, so each ranks its matches as a full build would."""
        db = self._catalog.db
        neighbours: set[str] = set()
        for start in range(0, len(members), 400):
            chunk = members[start:start + 400]
            marks = ",".join("?" * len(chunk))
            for a, b in db.execute(f"SELECT a, b FROM event_pairs WHERE a IN ({marks}) OR b IN ({marks})",
                                   chunk + chunk):
                neighbours.update((a, b))
        ids = list(dict.fromkeys(members + sorted(neighbours)))
        model, row = self._local_model(ids)
        model.set_hubs()
        inside = {row[m] for m in members if m in row}
        links = [(a, b, p) for a, b, p in model.links() if a in inside and b in inside]
        summaries = {s.id: s for s in self._catalog.summaries(ids)}
        groups = group(links, model.agreement, lambda a, b: shingle_overlap(model.features[a], model.features[b]),
                       lambda r: _first(model, summaries[ids[r]], ids[r], r))
        scope = sorted(inside)
        labels = [label_of([model.features[r] for r in g.members]) for g in groups]
        self._write([ids[r] for r in scope], [summaries[ids[r]] for r in scope],
                    _renumbered(groups, {r: k for k, r in enumerate(scope)}), labels, old_events=old_events)
        db.executemany("INSERT OR REPLACE INTO event_hubs (article_id, hub) VALUES (?, ?)",
                       [(ids[r], float(model.hubs[r])) for r in scope if model.hubs[r] != 0])

    def cancel(self, change: Change) -> None:
        pass

    # -- building -------------------------------------------------------------------------
    def _stored(self, article_id: str) -> Features | None:
        row = self._catalog.db.execute("SELECT features FROM event_features WHERE article_id = ? AND version = ?",
                                       (article_id, FEATURES_VERSION)).fetchone()
        if row is None:
            return None
        try:
            return unpack(row[0])
        except ValueError:
            return None  # damaged: computed again from the text

    def _features(self, article, glosses: dict[str, str], chrome: frozenset[int] = frozenset(),
                  *, fresh: bool = False, pending: dict[str, bytes] | None = None) -> Features:
        """An article's stored features, or computed (and stored, or kept packed in `pending` to
        be stored later) when missing, or `fresh` (its source's repeated lines, `chrome`, changed).
        Kept ones are returned as they will be read back (packed and unpacked), so a build reads
        the same features whether they were computed now or before."""
        features = None if fresh else self._stored(article.id)
        if features is None:
            features = extract(article.title, article.paragraphs, article.lang, glosses.get(article.id), chrome)
            if pending is None:
                self._store_features(article.id, features)
            else:
                pending[article.id] = pack(features)
                features = unpack(pending[article.id])
        return features

    def _store_features(self, article_id: str, features: Features | bytes) -> None:
        self._catalog.db.execute(
            "INSERT OR REPLACE INTO event_features (article_id, version, features) VALUES (?, ?, ?)",
            (article_id, FEATURES_VERSION, features if isinstance(features, bytes) else pack(features)))

    def stale(self) -> bool:
        return self._catalog.get_meta("events_version") != EVENTS_VERSION

    def ensure(self) -> None:
        """Build the events when a change (or an upgrade) left them stale."""
        if self.stale():
            self.rebuild()

    def rebuild(self) -> None:
        """Score and group every visible article, reading and writing under the caller's lock."""
        plan = self.plan()
        with self._catalog.transaction():
            self.write(plan)

    def plan(self) -> Plan:
        """Score and group every visible article: reads only, so it needs neither the lock nor
        a transaction (the library checks that nothing was committed meanwhile, `write`).

        Two passes over the stored features: the first reads only their paragraph hashes, to find
        the articles whose features must be computed again (their source's repeated lines
        changed); the second moves what the model reads of each article (n-grams, names, numbers,
        dates) into its rows as it is read, so a whole library's features are never held whole
        (only their shingles stay, for the duplicate flags); the labels read the names again, for
        the grouped articles only."""
        return_freed_arrays()  # memory.py: the arrays a build frees would stay in the process
        summaries = self._catalog.summaries()
        ids = [s.id for s in summaries]
        glosses = self._catalog.glosses() if self._catalog.has_glosses() else {}
        pending: dict[str, bytes] = {}
        stored = self._stored_lines()
        lines, left_out = [], []
        for s in summaries:
            kept = stored.pop(s.id, None) or self._features(self._catalog.get(s.id), glosses, pending=pending)
            lines.append(kept.lines)
            left_out.append(kept.left_out)
        del stored
        fresh = _chrome_changes(summaries, lines, left_out)
        del lines, left_out
        rows, features = ArticleRows(), []
        for k, s in enumerate(summaries):
            read = None if k in fresh else unpack(pending[s.id]) if s.id in pending else self._stored(s.id)
            f = read or self._features(self._catalog.get(s.id), glosses, fresh.get(k, frozenset()), fresh=True,
                                       pending=pending)
            rows.add(f, s.date)
            features.append(f)
        model = EventModel(features, [s.date for s in summaries], rows)
        model.build()
        groups = group(model.links(), model.agreement, lambda a, b: shingle_overlap(features[a], features[b]),
                       lambda row: _first(model, summaries[row], ids[row], row))
        model.release_matrices()
        labels = [label_of(naming) for naming in self._namings([[ids[r] for r in g.members] for g in groups], pending)]
        return Plan(ids, summaries, groups, labels, model, pending)

    def _stored_lines(self) -> dict[str, Lines]:
        """Every stored article's paragraph hashes (features.Lines), read in one pass."""
        found = {}
        for article_id, blob in self._catalog.db.execute(
                "SELECT article_id, features FROM event_features WHERE version = ?", (FEATURES_VERSION,)):
            try:
                found[article_id] = unpack_lines(blob)
            except ValueError:
                continue  # damaged: computed again from the text
        return found

    def _namings(self, groups: list[list[str]], pending: dict[str, bytes]):
        """Each group's members' names (features.Naming), read again group by group."""
        for members in groups:
            found = {i: unpack_naming(pending[i]) for i in members if i in pending}
            wanted = [i for i in members if i not in found]
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                for article_id, blob in self._catalog.db.execute(
                        f"SELECT article_id, features FROM event_features WHERE version = ? AND article_id IN"
                        f" ({','.join('?' * len(chunk))})", [FEATURES_VERSION, *chunk]):
                    try:
                        found[article_id] = unpack_naming(blob)
                    except ValueError:
                        continue
            yield [found[i] for i in members if i in found]

    def write(self, plan: Plan) -> None:
        """Write a planned grouping (inside the caller's transaction, under the lock)."""
        if self._folder.exists():  # the saved scoring model of versions before 9: nothing reads it now
            shutil.rmtree(self._folder, ignore_errors=True)
        for article_id, packed in plan.new_features.items():
            self._store_features(article_id, packed)
        self._write(plan.ids, plan.summaries, plan.groups, plan.labels, plan.model)
        self._catalog.set_meta("events_version", EVENTS_VERSION)

    # -- writing the groups -----------------------------------------------------------------
    def _write(self, ids: list[str], summaries, groups: list[Group], labels: list[str],
               model: EventModel | None = None, old_events: set[str] | None = None) -> None:
        """Write the events of `ids` (all articles with `model`, after a full build; else the
        articles of `old_events` and the new ones): `groups` (rows of `ids`) with their `labels`,
        every other article an event of its own, keeping the ids of the events they continue."""
        db = self._catalog.db
        by_id = {s.id: s for s in summaries}
        old_members: dict[str, list[str]] = {}
        if old_events is None:
            rows = db.execute("SELECT article_id, event_id FROM event_members").fetchall()
        else:
            rows = [(a, e) for e in sorted(old_events)
                    for (a,) in db.execute("SELECT article_id FROM event_members WHERE event_id = ?", (e,))]
        for article_id, event_id in rows:
            old_members.setdefault(event_id, []).append(article_id)
        old_of = {a: e for e, members in old_members.items() for a in members}
        grouped: set[int] = set()
        member_rows: list[tuple] = []
        event_rows: list[tuple] = []
        planned: list[tuple[list[str], Group | None, str]] = []
        for k in sorted(range(len(groups)), key=lambda k: -len(groups[k].members)):
            grouped.update(groups[k].members)
            planned.append(([ids[r] for r in groups[k].members], groups[k], labels[k]))
        planned += [([ids[r]], None, "") for r in range(len(ids)) if r not in grouped]
        row_of = {article_id: row for row, article_id in enumerate(ids)}
        # The ids taken: by the groups so far, and by events outside the ones written again (a
        # set grown in place: a copy per group made a 100,000-article write quadratic, 80 s).
        taken: set[str] = set() if old_events is None else \
            {e for (e,) in db.execute("SELECT id FROM events")} - set(old_events)
        for members, g, label in planned:
            event_id = _continued_id(members, old_of, old_members, taken)
            taken.add(event_id)
            for r_id in members:
                row = row_of[r_id]
                role, of = "member", None
                if g is not None:
                    if row in g.duplicates:
                        role, of = "duplicate", ids[g.duplicates[row]]
                    elif row in g.rewrites:
                        role, of = "rewrite", ids[g.rewrites[row]]
                member_rows.append((r_id, event_id, role, of))
            event_rows.append(self._event_row(event_id, members, label, by_id))
        aliases = [(old, new) for old, new in _where_they_went(old_members, member_rows, taken)]
        if old_events is None:
            db.execute("DELETE FROM event_members")
            db.execute("DELETE FROM events")
        else:
            db.executemany("DELETE FROM event_members WHERE article_id = ?", [(i,) for i in ids])
            db.executemany("DELETE FROM events WHERE id = ?", [(e,) for e in old_events])
        db.executemany("INSERT OR REPLACE INTO event_members (article_id, event_id, role, of_article)"
                       " VALUES (?, ?, ?, ?)", member_rows)
        db.executemany("INSERT OR REPLACE INTO events (id, label, size, languages, sources, first_date, last_date)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)", event_rows)
        db.executemany("INSERT OR REPLACE INTO event_aliases (old_id, new_id) VALUES (?, ?)", aliases)
        db.execute("DELETE FROM event_aliases WHERE old_id IN (SELECT id FROM events)")
        if model is None:
            return
        # Millions of rows: the indexes of the two large tables are made again after them (one
        # sort each) rather than kept up row by row (half of a 30,000-article write).
        indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                             " AND tbl_name IN ('event_pairs', 'event_keys')").fetchall()
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        db.execute("DELETE FROM event_pairs")
        db.executemany("INSERT INTO event_pairs (a, b, evidence) VALUES (?, ?, ?)",
                       ((ids[a], ids[b], v) for a, b, v in model.pairs))
        db.execute("DELETE FROM event_hubs")
        db.executemany("INSERT INTO event_hubs (article_id, hub) VALUES (?, ?)",
                       [(ids[r], float(h)) for r, h in enumerate(model.hubs) if h != 0])
        db.execute("DELETE FROM event_keys")
        db.executemany("INSERT INTO event_keys (key, article_id) VALUES (?, ?)",
                       ((int(k), i) for i, keys in zip(ids, model.keys, strict=True) for k in distinct(keys).tolist()))
        for _, sql in indexes:
            db.execute(sql)

    def _event_row(self, event_id: str, ids: list[str], label: str, summaries) -> tuple:
        members = [summaries[i] for i in ids if i in summaries]
        dates = sorted(s.date for s in members if s.date)
        languages = sorted({s.lang for s in members})
        sources = sorted({s.source for s in members if s.source})
        if len(members) < 2 or not label:
            label = members[0].title if members else ""
        return (event_id, label, len(members), json.dumps(languages), json.dumps(sources, ensure_ascii=False),
                dates[0] if dates else None, dates[-1] if dates else None)

    # -- reading ----------------------------------------------------------------------------
    def events(self, *, lang: str | None = None, min_size: int = 1) -> list[Event]:
        """Events, largest first, then newest."""
        rows = self._catalog.db.execute(
            "SELECT id, label, size, languages, sources, first_date, last_date FROM events WHERE size >= ?"
            " ORDER BY size DESC, COALESCE(last_date, '') DESC, id", (min_size,)).fetchall()
        members = self._members([row[0] for row in rows])
        found = []
        for event_id, label, _size, languages, sources, first, last in rows:
            langs = tuple(json.loads(languages))
            if lang and lang not in langs:
                continue
            ids, roles = members.get(event_id, ((), {}))
            found.append(Event(event_id, label, ids, langs, tuple(json.loads(sources)), first, last, roles))
        return found

    def _members(self, event_ids: list[str]) -> dict[str, tuple[tuple[str, ...], dict]]:
        found: dict[str, list] = {}
        roles: dict[str, dict] = {}
        for start in range(0, len(event_ids), 500):
            chunk = event_ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            for article_id, event_id, role, of in self._catalog.db.execute(
                    "SELECT m.article_id, m.event_id, m.role, m.of_article FROM event_members m"
                    " JOIN articles a ON a.id = m.article_id"
                    f" WHERE m.event_id IN ({marks}) ORDER BY COALESCE(a.date, '9999'), a.id", chunk):
                found.setdefault(event_id, []).append(article_id)
                if role != "member":
                    roles.setdefault(event_id, {})[article_id] = (role, of)
        return {e: (tuple(ids), roles.get(e, {})) for e, ids in found.items()}

    def event_of(self, article_id: str) -> Event | None:
        row = self._catalog.db.execute("SELECT event_id FROM event_members WHERE article_id = ?",
                                       (article_id,)).fetchone()
        if row is None:
            return None
        return self.event(row[0])

    def _events_by_id(self, event_ids: list[str]) -> list[Event]:
        members = self._members(event_ids)
        found = []
        for event_id in event_ids:
            row = self._catalog.db.execute(
                "SELECT id, label, size, languages, sources, first_date, last_date FROM events WHERE id = ?",
                (event_id,)).fetchone()
            if row is None:
                continue
            ids, roles = members.get(event_id, ((), {}))
            found.append(Event(row[0], row[1], ids, tuple(json.loads(row[3])), tuple(json.loads(row[4])),
                               row[5], row[6], roles))
        return found

    def event(self, event_id: str) -> Event | None:
        found = self._events_by_id([event_id])
        return found[0] if found else None

    def event_ids(self) -> dict[str, str]:
        """article id -> event id, for every visible article."""
        return dict(self._catalog.db.execute("SELECT article_id, event_id FROM event_members"))

    def event_ids_of(self, ids: list[str]) -> dict[str, str]:
        found: dict = {}
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), 500):  # SQLite caps the number of parameters
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._catalog.db.execute(
                f"SELECT article_id, event_id FROM event_members WHERE article_id IN ({marks})", chunk))
        return found

    def resolve(self, event_id: str) -> str:
        """The id an event has now: an id merged away answers with the event it went to."""
        for _ in range(20):  # aliases chain when events merge again; never loop
            row = self._catalog.db.execute("SELECT new_id FROM event_aliases WHERE old_id = ?", (event_id,)).fetchone()
            if row is None:
                break
            event_id = row[0]
        return event_id

    def related(self, article_id: str, limit: int) -> list[Related]:
        """Other articles by how likely they report the same event, from the scored pairs."""
        db = self._catalog.db
        found = db.execute("SELECT b, evidence FROM event_pairs WHERE a = ? UNION ALL"
                           " SELECT a, evidence FROM event_pairs WHERE b = ?", (article_id, article_id)).fetchall()
        hubs = self._hubs([article_id] + [other for other, _ in found])
        own = self.event_ids_of([article_id]).get(article_id)
        events = self.event_ids_of([other for other, _ in found])
        scored = []
        for other, evidence in found:
            value = evidence - 0.5 * hubs.get(article_id, 0.0) - 0.5 * hubs.get(other, 0.0)
            scored.append(Related(other, round(scoring.probability(value), 4),
                                  own is not None and events.get(other) == own))
        scored.sort(key=lambda r: (-r.score, r.id))
        mine = self._stored(article_id)
        return [replace(r, similarity=round(scoring.similarity(mine, theirs), 4))
                if mine is not None and (theirs := self._stored(r.id)) is not None else r for r in scored[:limit]]

    def _hubs(self, ids: list[str]) -> dict[str, float]:
        found: dict = {}
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._catalog.db.execute(
                f"SELECT article_id, hub FROM event_hubs WHERE article_id IN ({marks})", chunk))
        return found

    def pair(self, a, b) -> tuple[float, float]:
        """(similarity, same_event) of two articles (Articles): their features alone, and the
        hubs the last build measured."""
        glosses = self._catalog.glosses([a.id, b.id])
        fa = self._stored(a.id) or extract(a.title, a.paragraphs, a.lang, glosses.get(a.id))
        fb = self._stored(b.id) or extract(b.title, b.paragraphs, b.lang, glosses.get(b.id))
        model = EventModel([fa, fb], [a.date, b.date])
        hubs = self._hubs([a.id, b.id])
        model.hubs = np.array([hubs.get(a.id, 0.0), hubs.get(b.id, 0.0)], dtype=np.float32)
        if fa.no_report or fb.no_report:
            return round(scoring.similarity(fa, fb), 4), 0.0
        return round(scoring.similarity(fa, fb), 4), round(model.probability(0, 1), 4)


def _chrome_changes(summaries, lines: list[bytes], left_out: list[bytes]) -> dict[int, frozenset[int]]:
    """Paragraphs a source repeats in LINE_REPEATS or more of its articles are chrome: the rows
    whose features left out other lines than these (computed before their source repeated them,
    or since it stopped), with the lines to leave out now."""
    counts: Counter[tuple[str, int]] = Counter()
    for s, held in zip(summaries, lines, strict=True):
        if s.source:
            counts.update((s.source, int(h)) for h in np.frombuffer(held, dtype=np.uint32))
    repeated: dict[str, set[int]] = {}
    for (source, line), count in counts.items():
        if count >= LINE_REPEATS:
            repeated.setdefault(source, set()).add(line)
    changed = {}
    for k, (s, held, out) in enumerate(zip(summaries, lines, left_out, strict=True)):
        now = repeated.get(s.source, set()) & set(np.frombuffer(held, dtype=np.uint32).tolist())
        if now != set(np.frombuffer(out, dtype=np.uint32).tolist()):
            changed[k] = frozenset(now)
    return changed


def _first(model: EventModel, summary, article_id: str, row: int):
    """The order of an event's reports: by trusted day, then by date as given, undated last."""
    return (model.days[row] is None, model.days[row] or 0, summary.date is None, summary.date or "", article_id)


def _renumbered(groups: list[Group], rows: dict[int, int]) -> list[Group]:
    """Groups with their rows taken to another numbering (`rows`: old -> new)."""
    return [Group([rows[m] for m in g.members], {rows[k]: rows[v] for k, v in g.duplicates.items()},
                  {rows[k]: rows[v] for k, v in g.rewrites.items()}) for g in groups]


def _own_id(article_id: str) -> str:
    return "ev-" + content_hash(article_id)[:10]


def _continued_id(members: list[str], old_of: dict[str, str], old_members: dict[str, list[str]],
                  taken: set[str]) -> str:
    """The id of the old event this group continues: the one that gave it most members (the
    older, larger event on a tie), unless a larger group took it already; else a new id."""
    votes = Counter(old_of[m] for m in members if m in old_of)
    for event_id, _ in sorted(votes.items(), key=lambda item: (-item[1], -len(old_members[item[0]]), item[0])):
        if event_id not in taken:
            return event_id
    event_id = _own_id(members[0])
    while event_id in taken or event_id in old_members:
        event_id = "ev-" + content_hash(event_id)[:10]
    return event_id


def _where_they_went(old_members: dict[str, list[str]], member_rows, kept: set[str]):
    """(old id, new id) for each old event whose id is gone: where most of its members went."""
    now = {article_id: event_id for article_id, event_id, _, _ in member_rows}
    for event_id, members in old_members.items():
        if event_id in kept:
            continue
        went = Counter(now[m] for m in members if m in now)
        if went:
            yield event_id, went.most_common(1)[0][0]


def label_of(features: Sequence[Features | Naming], rarity=None) -> str:
    """The names most members share, the most telling first: "Pezeşkiyan · Ashgabat · Putin".
    `rarity(key)` (the library's IDF) ranks names the whole library uses below rarer ones."""
    counts: Counter[str] = Counter()  # how many members name it
    mentions: Counter[str] = Counter()  # how often they name it: the story's subject is named again and again
    for f in features:
        counts.update(set(f.names))
        mentions.update(f.names)
    needed = max(2, (len(features) + 1) // 2)
    shared = [key for key, count in counts.items() if count >= needed]
    if not shared:
        return ""
    weight = {key: counts[key] * (rarity(key) if rarity else 1.0) * (1.0 + math.log(mentions[key]))
              for key in shared}
    chosen = sorted(shared, key=lambda k: (-weight[k], -counts[k], k))[:LABEL_NAMES]
    return " · ".join(_spelling(key, features) for key in chosen)


def _spelling(key: str, features: Sequence[Features | Naming]) -> str:
    """How the name is written most often, preferring Latin script (most readers read it)."""
    spellings = Counter(f.shown_names[key] for f in features if key in f.shown_names)
    pool = [s for s in spellings if is_latin(s)] or list(spellings)
    return min(pool, key=lambda s: (-spellings[s], len(s), s))
