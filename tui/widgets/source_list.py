"""The source list: one row per article (language, source, date, title) under group headings:
first the events that several articles report (label, languages, size), then the articles
nobody else reports, by month. Drawn with the Line API, so a
10,000-article library costs a list of tuples, not 10,000 widgets.

In search mode the rows are search results, each followed by its snippet with the matches
highlighted.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import msgspec
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from .. import rtl
from ..keymap import LIST
from .line_view import LineView
from .text import clean, highlighted, plain


class Row(msgspec.Struct, frozen=True):
    """One line of the list. A msgspec struct: a 30,000-article list makes one per article,
    about 5 times cheaper than a frozen dataclass (`msgspec.structs.replace` copies one)."""

    kind: str  # "group" | "article" | "snippet" | "note" | "followed" (parts/following.py)
    text: str = ""
    summary: object = None  # ArticleSummary for "article" rows
    spans: tuple = ()
    event: str | None = None  # the event id, for an event's heading
    # A heading that counts the articles under it (see `heading`): how it is written, its
    # label, how many articles and how many of them unread.
    counts: str = ""  # "month", "event" or "group"; "" for a heading that counts nothing
    label: str = ""
    count: int = 0
    unread: int = 0


SELECTABLE = ("article", "followed")  # rows the cursor stops on
HEAD = "following"  # the label of the heading above the rows `Rows.set_head` puts first


def heading(counts: str, label: str, count: int, unread: int, event: str | None = None) -> Row:
    """A group heading that counts its articles: a month's `2024-10 (12)`; an event's
    `label · langs · 4`, with its unread once something in it was read; a source's or a
    language's `tr (30, 12 unread)`."""
    if counts == "event":
        text = f"{label} · {count}" + (f" · {unread} unread" if unread < count else "")
    elif counts == "group":
        text = f"{label} ({count}, {unread} unread)"
    else:
        text = f"{label} ({count})"
    return Row("group", text, event=event, counts=counts, label=label, count=count, unread=unread)


DATE_WIDTH = 10  # "2024-10-12": day-precision dates (RSS, Atom, HTML) fit whole
SOURCE_MIN_LIST = 56  # columns: a narrower list has no source column


def group_label(summary) -> str:
    return summary.date[:7] if summary.date else "undated"


_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:www\d?\.)?([^/\s]+\.[a-z]{2,})(?:/.*)?$", re.IGNORECASE)
_SUFFIXES = {"com", "org", "net", "edu", "gov", "int", "info", "co", "ac"}
_SUBDOMAINS = {"m", "mobile", "amp"}


def short_source(source: str) -> str:
    """The part of a source that tells sources apart: a host name loses its scheme, its
    public suffix and a language or mobile subdomain (the language column shows it):
    `en.wikinews.org` -> `wikinews`, `www.sputniknews.com.tr` -> `sputniknews`,
    `news.bbc.co.uk` -> `news.bbc`. Other names (a feed's title) are kept."""
    match = _HOST.match(source.strip())
    if not match:
        return source.strip()
    labels = match.group(1).lower().split(".")
    labels.pop()  # the top-level domain
    if len(labels) > 1 and labels[-1] in _SUFFIXES:
        labels.pop()  # com.tr, co.uk, org.tr
    if len(labels) > 1 and (len(labels[0]) == 2 or labels[0] in _SUBDOMAINS):
        labels.pop(0)
    return ".".join(labels)


def shared_prefix(a: str, b: str) -> int:
    """How many characters `a` and `b` have in common at their start."""
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


class Neighbours:
    """Texts in sorted order, so the text sharing the longest beginning with any one of them is
    one of its two neighbours (built once per list: a sort, no per-row work)."""

    def __init__(self, texts):
        self.order = sorted(set(texts))

    def shared(self, text: str, shown=lambda value: value) -> int:
        """The longest beginning `shown(text)` has in common with `shown` of another text."""
        index = bisect_left(self.order, text)
        others = [self.order[i] for i in (index - 1, index + 1) if 0 <= i < len(self.order)]
        mine = shown(text)
        return max((shared_prefix(mine, shown(other)) for other in others), default=0)


