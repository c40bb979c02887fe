"""The main screen's keys and messages for following a story (issue 21): `w` follows the event
of the article (or stops following it; on a followed item's row, stops following that), the
Following section at the top of the list (each followed event or search with its new reports;
Enter lists them, Esc goes back), `v` opens the event's timeline, and the alerts after the
app's own adds and fetches (status line, `[ui] bell`, the `[follow] notify` hook).

A mixin of MainScreen, as ReadingKeys is (screens/reading_keys.py): it needs the screen's sources,
model, following, status, `_current_article_id` and `_show_aside` (the related coverage's:
Esc goes back from the reports as from there).
Its message handlers are named (`on_following_listed`): Textual finds those on every class of
the screen, after the screen's own.
"""

from __future__ import annotations

from ..parts.following import Following, following_rows
from ..widgets.source_list import Row, SourceList
from ..widgets.text import clean


class FollowingKeys:
    # -- w: follow / unfollow ---------------------------------------------------------------------
    def action_watch(self) -> None:
        row = self.sources.chosen_followed if self.focused is self.sources else None
        if row is not None:
            self.following.toggle(target=row.label)
            return
        article_id = self._current_article_id()
        if article_id is not None:
            self.following.toggle(article_id)

    def on_following_toggled(self, message: Following.Toggled) -> None:
        f = message.followed
        what = f"the search {f.target}" if f.kind == "query" else f"event {f.label or f.target}"
        self.status.note = (f"following {what}" if message.now else f"no longer following {what}")

    # -- the Following section ----------------------------------------------------------------------
    def on_library_model_opened(self, message) -> None:
        self.following.refresh_list()

    def on_library_model_listed(self, message) -> None:
        self._show_following()
        if message.why in ("refresh", "events"):  # the library changed: reports may have come in
            self.following.refresh_list()

    def on_following_listed(self, message: Following.Listed) -> None:
        self._show_following()

    def _show_following(self) -> None:
        """The followed items above the model's rows (in place: the list shows the same rows
        object); the cursor stays on the article or followed item it was on."""
        rows, sources = self.model.rows, self.sources
        shown = sources.rows is rows
        chosen = sources.chosen_followed if shown else None
        selected = sources.selected.id if shown and sources.selected is not None else None
        rows.set_head(following_rows(self.following.followed))
        if not shown:
            return
        sources.rows_changed(keep=selected)
        if chosen is not None:
            sources.cursor = next((i for i in rows.selectable if rows[i].kind == "followed"
                                   and rows[i].label == chosen.label), sources.cursor)

    def on_source_list_followed_chosen(self, message: SourceList.FollowedChosen) -> None:
        self.following.reports(int(message.row.label))

    def on_following_reports(self, message: Following.Reports) -> None:
        f, reports = message.followed, message.reports
        name = f"the search {f.target}" if f.kind == "query" else f.label or f.target
        rows = [Row("group", f"New in {name} ({len(reports)})")]  # the name last: nothing after it to reorder
        rows += [Row("article", summary=s) for s in reports]
        if not reports:
            rows.append(Row("note", "Nothing new since you last looked."))
        self._show_aside(rows, "new reports of what you follow · Esc: back to the list")  # as the related coverage

    # -- v: the event's timeline ----------------------------------------------------------------------
    def action_timeline(self) -> None:
        row = self.sources.chosen_followed if self.focused is self.sources else None
        if row is not None:
            if row.event is None:
                self.status.note = "a followed search has no timeline; Enter lists its new reports"
            else:
                self.following.timeline(event_id=row.event)
            return
        article_id = self._current_article_id()
        if article_id is not None:
            self.status.set_task("timeline", "making the timeline…")
            self.following.timeline(article_id)

    def on_following_timeline_ready(self, message: Following.TimelineReady) -> None:
        from .timeline import TimelineScreen

        self.status.set_task("timeline", "")
        self.app.push_screen(TimelineScreen(message.timeline, self.rtl_mode))
        self.following.looked_at(message.timeline.event_id)  # its reports are no longer new there

    # -- alerts after the app's own adds and fetches ----------------------------------------------
    def on_adding_done(self, message) -> None:
        if message.changed:  # what the add brought into followed items
            self.following.alerts()

    def on_feeds_fetched(self, message) -> None:
        self.following.alerts()

    def on_following_alerted(self, message: Following.Alerted) -> None:
        self.status.note = clean("Following: " + "; ".join(a.title() for a in message.arrivals))
        if self.app.settings.ui.bell:
            self.app.bell()
        for problem in message.problems:
            self.notify(clean(problem), severity="warning", markup=False)

    def on_following_failed(self, message: Following.Failed) -> None:
        self.status.set_task("timeline", "")
        self.notify(clean(message.message), severity="error", markup=False)
