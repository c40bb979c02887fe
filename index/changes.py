"""Change sets, and the one way the library changes: a `Change`.

A `Change` is a catalog transaction plus the derived views (the search index, the events)
that follow it. While it runs, ingestion records what it did to the visible articles in a
`ChangeSet` (added, changed, removed ids); at the end every derived view is handed that set
and updates itself from it, without rescanning the library, then the catalog commits.
Either everything commits or nothing does: a derived view that committed before a crash
notices at the next open that the catalog does not know its state, and rebuilds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .catalog import Catalog


@dataclass
class ChangeSet:
    """What a commit did to the articles a reader sees (ids)."""

    added: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    marked: set[str] = field(default_factory=set)  # only the reader's marks changed: views skip these

    def add(self, article_id: str) -> None:
        if article_id in self.removed:  # removed then added back in one change: it changed
            self.removed.discard(article_id)
            self.changed.add(article_id)
        elif article_id not in self.changed:
            self.added.add(article_id)

    def change(self, article_id: str) -> None:
        if article_id not in self.added:
            self.changed.add(article_id)

    def remove(self, article_id: str) -> None:
        if article_id in self.added:
            self.added.discard(article_id)
            return
        self.changed.discard(article_id)
        self.removed.add(article_id)

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.marked)

    def to_json(self) -> dict:
        return {name: sorted(getattr(self, name)) for name in ("added", "changed", "removed", "marked")}


class DerivedView(Protocol):
    """Something the engine derives from the catalog and keeps up to date from change sets."""

    name: str

    def apply(self, change: "Change", changes: ChangeSet) -> None:
        """Bring the view up to date with `changes`, inside the change (before the catalog commits)."""

    def cancel(self, change: "Change") -> None:
        """Drop whatever `apply` or staging began; the catalog is rolling back."""


class Change:
    """One transaction on the library, as a context manager (see `Library._change`)."""

    def __init__(self, catalog: "Catalog", views: list[DerivedView]):
        self.catalog = catalog
        self.views = views
        self.changes = ChangeSet()
        self.scratch: dict[str, Any] = {}  # per-view state for this change (e.g. a Whoosh writer)
        self.revision = 0  # the catalog revision this change commits as (set before views apply)

    def __enter__(self) -> "Change":
        self.catalog.begin()
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            try:
                if self.changes:
                    self.revision = self.catalog.bump_revision()
                for view in self.views:
                    view.apply(self, self.changes)
                self.catalog.commit()
                return
            except BaseException:
                self._undo()
                raise
        self._undo()

    def _undo(self) -> None:
        for view in self.views:
            view.cancel(self)
        self.catalog.rollback()
