"""The main screen's keys for moving through what the list shows and acting on all of it, as
newsboat users reach for them: q back to the list, J/K the next or previous article, U the
next unread one, A all shown read (u undoes it while the status line offers it), # the
articles of a tag's feeds, | the article to a command, and the `[ui] browser` command for O.

A mixin of MainScreen: it needs the screen's sources,
reader, model, searching, feeds and status, `open_article`, `narrow`, `_reading`,
`_set_reading`, `_showing_related` and `_relist`. Its message handlers are named
(`on_library_model_marked_shown`): Textual finds those on every class of the screen.
"""

from __future__ import annotations

import shlex

from textual import work
from textual.message import Message

from ..external_commands import CommandError, browser_words, pipe, start
from ..keymap import key_named
from ..parts.library_model import TAG, LibraryModel


class ReadingKeys:
    _undo: tuple[list[str], str] | None = None  # (the ids A marked read, the note that offers undo)
    _pipe_command = ""  # the last command piped to: the next | starts from it

    class Piped(Message):
        def __init__(self, title: str, output: str | None, error: str = "") -> None:
            super().__init__()
            self.title = title
            self.output = output
            self.error = error

    # -- q: back to the list -------------------------------------------------------------------
    def leave_article(self) -> bool:
        """From an open article (or its translation) back to the list; False when the list
        already has the focus (q then quits)."""
        reading = self.focused in (self.reader.article_view, self.reader.translation_view)
        if not reading and not (self.narrow and self._reading):
            return False
        self.status.note = ""
        if self.narrow:
            self._set_reading(False)
        self.call_after_refresh(self.sources.focus)
        return True

    # -- J/K, U: the next article, the next unread ----------------------------------------------
    def _here(self) -> int:
        """The list's row the reader is at: the open article's while it has the focus, else the cursor."""
        sources = self.sources
        article = self.reader.article_view.article
        if article is not None and self.focused in (self.reader.article_view, self.reader.translation_view):
            selected = sources.selected
            if selected is None or selected.id != article.id:
                places = sources.rows.places.get(article.id)
                if places:
                    return places[0]
        return sources.cursor

    def _open_row(self, row: int) -> None:
        self.sources.cursor = row
        self.open_article(self.sources.rows[row].summary.id)

    def action_next_article(self) -> None:
        self._step(1)

    def action_previous_article(self) -> None:
        self._step(-1)

    def _step(self, step: int) -> None:
        from bisect import bisect_left, bisect_right

        selectable = self.sources.rows.articles  # not the Following section's rows above them
        if not selectable:
            self.status.note = "no articles in the list"
            return
        here = self._here()
        if step > 0:
            position = bisect_right(selectable, here)
        else:
            position = bisect_left(selectable, here) - 1
        if not 0 <= position < len(selectable):
            self.status.note = "the last article in the list" if step > 0 else "the first article in the list"
            return
        self._open_row(selectable[position])

    def action_next_unread(self) -> None:
        """The next unread article below this one, then from the top of the list."""
        rows = self.sources.rows
        here = self._here()
        current = rows[here].summary.id if 0 <= here < len(rows) and rows[here].kind == "article" else None
        order = [i for i in rows.articles if i > here] + [i for i in rows.articles if i <= here]
        for i in order:
            summary = rows[i].summary
            if not getattr(summary, "read", False) and summary.id != current:
                self._open_row(i)
                return
        self.status.note = "no unread articles in the list"

    # -- A, u: all shown read, and undo -----------------------------------------------------------
    def _shown_ids(self) -> list[str]:
        """Every article the list shows: the search's hits (all of them, not only the rows made
        so far), the related coverage's rows, or the articles under the filters."""
        if self._showing_related:
            rows = self.sources.rows
            return list(dict.fromkeys(rows[i].summary.id for i in rows.articles))
        if self.search_query:
            hits = self.searching.hits
            return list(hits.ids) if hits is not None else []
        return [summary.id for summary in self.model.summaries]

    def action_mark_all_read(self) -> None:
        ids = self._shown_ids()
        if not ids:
            self.status.note = "no articles in the list"
            return
        self._undo = None
        self.model.mark_shown(ids, True)

    def on_library_model_marked_shown(self, message: LibraryModel.MarkedShown) -> None:
        count = len(message.ids)
        if not message.read:
            self.status.note = f"{count} marked unread again"
            return
        if not count:
            self.status.note = "every article shown was read already"
            return
        note = f"Marked {count} read — {key_named('undo', self.app.keymap)} to undo"
        self._undo = (message.ids, note)
        self.status.note = note

    def offers_undo(self) -> bool:
        """Undo works while the status line still says what A did."""
        return self._undo is not None and self.status.note == self._undo[1]

    def action_undo(self) -> None:
        ids, _ = self._undo
        self._undo = None
        self.model.mark_shown(ids, False)

    # -- #: the feeds of a tag ----------------------------------------------------------------------
    def action_tag_filter(self) -> None:
        self.feeds.subscriptions("tags")

    def pick_tag(self, feeds: list) -> None:
        from .language import LanguageScreen

        tags: dict[str, list] = {}
        for feed in feeds:
            for tag in feed.tags:
                tags.setdefault(tag, []).append(feed)
        if not tags:
            self.notify("No subscription has a tag: the folders of an OPML file become tags "
                        "(`newsreader feeds import FILE`).", markup=False)
            return
        choices = [("*", "every article (no tag filter)")]
        for tag, tagged in sorted(tags.items(), key=lambda item: item[0].casefold()):
            unread = sum(feed.unread for feed in tagged)
            choices.append((TAG + tag, f"{tag} ({len(tagged)} feed{'s' if len(tagged) != 1 else ''}, {unread} unread)"))
        current = self.model.show if self.model.show.startswith(TAG) else "*"

        def chosen(value: str | None) -> None:
            if value is None or value == self.model.show or (value == "*" and current == "*"):
                return
            if value == "*":
                self.model.show = "*"
                self._relist(said=("", ""))
                return
            self.model.show = value
            tag = value[len(TAG):]
            self._relist(said=(f"showing tag {tag}", f"tagged {tag}"))

        self.app.push_screen(LanguageScreen("Show the articles of the feeds tagged", choices, current), chosen)

    # -- |: pipe the article to a command ---------------------------------------------------------
    def action_pipe(self) -> None:
        from .pipe import PipeScreen

        view = self.reader.article_view
        article = view.article
        if article is None:
            self.status.note = "no article open: open one to pipe it"
            return

        def chosen(answer) -> None:
            if answer is None:
                return
            words, what = answer
            self._pipe_command = shlex.join(words)
            data = (view.url or "") + "\n" if what == "url" else "\n\n".join((article.title or "", *article.paragraphs))
            self.status.set_task("pipe", f"running {words[0]}…")
            self._run_pipe(words, data)

        self.app.push_screen(PipeScreen(has_url=bool(view.url), command=self._pipe_command), chosen)

    @work(thread=True, group="pipe", exit_on_error=False)
    def _run_pipe(self, words: list[str], data: str) -> None:
        title = " ".join(words)
        try:
            result = pipe(words, data)
        except CommandError as exc:
            self.post_message(self.Piped(title, None, str(exc)))
            return
        if result.status is None:
            title += " (stopped: still running after 60 s)"
        elif result.status:
            title += f" (exit status {result.status})"
        output = result.output + ("\n… (more output not shown)" if result.cut else "")
        self.post_message(self.Piped(title, output))

    def on_reading_keys_piped(self, message: Piped) -> None:
        from .pipe import OutputScreen

        self.status.set_task("pipe", "")
        if message.output is None:
            self.status.note = message.error
            return
        self.app.push_screen(OutputScreen(message.title, message.output))

    # -- O with [ui] browser -----------------------------------------------------------------------
    def open_in_browser(self, browser: list[str], url: str) -> None:
        """The configured browser command, in the background; a failure is said in the status line."""
        try:
            process = start(browser_words(browser, url))
        except CommandError as exc:
            self.status.note = str(exc)
            return
        self.status.note = f"URL opened with {browser[0]}"
        self._watch_browser(process, browser[0])

    @work(thread=True, group="browser", exit_on_error=False)
    def _watch_browser(self, process, program: str) -> None:
        status = process.wait()
        if status:
            self.app.call_from_thread(setattr, self.status, "note", f"{program} exited with status {status}")