class Rows(list):
    """The list's rows with what drawing any of them needs from all of them: where the
    articles are, their titles and sources in sorted order (see `distinct_cut`). Made where
    the rows are made (`article_rows`: in the library worker, for the whole library), so the
    UI thread does not go through 30,000 rows to draw a screenful, nor to mark one article."""

    def __init__(self, rows=()):
        super().__init__(rows)
        self._index()
        summaries = [self[i].summary for i in self.articles]
        self.titles = Neighbours(s.title or "" for s in summaries)
        self.sources = Neighbours(short_source(clean(source)) or "-" for source in {s.source for s in summaries})

    def _index(self) -> None:
        self.selectable = [i for i, row in enumerate(self) if row.kind in SELECTABLE]
        self.articles = [i for i in self.selectable if self[i].kind == "article"]
        self.places: dict[str, list[int]] = {}  # article id -> its rows (an article may show twice)
        for i in self.articles:
            self.places.setdefault(self[i].summary.id, []).append(i)

    def set_head(self, head: list[Row]) -> None:
        """Rows above all the others (the Following section: a heading labelled HEAD and
        "followed" rows), in place of the ones there before."""
        end = 0
        while end < len(self) and (self[end].kind == "followed" or (self[end].kind == "group"
                                                                     and self[end].label == HEAD)):
            end += 1
        if end == 0 and not head:
            return  # nothing followed: no walk over a large list on the UI thread
        self[:end] = head
        self._index()

    def update(self, summary) -> bool:
        """The article's rows show `summary` now (a mark, its language); the headings above
        them recount their unread. False when no row shows it. Its title and source are as
        they were: the sorted titles and sources stand."""
        places = self.places.get(summary.id)
        if not places:
            return False
        for i in places:
            old = self[i].summary
            self[i] = msgspec.structs.replace(self[i], summary=summary)
            was, now = bool(getattr(old, "read", False)), bool(getattr(summary, "read", False))
            top = self._heading_of(i)
            if was != now and top is not None and self[top].counts:
                row = self[top]
                self[top] = heading(row.counts, row.label, row.count, row.unread + (1 if was else -1), row.event)
        return True

    def remove(self, article_id: str) -> None:
        """The article's rows go (and a heading left with nothing under it); the headings
        above them count one article less."""
        for i in sorted(self.places.get(article_id, ()), reverse=True):
            top = self._heading_of(i)
            read = bool(getattr(self[i].summary, "read", False))
            del self[i]
            if i < len(self) and self[i].kind == "snippet":
                del self[i]
            if top is not None and self[top].counts:
                row = self[top]
                if row.count <= 1:
                    del self[top]
                else:
                    self[top] = heading(row.counts, row.label, row.count - 1, row.unread - (0 if read else 1),
                                        row.event)
        self._index()

    def _heading_of(self, i: int) -> int | None:
        while i >= 0 and self[i].kind != "group":
            i -= 1
        return i if i >= 0 else None


SHOW_DIFFERENCE = 6  # characters after a shared beginning that must show for rows to differ
ELISION = "… "


