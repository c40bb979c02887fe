"""What the reader follows: events and searches, and the reports that came into them.

Reader state, in the catalog's `follows` and `follow_reports` tables (schema.py): never
rewritten by ingestion or a rebuild.

- A followed **event** is kept by the id it had; when it merges into another, its id answers
  with the event it went to (event aliases), and when even that is gone (an events rebuild of
  another version), with the event that holds most of the reports it had. Its reports are the
  event's members: the ones there when it was followed are seen, any other is new.
- A followed **search** is its query. It is never run over the whole library again: each change
  that brings articles leaves their ids in `follow_pending`, and once the index and the events
  hold them (under the library's lock, after the change committed), the pending articles alone
  are matched against each followed query (`settle`).

Each report of a followed item is recorded once (`follow_reports`), unseen until `following
--new` lists it (`take_new`). What a process's own adds and fetches brought is also handed to
that process as `Arrival`s (`Library.take_alerts`), for a status line, a bell or a hook.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .catalog import ArticleSummary, Catalog
from .changes import Change, ChangeSet
from .errors import NewsreaderError, NotFound

EVENT, QUERY = "event", "query"
ALERT_TITLES = 5  # report titles an arrival's summary lists


@dataclass(frozen=True)
class Followed:
    """One followed item, with how many of its reports the reader has not been shown."""

    id: int
    kind: str  # EVENT or QUERY
    target: str  # the query, or the event's id as it is now
    label: str  # the event's label, or the query
    added: str
    reports: int = 0  # reports recorded since it was followed (those it had then included)
    new: int = 0  # reports not yet listed by `following --new`

    @property
    def name(self) -> str:
        """How the command line and the app name it: the query, or the event's id and label."""
        return self.target if self.kind == QUERY else f"{self.target} {self.label}".strip()

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "target": self.target, "label": self.label,
                "added": self.added, "reports": self.reports, "new": self.new}


@dataclass(frozen=True)
class Arrival:
    """New reports in one followed item."""

    followed: Followed
    reports: tuple[ArticleSummary, ...]

    def title(self) -> str:
        """One line: "2 new reports: Pezeshkian lang:ar,tr"."""
        count = len(self.reports)
        return f"{count} new report{'' if count == 1 else 's'}: {self.followed.name}"

    def summary(self) -> str:
        """The first few reports, one a line: "Title (source, lang)"."""
        lines = [_one_line(f"{r.title} ({', '.join(p for p in (r.source, r.lang) if p)})")
                 for r in self.reports[:ALERT_TITLES]]
        if len(self.reports) > ALERT_TITLES:
            lines.append(f"and {len(self.reports) - ALERT_TITLES} more")
        return "\n".join(lines)

    def to_json(self) -> dict:
        return {"followed": self.followed.to_json(), "reports": [r.to_json() for r in self.reports]}


def _one_line(text: str) -> str:
    return " ".join(text.split())


class FollowError(NewsreaderError):
    """Something that cannot be followed (an empty query)."""


