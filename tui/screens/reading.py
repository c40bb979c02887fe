"""The main screen's everyday-reading part (a mixin of MainScreen): read and starred marks,
the article's language as the reader sets it, the show filter (all, unread, starred, one feed, with unread counts), the sort order, fetching
the subscribed feeds in a worker, and remembering the reader's choices in the state file.

Marks go through the engine (`Library.mark`) in a worker; the list's rows are updated in place,
so the cursor and the scroll position stay where they were.
"""

from __future__ import annotations

from msgspec.structs import replace  # summaries and rows are msgspec structs
from textual import work

from .. import remembered
from ..widgets.source_list import SORTS, article_rows
from .language import LanguageScreen

ALL, UNREAD, STARRED = "*", "unread", "starred"
FEED = "feed:"


class ReadingActions:
    """Needs from MainScreen: library, summaries, events, sources, status, lang_filter,
    search_query, _current_article_id(), _show_summaries(), _open_library()."""

    sort = "date"
    show = ALL  # "*", "unread", "starred" or "feed:URL"
    # The article just marked in a view that no longer holds it (read in the unread view,
    # unstarred in the starred one): it stays, dimmed, while the cursor is on it, so that the
    # next `m` undoes the mark rather than marking the next article.
    _kept: str | None = None

    # -- what the list shows ------------------------------------------------------------------
    def _articles(self, library=None, limit: int | None = None):
        """The library's articles under the language filter and the show filter (the newest
        `limit` of them when given)."""
        show, library = self.show, library or self.library
        return library.articles(lang=self.lang_filter, unread=show == UNREAD, starred=show == STARRED,
                                feed=show[len(FEED):] if show.startswith(FEED) else None, limit=limit)

    def _rows(self):
        return article_rows(self.summaries, self.events, self.sort)

    def _reload(self, keep: str | None = None) -> None:
        if self.library is not None:
            self._show_summaries(self._articles(), keep=keep)

    # -- marks ----------------------------------------------------------------------------------
    def _summary(self, article_id: str):
        return next((s for s in self.summaries if s.id == article_id), None)

    def mark_opened(self, article_id: str) -> None:
        """Opening an article marks it read (unless [feeds] mark_read_on_open = false)."""
        summary = self._summary(article_id)
        if self.app.settings.feeds.mark_read_on_open and (summary is None or not summary.read):
            self._mark([article_id], read=True, said=False)

    def action_toggle_read(self) -> None:
        article_id = self._current_article_id()
        if article_id is not None and self.library is not None:
            summary = self._summary(article_id)
            self._mark([article_id], read=not (summary.read if summary else False))

    def action_toggle_star(self) -> None:
        article_id = self._current_article_id()
        if article_id is not None and self.library is not None:
            summary = self._summary(article_id)
            self._mark([article_id], starred=not (summary.starred if summary else False))

    @work(thread=True, group="marks", exit_on_error=False)
    def _mark(self, ids: list[str], read: bool | None = None, starred: bool | None = None, said: bool = True) -> None:
        """`said`: the status line says what was marked (m and s do; opening an article doesn't)."""
        from newsreader.index import NewsreaderError

        try:
            self.library.mark(ids, read=read, starred=starred)
        except NewsreaderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._marked, set(ids), read, starred, said)

    def _belongs(self, summary) -> bool:
        """Whether the show filter holds the article as it is marked now."""
        return not ((self.show == UNREAD and summary.read) or (self.show == STARRED and not summary.starred))

    def _with_kept(self, summaries, rows=None):
        """`summaries` (and their `rows`, None when they must be made again) with the kept
        article back in its place if the show filter left it out."""
        kept = self._kept
        if kept is None or self.search_query or any(s.id == kept for s in summaries):
            return summaries, rows
        old = next((i for i, s in enumerate(self.summaries) if s.id == kept), None)
        if old is None:
            return summaries, rows
        return summaries[:old] + [self.summaries[old]] + summaries[old:], None

    def _cursor_moved(self) -> None:
        """The cursor left the kept article: now the list lets it go, the cursor staying on the
        row it moved to, at the same height on the screen."""
        kept = self._kept
        selected = self.sources.selected
        if kept is None or (selected is not None and selected.id == kept):
            return
        self._kept = None
        summary = self._summary(kept)
        if summary is None or self._belongs(summary) or self.search_query or self._showing_related:
            return
        sources = self.sources
        height = sources.cursor - sources.scroll_y
        self.summaries = [s for s in self.summaries if s.id != kept]
        sources.set_rows(self._rows(), keep=selected.id if selected is not None else None)
        sources.scroll_to(y=max(sources.cursor - height, 0), animate=False, immediate=True)
        self.status.articles = len(self.summaries)

    def _marked(self, ids: set[str], read: bool | None, starred: bool | None, said: bool = True) -> None:
        changes = {k: v for k, v in (("read", read), ("starred", starred)) if v is not None}
        self.summaries = [replace(s, **changes) if s.id in ids else s for s in self.summaries]
        selected = self.sources.selected
        if selected is not None and selected.id in ids and not self.search_query and not self._showing_related:
            self._kept = selected.id  # stays in the list while the cursor is on it
        rows = self.sources.rows
        for index, row in enumerate(rows):
            if row.kind == "article" and row.summary.id in ids:
                rows[index] = replace(row, summary=replace(row.summary, **changes))
        if not self.search_query:  # event headings count the unread
            keep = self.sources.selected.id if self.sources.selected else None
            cursor, scroll = self.sources.cursor, self.sources.scroll_y
            self.sources.set_rows(self._rows(), keep=keep)
            self.sources.scroll_to(y=scroll, animate=False, immediate=True)
            self.sources.cursor = cursor if cursor < len(self.sources.rows) else self.sources.cursor
        self.sources.refresh()
        words = [("read" if read else "unread") if read is not None else "",
                 ("starred" if starred else "unstarred") if starred is not None else ""]
        if said:  # every mark a key made says so: an older note ("marked starred") never stays
            self.status.note = f"marked {' '.join(w for w in words if w)}"

    # -- the article's language, as the reader sets it ------------------------------------------------
    def action_set_language(self) -> None:
        """A picker of languages for the article (the library's, the installed models', common
        ones) and "auto" for what detection said; the engine keeps the choice (set-lang)."""
        from .language import known_languages, language_name

        article_id = self._current_article_id()
        if article_id is None or self.library is None:
            return
        summary = self._summary(article_id)
        current = summary.lang if summary else "und"
        try:
            packages = self.app.workspace.translator().installed()
        except Exception:  # noqa: BLE001 - no packages folder yet
            packages = []
        codes = set(self.languages) | set(known_languages()) | {p.from_code for p in packages} | {p.to_code for p in packages}
        codes.discard("und")
        choices = [("auto", "auto: the language detection found")]
        choices += [(code, f"{code}  {language_name(code)}".rstrip()) for code in sorted(codes)]

        def chosen(value: str | None) -> None:
            if value is not None:
                self._set_language(article_id, None if value == "auto" else value)

        self.app.push_screen(LanguageScreen(f"Language of this article (now {current})", choices, current), chosen)

    @work(thread=True, group="marks", exit_on_error=False)
    def _set_language(self, article_id: str, lang: str | None) -> None:
        from newsreader.index import NewsreaderError

        try:
            self.library.set_language([article_id], lang)
            article = self.library.get(article_id)
        except NewsreaderError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        self.app.call_from_thread(self._language_set, article, lang is None)

    def _language_set(self, article, detected: bool) -> None:
        self.summaries = [replace(s, lang=article.lang) if s.id == article.id else s for s in self.summaries]
        shown = self.reader.article_view.article
        if shown is not None and shown.id == article.id:
            self.open_article(article.id)  # the translation starts again from the new language
        self._refresh_library()  # the list's language column and the language counts
        self.status.note = f"language {article.lang}" + (" (detected)" if detected else " (set by you)")

    # -- show filter, sort ------------------------------------------------------------------------
    def action_show_filter(self) -> None:
        if self.library is None:
            return
        self._show_choices()

    @work(thread=True, group="marks", exit_on_error=False)
    def _show_choices(self) -> None:
        all_articles = self.library.articles(lang=self.lang_filter)
        unread = sum(1 for s in all_articles if not s.read)
        starred = sum(1 for s in all_articles if s.starred)
        choices = [(ALL, f"all articles ({len(all_articles)}, {unread} unread)"),
                   (UNREAD, f"unread ({unread})"), (STARRED, f"starred ({starred})")]
        choices += [(FEED + sub.url, f"feed {sub.name} ({sub.items}, {sub.unread} unread)")
                    for sub in self.library.subscriptions()]
        self.app.call_from_thread(self._choose_show, choices)

    def _choose_show(self, choices) -> None:
        def chosen(value: str | None) -> None:
            if value is not None and value != self.show:
                self.show = value
                self._kept = None
                self._reload()
                label = dict(choices)[value].split(" (")[0]
                self.status.note = "" if value == ALL else f"showing {label}"
                self.status.shown = "" if value == ALL else (
                    "from " + label.removeprefix("feed ") if value.startswith(FEED) else value)

        self.app.push_screen(LanguageScreen("Show", choices, self.show), chosen)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        if not self.search_query:
            keep = self.sources.selected.id if self.sources.selected else None
            self.sources.set_rows(self._rows(), keep=keep)
        self.status.note = f"sorted by {self.sort}"
        self.status.sort = self.sort
        self.remember(sort=self.sort)

    # -- fetching the subscribed feeds --------------------------------------------------------------
    def action_fetch(self) -> None:
        if self.library is None:
            return
        self.status.set_task("fetch", "fetching feeds…")
        self._fetch()

    def action_fetch_one(self) -> None:
        """A picker of the subscriptions (name, unread, last error); the chosen one is fetched."""
        if self.library is None:
            return
        feeds = self.library.subscriptions()
        if not feeds:
            self.notify("No subscriptions: `newsreader feeds add URL` adds one.", markup=False)
            return
        choices = [(feed.url, f"{feed.name}  ({feed.unread} unread)"
                    + (f"  last fetch failed: {feed.last_error}" if feed.last_error else ""))
                   for feed in feeds]
        names = {feed.url: feed.name for feed in feeds}

        def chosen(url: str | None) -> None:
            if url is not None:
                self.status.set_task("fetch", f"fetching {names[url]}…")
                self._fetch([url])

        self.app.push_screen(LanguageScreen("Fetch one feed", choices, feeds[0].url), chosen)

    @work(thread=True, exclusive=True, group="fetch", exit_on_error=False)
    def _fetch(self, only: list[str] | None = None) -> None:
        from newsreader.index import NewsreaderError

        def progress(outcome, done: int, total: int) -> None:
            self.app.call_from_thread(self.status.set_task, "fetch",
                                      f"fetching {done}/{total}: {outcome.name} {outcome.summary()}")

        try:
            if not self.library.subscriptions():
                message = "No subscriptions: `newsreader feeds add URL` adds one."
                outcomes = []
            else:
                outcomes = self.library.fetch(only, options=self.app.settings.fetch_options(), on_outcome=progress)
                new = sum(len(o.added) for o in outcomes)
                failed = [o for o in outcomes if o.status == "error"]
                count = len(outcomes)
                message = f"Fetched {count} feed{'' if count == 1 else 's'}: {new} new" + (
                    f"; failed: {', '.join(o.name for o in failed)}" if failed else "")
        except NewsreaderError as exc:
            message, outcomes = str(exc), []
        self.app.call_from_thread(self._fetched, message, bool(outcomes))

    def _fetched(self, message: str, reload: bool) -> None:
        self.status.set_task("fetch", "")
        self.notify(message, markup=False)
        if reload:
            self._refresh_library()  # the live refresh: shows what the fetch added

    # -- theme ----------------------------------------------------------------------------------------
    def action_choose_theme(self) -> None:
        themes = sorted(self.app.available_themes)
        choices = [(name, name) for name in themes]

        def chosen(value: str | None) -> None:
            if value is not None:
                self.app.theme = value  # App.watch_theme remembers it

        self.app.push_screen(LanguageScreen("Theme", choices, self.app.theme), chosen)

    # -- remembered choices -----------------------------------------------------------------------
    def remember(self, **choices) -> None:
        """Save choices to the state file; failing to is reported once, never fatal."""
        try:
            remembered.update(**choices)
        except OSError as exc:
            if not getattr(self, "_remember_failed", False):
                self._remember_failed = True
                self.notify(f"cannot remember your choices: {exc}", severity="warning", markup=False)

    def watch_target(self, target: str) -> None:
        self.remember(target=target)

    def watch_show_translation(self, show: bool) -> None:
        self.remember(show_translation=show)