def distinct_cut(text: str, shared: int, width: int) -> str:
    """`text` made to fit `width` cells so that what tells it apart shows: when its first
    `shared` characters are another row's too and the difference would be cut off, the
    middle of the shared beginning gives way to "… " and the text goes on from the word where
    it differs (`İran Cumhurb… ile Rusya Devlet…` beside `İran Cumhurb… Türkmenistan'daki…`).
    A text that fits, or whose difference shows anyway, is returned as it is (the caller cuts
    its end with "…")."""
    if cell_len(text) <= width or shared >= len(text):
        return text
    if cell_len(text[:shared + SHOW_DIFFERENCE]) < width:
        return text
    budget = max(width // 3, 1)
    head = _cells(text, budget)
    space = head.rfind(" ")
    if space >= budget // 2:  # end the beginning at a word when one ends late enough
        head = head[:space]
    head = head.rstrip()
    # Go on from the word where the texts part (or from the very character, in a script
    # without spaces).
    space = text.rfind(" ", len(head), shared + 1)
    start = space + 1 if space >= 0 else shared
    if len(head) >= start:  # nothing shared left to elide
        return text
    return head + ELISION + text[start:]


def _cells(text: str, width: int) -> str:
    """The longest beginning of `text` that fits in `width` cells."""
    total = 0
    for index, char in enumerate(text):
        total += cell_len(char)
        if total > width:
            return text[:index]
    return text


SORTS = ("date", "source", "language")  # how the articles outside events are grouped


def article_rows(summaries, events=(), sort: str = "date") -> Rows:
    """Rows: each event of several articles under its heading, then the other articles
    grouped by month (newest first), then the undated ones grouped by source, by title (a
    file order means nothing to the reader); or, sorted by source or by language, grouped
    by those. `summaries` may be filtered (by language, unread...): an event shows the members
    that are in it."""
    if sort != "date":
        return Rows(_event_rows(summaries, events)[0] + _grouped_rows(summaries, events, sort))
    rows, placed = _event_rows(summaries, events)
    ordered: list[tuple[str, list]] = []
    undated: dict[str, list] = {}
    for summary in summaries:  # the engine returns newest first
        if summary.id in placed:
            continue
        if not summary.date:
            undated.setdefault(clean(summary.source) or "-", []).append(summary)
            continue
        label = group_label(summary)
        if not ordered or ordered[-1][0] != label:
            ordered.append((label, []))
        ordered[-1][1].append(summary)
    for source in sorted(undated, key=str.casefold):
        members = sorted(undated[source], key=lambda s: clean(s.title).casefold())
        ordered.append((f"undated · {source}", members))
    for label, members in ordered:
        rows.append(heading("month", label, len(members), _unread(members)))
        rows.extend(Row("article", summary=s) for s in members)
    return Rows(rows)


def _event_rows(summaries, events) -> tuple[list[Row], set[str]]:
    rows: list[Row] = []
    by_id = {s.id: s for s in summaries}
    placed: set[str] = set()
    for event in events:
        members = [by_id[m] for m in event.members if m in by_id]
        if not members:
            continue
        # The unread count once something in it was read (a new library reads as it always did).
        rows.append(heading("event", f"{event.label} · {', '.join(event.languages)}", len(members), _unread(members),
                            event.id))
        rows.extend(Row("article", summary=s) for s in members)
        placed.update(s.id for s in members)
    return rows, placed


def _grouped_rows(summaries, events, sort: str) -> list[Row]:
    """The articles outside events, grouped by source or language (A to Z), newest first."""
    placed = _event_rows(summaries, events)[1]
    groups: dict[str, list] = {}
    for summary in summaries:
        if summary.id not in placed:
            key = (short_source(clean(summary.source)) or "-") if sort == "source" else clean(summary.lang)
            groups.setdefault(key, []).append(summary)
    rows: list[Row] = []
    for key in sorted(groups, key=str.casefold):
        members = groups[key]
        rows.append(heading("group", key, len(members), _unread(members)))
        rows.extend(Row("article", summary=s) for s in members)
    return rows


def _unread(summaries) -> int:
    return sum(1 for s in summaries if not getattr(s, "read", False))


GLOSS_MARK = "en≈ "  # before a snippet from a model's translation rather than the article


def result_rows(results) -> list[Row]:
    rows: list[Row] = []
    for result in results:
        rows.append(Row("article", summary=result.article))
        text, spans = clean(result.snippet.text), tuple(result.snippet.spans)
        if result.snippet_translated:  # the words matched only in the title and lead's English gloss
            spans = tuple((start + len(GLOSS_MARK), end + len(GLOSS_MARK)) for start, end in spans)
            text = GLOSS_MARK + text
        rows.append(Row("snippet", text, spans=spans))
    return rows


class SourceList(LineView, can_focus=True):
    BINDINGS = LIST
    BORDER_TITLE = "Sources"
    COMPONENT_CLASSES = {"source-list--cursor", "source-list--group", "source-list--dim"}

    class Opened(Message):
        def __init__(self, summary) -> None:
            super().__init__()
            self.summary = summary

    class FollowedChosen(Message):
        """Enter on a followed item's row (`row.label`: its number)."""

        def __init__(self, row: Row) -> None:
            super().__init__()
            self.row = row

    class NeedMore(Message):
        """The view is near the end of the rows and more can be had (`append_rows`)."""

    cursor: reactive[int] = reactive(-1, always_update=True)

    def __init__(self, *, rtl_mode: str = "visual", id: str | None = None):
        super().__init__(id=id)
        self.rtl_mode = rtl_mode
        self.rows: Rows = Rows([Row("note", "Opening the library…")])
        self._selectable: list[int] = []
        self._more = False  # more rows can be had: ask (NeedMore) when the view nears the end

    # -- content ----------------------------------------------------------------------------
    def set_rows(self, rows: list[Row], *, keep: str | None = None, more: bool = False) -> None:
        """`rows`: best made as `Rows` where they are made (article_rows does), off the UI thread."""
        self._more = more and bool(rows)
        rows = rows or [Row("note", "Nothing here.")]
        self.rows = rows if isinstance(rows, Rows) else Rows(rows)
        self._selectable = self.rows.selectable
        self.virtual_size = Size(0, len(self.rows))  # rows fit the width: never scrolls sideways
        target = -1
        if keep is not None:
            target = self.rows.places.get(keep, [-1])[0]
        if target < 0 and self._selectable:  # the first article (not a followed item above it)
            target = (self.rows.articles or self._selectable)[0]
        self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = target
        self.refresh()

    def place(self) -> tuple:
        """Where the list is: its rows, the cursor and the scroll (for `restore`)."""
        return self.rows, self.cursor, self.scroll_y, self._more

    def restore(self, place: tuple) -> None:
        """Back to a `place`: the very rows, the cursor on the same row, scrolled as it was."""
        rows, cursor, scroll_y, more = place
        self.rows = rows
        self._selectable = rows.selectable
        self._more = more
        self.virtual_size = Size(0, len(rows))
        self.cursor = cursor
        # After the next layout: until then the scroll range is the shorter list's, and a
        # scroll beyond it would be cut to its end.
        self.call_after_refresh(self.scroll_to, y=scroll_y, animate=False, immediate=True)
        self.refresh()

    def rows_changed(self, *, keep: str | None = None) -> None:
        """The rows were changed in place (an article taken out): the cursor goes to `keep`'s
        row where it is now."""
        self._selectable = self.rows.selectable
        self.virtual_size = Size(0, len(self.rows))
        places = self.rows.places.get(keep) if keep is not None else None
        self.cursor = places[0] if places else (self._selectable[0] if self._selectable else -1)
        self.refresh()

    def append_rows(self, rows: list[Row], *, more: bool = False) -> None:
        """More rows at the end (the next page of results); the cursor and scroll stay."""
        self.rows = Rows(self.rows + rows)  # pages of search results: a few hundred rows at most
        self._selectable = self.rows.selectable
        self.virtual_size = Size(0, len(self.rows))  # rows fit the width: never scrolls sideways
        self._more = more
        self.refresh()
        self._ask_for_more()

    def _ask_for_more(self) -> None:
        """Post NeedMore once when the cursor or the view comes within a screen of the end."""
        if not self._more:
            return
        height = max(self.scrollable_content_region.height, 1)
        if max(self.cursor, int(self.scroll_y) + height) >= len(self.rows) - height:
            self._more = False  # until append_rows says there is more again
            self.post_message(self.NeedMore())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._ask_for_more()

    def set_note(self, note: str) -> None:
        """A message in place of the list, wrapped to the width (an error must be read whole)."""
        import textwrap

        width = max(20, self.size.width - 2) if self.size.width else 76
        self.set_rows([Row("note", line) for line in textwrap.wrap(note, width) or [""]])

    @property
    def selected(self):
        if 0 <= self.cursor < len(self.rows) and self.rows[self.cursor].kind == "article":
            return self.rows[self.cursor].summary
        return None

    # -- cursor -----------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        if new >= 0:
            top = new - 1 if new > 0 and self.rows[new - 1].kind == "group" else new
            bottom = new + 1 if new + 1 < len(self.rows) and self.rows[new + 1].kind == "snippet" else new
            height = self.scrollable_content_region.height
            if top < self.scroll_y:
                self.scroll_to(y=top, animate=False, immediate=True)
            elif height and bottom >= self.scroll_y + height:
                self.scroll_to(y=bottom - height + 1, animate=False, immediate=True)
        self._show_position()
        self.refresh()
        self._ask_for_more()

    def _show_position(self) -> None:
        """`12/1557` under the list: where the cursor is among the articles."""
        from bisect import bisect_left

        articles = self.rows.articles
        if self.cursor < 0 or not articles or self.rows[self.cursor].kind != "article":
            self.border_subtitle = ""
            return
        position = bisect_left(articles, self.cursor) + 1
        self.border_subtitle = f"{position}/{len(articles)}"

    def _move(self, steps: int) -> None:
        if not self._selectable:
            return
        from bisect import bisect_left

        position = bisect_left(self._selectable, max(self.cursor, 0))
        position = min(max(position + steps, 0), len(self._selectable) - 1)
        self.cursor = self._selectable[position]

    def action_cursor_down(self) -> None:
        self._move(1)

    def action_cursor_up(self) -> None:
        self._move(-1)

    def action_page_down(self) -> None:
        self._move(max(self.scrollable_content_region.height - 2, 1) // (2 if self._snippets() else 1))

    def action_page_up(self) -> None:
        self._move(-max(self.scrollable_content_region.height - 2, 1) // (2 if self._snippets() else 1))

    def action_first(self) -> None:
        if self._selectable:
            self.cursor = self._selectable[0]

    def action_last(self) -> None:
        if self._selectable:
            self.cursor = self._selectable[-1]

    @property
    def chosen_followed(self) -> Row | None:
        """The followed item's row the cursor is on, if it is on one."""
        if 0 <= self.cursor < len(self.rows) and self.rows[self.cursor].kind == "followed":
            return self.rows[self.cursor]
        return None

    def action_open(self) -> None:
        if self.selected is not None:
            self.post_message(self.Opened(self.selected))
        elif self.chosen_followed is not None:
            self.post_message(self.FollowedChosen(self.chosen_followed))

    def _snippets(self) -> bool:
        return any(row.kind == "snippet" for row in self.rows[:3])

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = int(self.scroll_y) + offset.y
        if 0 <= row < len(self.rows):
            if self.rows[row].kind == "snippet":
                row -= 1
            if self.rows[row].kind in SELECTABLE:
                self.cursor = row
                self.action_open()

    # -- drawing ----------------------------------------------------------------------------
    def _row_text(self, row: Row, width: int) -> Text:
        # Headings and notes hold titles and labels too ("Related to (4): لقاء في عشق آباد"): shaped
        # and in display order like the rows.
        if row.kind == "group":
            return self._bidi(Text(f"── {row.text} ", end=""), width, right=False)  # the ── leads
        if row.kind in ("note",):
            return self._bidi(plain(row.text), width)
        if row.kind == "followed":  # count: new reports; text: the event's id and label, or the query
            count = Text(f"{row.count} new", style="bold") if row.count else Text("0 new", style="dim")
            return self._bidi(Text.assemble("  ", count, " · ", plain(row.text), end=""), width, right=False)
        if row.kind == "snippet":
            text = self._bidi(highlighted(row.text, row.spans), width - 4)
            text.pad_left(4)
            return text
        s = row.summary
        # Narrow lists give the title the room; the article's header names the source.
        source_width = min(20, width // 6) if width >= SOURCE_MIN_LIST else 0
        source = short_source(clean(s.source)) or "-"
        if source_width:
            source = distinct_cut(source, self._distinct_sources().shared(source), source_width)
        if len(source) > source_width:
            source = source[: source_width - 1] + "…"
        prefix = Text.assemble(
            (f"{clean(s.lang)[:3]:<4}", "bold"),
            (f"{source:<{source_width}} " if source_width else "", "dim"),
            (f"{clean(s.date or '-')[:DATE_WIDTH]:<{DATE_WIDTH}} ", "dim"),
            end="",
        )
        room = width - prefix.cell_len - (2 if getattr(s, "starred", False) else 0)
        title = plain(distinct_cut(clean(s.title), self._distinct_titles().shared(s.title or "", clean), room))
        if getattr(s, "starred", False):
            title = Text.assemble(("★ ", "bold"), title, end="")
        text = Text.assemble(prefix, self._bidi(title, width - prefix.cell_len), end="")
        if getattr(s, "read", False):  # read articles step back; unread ones stay as they were
            text.stylize("dim")
        return text

    def _distinct_titles(self) -> Neighbours:
        """The list's titles, sorted: rows sharing a long beginning show where they differ."""
        return self.rows.titles

    def _distinct_sources(self) -> Neighbours:
        return self.rows.sources

    def _bidi(self, text: Text, width: int, right: bool | None = None) -> Text:
        """Cut to `width` in logical order, then (visual mode) shape and reorder, in the
        direction of the text's first strong character unless `right` says."""
        text.truncate(max(width, 1), overflow="ellipsis")
        if self.rtl_mode == "visual" and rtl.has_rtl(text.plain):
            return rtl.visual_line(text, rtl.base_is_rtl(text.plain) if right is None else right)
        return text

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.scrollable_content_region.width
        base: Style = self.draw_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        text = self._row_text(row, width)
        text.truncate(width, overflow="ellipsis")
        segments = list(text.render(self.app.console))
        strip = Strip(segments).crop_extend(0, width, base).apply_style(base)
        if row.kind == "group":
            strip = strip.apply_style(self.get_component_rich_style("source-list--group"))
        elif row.kind == "note":
            strip = strip.apply_style(self.get_component_rich_style("source-list--dim"))
        current = index == self.cursor or (row.kind == "snippet" and index - 1 == self.cursor)
        if current:
            cursor_style = self.get_component_rich_style("source-list--cursor")
            if not self.has_focus:
                cursor_style = Style(underline=True) + Style.from_color(cursor_style.color, cursor_style.bgcolor)
            strip = Strip([Segment(t, (s or Style()) + cursor_style, c) for t, s, c in strip])
        return strip

    def on_resize(self) -> None:
        self.virtual_size = Size(0, len(self.rows))  # rows fit the width: never scrolls sideways

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