class Following:
    """The follows, and a derived view's hooks (`apply`) so a change leaves its new articles pending."""

    name = "following"

    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    @property
    def _db(self):
        return self._catalog.db

    # -- inside a change ----------------------------------------------------------------------
    def apply(self, change: Change, changes: ChangeSet) -> None:
        """The articles a change brought or changed wait to be matched against the follows (a
        changed one may now match a search, or merge a followed event with another); none are
        kept when nothing is followed."""
        touched = changes.added | changes.changed
        if touched and self.any():
            self._db.executemany("INSERT OR IGNORE INTO follow_pending (article_id) VALUES (?)",
                                 [(i,) for i in sorted(touched)])

    def cancel(self, change: Change) -> None:
        pass  # the rows went with the catalog's rollback

    # -- the reader's follows ---------------------------------------------------------------------
    def any(self) -> bool:
        return self._db.execute("SELECT 1 FROM follows LIMIT 1").fetchone() is not None

    def has_pending(self) -> bool:
        return self._db.execute("SELECT 1 FROM follow_pending LIMIT 1").fetchone() is not None

    def follow_event(self, event_id: str, members: Iterable[str]) -> tuple[int, bool]:
        """Follow an event (inside the caller's transaction); its members now are seen. Returns
        (follow id, whether it is new)."""
        return self._follow(EVENT, event_id, members)

    def follow_query(self, query: str) -> tuple[int, bool]:
        query = " ".join(query.split())
        if not query:
            raise FollowError("the query is empty; follow words to look for, e.g. --query 'Pezeshkian lang:ar,tr'")
        return self._follow(QUERY, query, ())

    def _follow(self, kind: str, target: str, seen: Iterable[str]) -> tuple[int, bool]:
        row = self._db.execute("SELECT id FROM follows WHERE kind = ? AND target = ?", (kind, target)).fetchone()
        if row is not None:
            return row[0], False
        follow_id = self._db.execute("INSERT INTO follows (kind, target) VALUES (?, ?)", (kind, target)).lastrowid
        self._db.executemany("INSERT OR IGNORE INTO follow_reports (follow_id, article_id, seen) VALUES (?, ?, 1)",
                             [(follow_id, i) for i in seen])
        return follow_id, True

    def rows(self) -> list[tuple[int, str, str, str]]:
        """(id, kind, target, added) of every follow, in the order they were followed."""
        return self._db.execute("SELECT id, kind, target, added FROM follows ORDER BY id").fetchall()

    def find(self, target: str, resolve: Callable[[str], str]) -> tuple[int, str, str, str]:
        """A follow by its number, its query, or its event's id (any id the event had)."""
        target = " ".join(target.split())
        rows = self.rows()
        for row in rows:
            if str(row[0]) == target or row[2] == target:
                return row
        now = resolve(target)
        for row in rows:
            if row[1] == EVENT and resolve(row[2]) == now:
                return row
        raise NotFound(f"nothing followed matches {target!r}; `newsreader following` lists what you follow")

    def unfollow(self, follow_id: int) -> None:
        self._db.execute("DELETE FROM follow_reports WHERE follow_id = ?", (follow_id,))
        self._db.execute("DELETE FROM follows WHERE id = ?", (follow_id,))

    def recorded(self, follow_id: int) -> dict[str, bool]:
        """article id -> seen, for the reports recorded for a follow."""
        return {a: bool(s) for a, s in self._db.execute(
            "SELECT article_id, seen FROM follow_reports WHERE follow_id = ?", (follow_id,))}

    def unseen(self, follow_id: int) -> list[str]:
        """The reports of a follow not yet listed, in the order they came."""
        return [a for (a,) in self._db.execute(
            "SELECT article_id FROM follow_reports WHERE follow_id = ? AND seen = 0 ORDER BY arrived, article_id",
            (follow_id,))]

    def retarget(self, follow_id: int, event_id: str) -> None:
        """A followed event's id as it is now (after a merge)."""
        clash = self._db.execute("SELECT id FROM follows WHERE kind = ? AND target = ? AND id != ?",
                                 (EVENT, event_id, follow_id)).fetchone()
        if clash is not None:  # two followed events merged: one follow, with both's reports
            self._db.execute("UPDATE OR IGNORE follow_reports SET follow_id = ? WHERE follow_id = ?",
                             (clash[0], follow_id))
            self.unfollow(follow_id)
            return
        self._db.execute("UPDATE follows SET target = ? WHERE id = ?", (event_id, follow_id))

    def record(self, follow_id: int, ids: Iterable[str]) -> list[str]:
        """New reports of a follow, unseen; returns those not recorded before."""
        fresh = []
        for article_id in ids:
            cursor = self._db.execute("INSERT OR IGNORE INTO follow_reports (follow_id, article_id) VALUES (?, ?)",
                                      (follow_id, article_id))
            if cursor.rowcount:
                fresh.append(article_id)
        return fresh

    def mark_seen(self, follow_id: int, ids: Iterable[str]) -> None:
        self._db.executemany("UPDATE follow_reports SET seen = 1 WHERE follow_id = ? AND article_id = ?",
                             [(follow_id, i) for i in ids])

    def take_pending(self) -> list[str]:
        ids = [a for (a,) in self._db.execute("SELECT article_id FROM follow_pending ORDER BY article_id")]
        self._db.execute("DELETE FROM follow_pending")
        return ids


def current_event(target: str, recorded: Iterable[str], resolve: Callable[[str], str],
                  exists: Callable[[str], bool], event_ids_of: Callable[[list[str]], dict[str, str]]) -> str | None:
    """The event a followed one is now: its id through the aliases; when that is gone too, the
    event holding most of the reports it had (None when none is left)."""
    now = resolve(target)
    if exists(now):
        return now
    votes = Counter(event_ids_of(list(recorded)).values())
    return min(votes, key=lambda e: (-votes[e], e)) if votes else None
