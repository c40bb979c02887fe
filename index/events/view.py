"""Events as a derived view: which visible articles report the same event, kept in the
catalog's event tables and updated from each change's ChangeSet.

Features are computed when an article is prepared (in the ingest workers) and kept in
`event_features`, so a rebuild reads no article twice. The scoring model lives in memory
once built; a change updates it article by article (`EventModel.add` / `remove`) and the
groups are recomputed from its links. A new process builds it from the stored features on
first need. When the grouping code changes (EVENTS_VERSION), or a change touches so many
articles that scoring everything again is cheaper than updating (a large add), the events are
marked stale and rebuilt on first need, never inside the change.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path


from ..article import content_hash
from ..catalog import Catalog
from ..changes import Change, ChangeSet
from ..names import is_latin
from .features import Features, extract, lead_grams, pack, unpack
from .grouping import Group, group_model
from . import model as scoring
from .model import EventModel, day_number

EVENTS_VERSION = "2"  # bump when features, scoring or grouping change: events are rebuilt
FEATURES_VERSION = "5"  # bump when the stored features change (their keys, their encoding)
REBUILD_SHARE = 0.2  # rebuild (on first need) instead of updating when this share of articles changed
LABEL_NAMES = 3


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


class EventsView:
    name = "events"

    def __init__(self, catalog: Catalog, folder: Path):
        self._catalog = catalog
        self._folder = folder  # where the scoring model is saved between processes
        self._model: EventModel | None = None
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}

    # -- inside a change --------------------------------------------------------------------
    def stage(self, change: Change, article_id: str, features: Features) -> None:
        """Keep an article's features (computed by an ingest worker); nothing stays in memory."""
        self._store_features(article_id, features)

    def apply(self, change: Change, changes: ChangeSet) -> None:
        if not (changes.added or changes.changed or changes.removed):
            return
        if self._catalog.get_meta("events_version") != EVENTS_VERSION:
            self._model = None  # stale already: built on first need
            return
        touched = len(changes.added) + len(changes.changed) + len(changes.removed)
        model = self._model or self._load()
        if model is None or (model.changed_since_build + touched) > REBUILD_SHARE * max(len(self._ids), 1):
            # Scoring everything again is the largest cost (time and memory) of a large add:
            # never inside the change. The events are marked stale and built on first need
            # (`ensure`, under the library lock), by whatever asks for them next.
            self._mark_stale()
            return
        self._catalog.db.executemany(
            "INSERT INTO event_log (revision, article_id, op) VALUES (?, ?, ?)",
            [(change.revision, i, "remove") for i in sorted(changes.removed | changes.changed)]
            + [(change.revision, i, "add") for i in sorted(changes.added | changes.changed)])
        touched_rows: set[int] = set()
        for article_id in changes.removed | changes.changed:
            row = self._rows.pop(article_id, None)
            if row is not None:
                touched_rows.add(row)
                touched_rows.update(model.pairs.get(row, {}))
                model.remove(row)
        for article_id in sorted(changes.added | changes.changed):
            article = self._catalog.get(article_id)
            if article is None:
                continue
            row = model.add(self._features(article), day_number(article.date))
            self._ids.append(article_id)
            self._rows[article_id] = row
            touched_rows.add(row)
            touched_rows.update(model.pairs.get(row, {}))
        self._regroup(touched_rows, changes.removed | changes.changed)

    def _regroup(self, touched: set[int], gone: set[str]) -> None:
        """Group again only where a change can reach: the touched rows and everything in the
        events they were in; the rest of the library keeps its events."""
        model = self._model
        ids = [self._ids[r] for r in touched] + sorted(gone)
        old_events = set(self.event_ids_of(ids).values()) if ids else set()
        rows = {r for r in touched if model.active[r]}
        for event_id in old_events:
            for (article_id,) in self._catalog.db.execute(
                    "SELECT article_id FROM event_members WHERE event_id = ?", (event_id,)).fetchall():
                row = self._rows.get(article_id)
                if row is not None and model.active[row]:
                    rows.add(row)
        self._write(group_model(model, rows), rows=rows, replacing=old_events, gone=gone)

    def cancel(self, change: Change) -> None:
        self._model = None  # it may hold rows the rolled-back change added

    # -- building -------------------------------------------------------------------------
    def _stored(self, article_id: str) -> Features | None:
        """An article's stored features, without their n-grams (see features.pack)."""
        row = self._catalog.db.execute("SELECT features FROM event_features WHERE article_id = ? AND version = ?",
                                       (article_id, FEATURES_VERSION)).fetchone()
        return unpack(row[0]) if row is not None else None

    def _features(self, article, glosses: dict[str, str] | None = None, *, store: bool = True) -> Features:
        """An article's features with their n-grams: the stored ones with the n-grams computed
        again (cheaper than keeping them), or all computed (and stored, with `store`).
        `glosses`: the library's glosses, when the caller has them all."""
        gloss = (self._catalog.glosses([article.id]) if glosses is None else glosses).get(article.id)
        features = self._stored(article.id)
        if features is not None:
            features.grams, features.gram_counts = lead_grams(article.title, article.paragraphs, gloss)
            return features
        features = extract(article.title, article.paragraphs, article.lang, gloss)
        if store:
            self._store_features(article.id, features)
        return features

    def _store_features(self, article_id: str, features: Features) -> None:
        self._catalog.db.execute(
            "INSERT OR REPLACE INTO event_features (article_id, version, features) VALUES (?, ?, ?)",
            (article_id, FEATURES_VERSION, pack(features)))

    def _mark_stale(self) -> None:
        """Inside the caller's transaction: the events and the saved model no longer match the
        catalog; the next `ensure` (or `model`) rebuilds them."""
        self._model = None
        self._catalog.set_meta("events_version", "")
        self._catalog.set_meta("events_saved_revision", "")
        self._catalog.db.execute("DELETE FROM event_log")

    def _rebuild(self, revision: int | None = None) -> None:
        """Score and group every visible article from scratch (inside the caller's transaction);
        `revision` is the one the transaction commits as (the current one by default)."""
        summaries = self._catalog.summaries()
        self._ids = [s.id for s in summaries]
        self._rows = {article_id: row for row, article_id in enumerate(self._ids)}
        # One blob at a time (the blobs of a large library add up); missing ones are computed.
        glosses = self._catalog.glosses() if self._catalog.has_glosses() else {}
        features = [self._features(self._catalog.get(s.id), glosses) for s in summaries]
        model = EventModel(features, [day_number(s.date) for s in summaries])
        model.build()
        self._model = model
        self._write(group_model(model))
        self._catalog.set_meta("events_version", EVENTS_VERSION)
        self._save(self._catalog.revision() if revision is None else revision)

    def _save(self, revision: int) -> None:
        """Keep the model for the next process; the catalog records which revision it is."""
        try:
            scoring.save(self._model, self._folder, {"revision": revision, "version": EVENTS_VERSION,
                                                     "ids": self._ids})
        except OSError:  # a full or read-only disk: the next process scores everything again
            self._catalog.set_meta("events_saved_revision", "")
            return
        self._catalog.set_meta("events_saved_revision", str(revision))
        self._catalog.db.execute("DELETE FROM event_log")

    def _load(self) -> EventModel | None:
        """The saved model, brought up to date from the change log; None when there is none
        that matches this catalog (then the caller scores everything again)."""
        saved = self._catalog.get_meta("events_saved_revision")
        if not saved:
            return None
        try:
            settings = json.loads((self._folder / "model.json").read_text(encoding="utf-8"))
            if str(settings["revision"]) != saved or settings["version"] != EVENTS_VERSION:
                return None
            ids = list(settings["ids"])
            features = [self._stored(article_id) or Features("und") for article_id in ids]
            model, _ = scoring.load(self._folder, features)
        except (OSError, ValueError, KeyError, TypeError, sqlite3.DatabaseError):
            return None
        self._model, self._ids = model, ids
        self._rows = {article_id: row for row, article_id in enumerate(ids) if model.active[row]}
        for article_id, op in self._catalog.db.execute(
                "SELECT article_id, op FROM event_log ORDER BY rowid").fetchall():
            if op == "remove":
                row = self._rows.pop(article_id, None)
                if row is not None:
                    model.remove(row)
            else:
                article = self._catalog.get(article_id)
                if article is not None:
                    self._rows[article_id] = model.add(self._features(article), day_number(article.date))
                    self._ids.append(article_id)
        return model

    def ensure(self) -> None:
        """Build the events of a library that has none yet (upgraded, from before events, or
        stale after a large change)."""
        if self._catalog.get_meta("events_version") == EVENTS_VERSION:
            return
        with self._catalog.transaction():
            if self._catalog.get_meta("events_version") != EVENTS_VERSION:  # another process may have
                self._rebuild()

    def rebuild(self) -> None:
        with self._catalog.transaction():
            self._rebuild()

    def model(self, *, write: bool = True) -> EventModel:
        """The scoring model: the saved one, or built from the stored features, on first need.
        `write=False` (another process is changing the library, or it is read-only): built in
        memory only; nothing is written or saved."""
        if self._catalog.get_meta("events_version") != EVENTS_VERSION:
            self._model = None  # marked stale (by a large change, maybe in another process)
        if self._model is None and self._load() is None:
            if write:
                self.rebuild()
            else:
                summaries = self._catalog.summaries()
                self._ids = [s.id for s in summaries]
                self._rows = {article_id: row for row, article_id in enumerate(self._ids)}
                glosses = self._catalog.glosses() if self._catalog.has_glosses() else {}
                model = EventModel([self._features(self._catalog.get(s.id), glosses, store=False) for s in summaries],
                                   [day_number(s.date) for s in summaries])
                model.build()
                self._model = model
        return self._model

    # -- writing the groups -----------------------------------------------------------------
    def _write(self, groups: list[Group], *, rows: set[int] | None = None, replacing: set[str] = frozenset(),
               gone: set[str] = frozenset()) -> None:
        """Write the events of `rows` (all rows when None), replacing the events `replacing`;
        the articles `gone` (removed or changed) leave the member table."""
        model = self._model
        db = self._catalog.db
        scope = rows if rows is not None else set(self._rows.values())
        summaries = {s.id: s for s in self._catalog.summaries([self._ids[r] for r in scope])}
        grouped: set[int] = set()
        members_rows, event_rows = [], []
        for g in groups:
            ids = [self._ids[r] for r in g.members if model.active[r]]
            if not ids:
                continue
            grouped.update(g.members)
            event_id = "ev-" + content_hash(ids[0])[:10]
            for r in g.members:
                role = ("duplicate", g.duplicates[r]) if r in g.duplicates else \
                    ("rewrite", g.rewrites[r]) if r in g.rewrites else ("member", None)
                members_rows.append((self._ids[r], event_id, role[0], self._ids[role[1]] if role[1] is not None else None))
            event_rows.append(self._event_row(event_id, ids, [model.features[r] for r in g.members], summaries))
        for row in scope:
            article_id = self._ids[row]
            if row not in grouped and model.active[row] and article_id in summaries:
                event_id = "ev-" + content_hash(article_id)[:10]
                members_rows.append((article_id, event_id, "member", None))
                event_rows.append(self._event_row(event_id, [article_id], [model.features[row]], summaries))
        if rows is None:
            db.execute("DELETE FROM event_members")
            db.execute("DELETE FROM events")
        else:
            out = {self._ids[r] for r in scope} | set(gone)
            db.executemany("DELETE FROM event_members WHERE article_id = ?", [(i,) for i in out])
            db.executemany("DELETE FROM events WHERE id = ?", [(e,) for e in replacing])
        db.executemany("INSERT INTO event_members (article_id, event_id, role, of_article) VALUES (?, ?, ?, ?)",
                       members_rows)
        db.executemany("INSERT OR REPLACE INTO events (id, label, size, languages, sources, first_date, last_date)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?)", event_rows)

    def _event_row(self, event_id: str, ids: list[str], features: list[Features], summaries) -> tuple:
        members = [summaries[i] for i in ids if i in summaries]
        dates = sorted(s.date for s in members if s.date)
        languages = sorted({s.lang for s in members})
        sources = sorted({s.source for s in members if s.source})
        label = label_of(features, self._rarity) if len(members) > 1 else ""
        if not label:
            label = members[0].title if members else ""
        return (event_id, label, len(members), json.dumps(languages), json.dumps(sources, ensure_ascii=False),
                dates[0] if dates else None, dates[-1] if dates else None)

    def _rarity(self, key: str) -> float:
        names = self._model.names
        column = names.vocab.get(key)
        return float(names.idf[column]) if column is not None else 1.0

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
        found = {}
        ids = list(dict.fromkeys(ids))
        for start in range(0, len(ids), 500):  # SQLite caps the number of parameters
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(self._catalog.db.execute(
                f"SELECT article_id, event_id FROM event_members WHERE article_id IN ({marks})", chunk))
        return found

    def related(self, article_id: str, limit: int, *, write: bool = True) -> list[Related]:
        model = self.model(write=write)
        row = self._rows.get(article_id)
        if row is None:
            return []
        events = self.event_ids()
        own = events.get(article_id)
        return [Related(self._ids[j], round(score, 4), own is not None and events.get(self._ids[j]) == own)
                for j, score in model.related(row, limit)]

    def pair_score(self, a: str, b: str, *, write: bool = True) -> float | None:
        model = self.model(write=write)
        if a not in self._rows or b not in self._rows:
            return None
        return scoring.probability(model.csls(self._rows[a], self._rows[b], years=False), int(model.active.sum()))


def label_of(features: list[Features], rarity=None) -> str:
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


def _spelling(key: str, features: list[Features]) -> str:
    """How the name is written most often, preferring Latin script (most readers read it)."""
    spellings = Counter(f.shown_names[key] for f in features if key in f.shown_names)
    pool = [s for s in spellings if is_latin(s)] or list(spellings)
    return min(pool, key=lambda s: (-spellings[s], len(s), s))
