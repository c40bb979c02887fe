"""What the reader says about articles: read, starred, removed by the reader, and the
language the reader set (for an article detection got wrong or could not tell).

Kept in its own table, keyed by article id, and written only by the reader's own actions:
adding, re-reading a source, fetching and rebuilding never touch it. An article the reader
removed stays in the catalog (its source still holds it) but is hidden from lists, search and
events until `restore`; a later add of its file says it is being kept out. A language the
reader set is applied to the article whenever its source is read again (sync.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .catalog import Catalog

FLAGS = ("read", "starred", "removed")


@dataclass(frozen=True)
class Marks:
    read: bool = False
    starred: bool = False
    removed: bool = False
    lang: str | None = None  # the language the reader set; None: the detected one


class ReaderState:
    def __init__(self, catalog: Catalog):
        self._catalog = catalog

    def set_flag(self, ids: Iterable[str], flag: str, value: bool) -> list[str]:
        """Set one flag on articles; returns the ids whose flag changed."""
        if flag not in FLAGS:
            raise ValueError(flag)
        db = self._catalog.db
        changed = []
        for article_id in ids:
            row = db.execute(f"SELECT {flag} FROM reader_state WHERE article_id = ?", (article_id,)).fetchone()
            if bool(row[0] if row else False) == value:
                continue
            db.execute(f"INSERT INTO reader_state (article_id, {flag}) VALUES (?, ?) ON CONFLICT (article_id)"
                       f" DO UPDATE SET {flag} = excluded.{flag}, changed = datetime('now')",
                       (article_id, int(value)))
            changed.append(article_id)
        return changed

    def set_language(self, article_id: str, lang: str | None) -> bool:
        """The reader's language for an article (None: back to the detected one); True if it changed."""
        if self.language(article_id) == lang:
            return False
        self._catalog.db.execute(
            "INSERT INTO reader_state (article_id, lang) VALUES (?, ?) ON CONFLICT (article_id)"
            " DO UPDATE SET lang = excluded.lang, changed = datetime('now')", (article_id, lang))
        return True

    def language(self, article_id: str) -> str | None:
        row = self._catalog.db.execute("SELECT lang FROM reader_state WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def marks(self, article_id: str) -> Marks:
        row = self._catalog.db.execute("SELECT read, starred, removed, lang FROM reader_state WHERE article_id = ?",
                                       (article_id,)).fetchone()
        if row is None:
            return Marks()
        return Marks(read=bool(row[0]), starred=bool(row[1]), removed=bool(row[2]), lang=row[3])

    def with_flag(self, flag: str) -> set[str]:
        """The ids whose flag is set (read, starred or removed)."""
        if flag not in FLAGS:
            raise ValueError(flag)
        return {row[0] for row in self._catalog.db.execute(f"SELECT article_id FROM reader_state WHERE {flag} = 1")}

    def removed(self, ids: Iterable[str] | None = None) -> set[str]:
        rows = self._catalog.db.execute("SELECT article_id FROM reader_state WHERE removed = 1")
        found = {row[0] for row in rows}
        return found if ids is None else found & set(ids)
