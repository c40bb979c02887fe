"""Syncing sources into the catalog: what a freshly read file says becomes articles.

For each item of a source: the same entry as last time is the same article (updated if its
text changed); otherwise its identities decide whether it is an article the library knew
(moved, added again, re-published) or a new one. What a source no longer holds goes or stays
by the source's policy. Everything is recorded in the change's ChangeSet for the derived
views; articles the reader removed are stored but stay out of the views (kept out).
"""

from __future__ import annotations

from .article import AddReport, Article, Problem
from .catalog import Catalog, Entry, SourceRecord
from .changes import Change
from .events.view import EventsView
from .identity import candidate_ids, identities_of
from .ingest import PreparedArticle, PreparedFile, prepare_article
from .reader_state import ReaderState
from .search_view import SearchView
from .sources import KEEP, policy_of, source_exists, source_name

STORED_EVERY = 16  # report stored articles this often (a callback per article costs more than it tells)


class Sync:
    def __init__(self, catalog: Catalog, reader: ReaderState, search: SearchView, events: EventsView):
        self._catalog = catalog
        self._reader = reader
        self._search = search
        self._events = events

    # -- reading sources in -----------------------------------------------------------------
    def file(self, change: Change, prepared: PreparedFile, report: AddReport, removed: set[str],
             stored=None) -> None:
        """Apply one prepared file; `removed` holds the ids the reader removed; `stored(done,
        total)` follows its articles."""
        catalog = self._catalog
        if prepared.failed:
            report.problems.extend(prepared.problems)
            return  # whatever an earlier add indexed from this file stays as it was
        old = catalog.source(prepared.path)
        if prepared.unchanged:
            entries = catalog.entries(prepared.path)
            kept = sorted({e.article_id for e in entries.values()} & removed)
            report.kept_out.extend(kept)
            report.unchanged += len(entries) - len(kept)
            kind = old.kind if old else "text"
        else:
            kind = prepared.kind or "text"
            report.problems.extend(prepared.problems)
            self._items(change, prepared, kind, report, removed, stored)
        catalog.put_source(SourceRecord(prepared.path, kind, policy_of(kind), prepared.size,
                                        prepared.mtime_ns, prepared.hash))

    def _items(self, change: Change, prepared: PreparedFile, kind: str, report: AddReport, removed: set[str],
               stored=None) -> None:
        catalog = self._catalog
        source = prepared.path
        existing = catalog.entries(source)
        seen = set()
        for done, item in enumerate(prepared.articles):
            if stored is not None and done % STORED_EVERY == 0:
                stored(done, len(prepared.articles))
            key = item.draft.key
            seen.add(key)
            entry = existing.get(key)
            strong, weak = identities_of(item.draft, kind, source)
            said = item.entry_hash or item.hash  # what the source said of this item, to compare
            if entry is not None and entry.hash == said and catalog.exists(entry.article_id):
                if entry.article_id in removed:
                    report.kept_out.append(entry.article_id)
                else:
                    report.unchanged += 1
                continue
            article_id = entry.article_id if entry is not None else self._known(strong, weak)
            is_new = article_id is None or not catalog.exists(article_id)
            if article_id is None:
                article_id = self._new_id(item, source, len(prepared.articles), prepared.id_stem)
                if article_id is None:
                    report.problems.append(Problem(
                        source, f"id {item.draft.id!r} already belongs to another article; skipped", item.draft.line))
                    continue
            # The language the reader set wins over detection, every time the source is read.
            chosen = self._reader.language(article_id)
            shown = item if not chosen or chosen == item.lang else prepare_article(item.draft, chosen)
            article = self._article(article_id, shown, source)
            catalog.put_article(article, detected=(item.lang, item.lang_confidence))
            catalog.add_identities(article_id, strong + weak)
            catalog.put_entry(source, Entry(key, article_id, said))
            if article_id in removed:
                report.kept_out.append(article_id)
                continue
            self._search.stage(change, article, shown.terms, new=is_new)
            if shown.features is not None:
                self._events.stage(change, article_id, shown.features)
            if is_new:
                change.changes.add(article_id)
                report.added.append(article_id)
            else:
                change.changes.change(article_id)
                report.updated.append(article_id)
        if stored is not None:
            stored(len(prepared.articles), len(prepared.articles))
        if policy_of(kind) == KEEP:
            return  # a feed's items that rotated out stay in the library
        missing = [(key, entry) for key, entry in existing.items() if key not in seen]
        if missing and prepared.problems:
            # A file with lines that could not be read (a broken line, a cut-off end) may hold
            # the missing articles on exactly those lines: it never removes anything.
            report.problems.append(Problem(
                source, f"has lines that could not be read, so the {len(missing)} article(s) it no longer "
                        f"shows were kept; fix those lines and add it again"))
            return
        for key, entry in missing:
            catalog.delete_entry(source, key)
            if self._orphaned(change, entry.article_id, removed):
                report.removed.append(entry.article_id)

    def _known(self, strong: list[str], weak: list[str]) -> str | None:
        """The article these identities name: any owner of a strong one; the owner of a weak
        one only when no source that still exists holds it (it moved, or came back)."""
        catalog = self._catalog
        for identity in strong:
            owner = catalog.identity_owner(identity)
            if owner is not None:
                return owner
        for identity in weak:
            owner = catalog.identity_owner(identity)
            if owner is not None and not any(source_exists(s) for s in catalog.backers(owner)):
                # It moved: the entries of files that are gone would hold it forever.
                for source, key in catalog.stale_entries(owner, source_exists):
                    catalog.delete_entry(source, key)
                    if not catalog.entries(source):
                        catalog.delete_source(source)
                return owner
        return None

    def _new_id(self, item: PreparedArticle, path: str, siblings: int, stem: str = "") -> str | None:
        for candidate in candidate_ids(item.draft, path, siblings, stem):
            if not self._catalog.id_taken(candidate):
                return candidate
        return None

    @staticmethod
    def _article(article_id: str, item: PreparedArticle, path: str) -> Article:
        draft = item.draft
        return Article(
            id=article_id, title=draft.title, paragraphs=draft.paragraphs, lang=item.lang,
            lang_confidence=item.lang_confidence, date=draft.date,
            source=draft.source or source_name(draft.url, path), url=draft.url, path=path,
            content_hash=item.hash,
        )

    # -- forgetting sources -----------------------------------------------------------------
    def _orphaned(self, change: Change, article_id: str, removed: set[str]) -> bool:
        """Delete an article no source holds any more; True if it went."""
        if self._catalog.backers(article_id):
            return False
        self._catalog.delete_article(article_id)
        if article_id not in removed:
            change.changes.remove(article_id)
        return True

    def forget(self, change: Change, locations: list[str], removed: set[str]) -> list[str]:
        """Forget sources: their entries go, and the articles no other source holds."""
        gone = []
        for location in locations:
            for entry in self._catalog.entries(location).values():
                self._catalog.delete_entry(location, entry.key)
                if self._orphaned(change, entry.article_id, removed):
                    gone.append(entry.article_id)
            self._catalog.delete_source(location)
        return gone

    def vanished(self, change: Change, folder: str, removed: set[str]) -> list[str]:
        """Forget the sources inside a folder whose files are gone."""
        missing = [loc for loc in self._catalog.sources_under(folder) if not source_exists(loc)]
        return self.forget(change, missing, removed)
