"""An item's page, for feeds that carry only a summary (`fetch --fetch-pages`, `[feeds]
fetch_pages`): the page is downloaded with the fetch's own session (its deadline, size limit,
User-Agent and parallel limit) and its main text extracted by the HTML reader (trafilatura).

Which items: an item is a summary when
- it has an http(s) link, and
- it has no full-content element (RSS `content:encoded`, Atom `<content>`) and its text is
  under SUMMARY_CHARS characters, or its text ends with an ellipsis (`…`, `...`, `[…]`): a
  teaser cut off whatever element it came in.
A feed that carries its articles whole never costs a page request.

A page that fails (an HTTP error, a timeout, too large, not HTML, no text to extract, or less
text than the summary) leaves the item with the feed's summary and is reported: one line per
page in the fetch's problems, and a count on the feed's outcome. It is tried again the next
time the feed is read with new content.

Not twice: an item whose page was read is stored with `page_hash(item)`, a hash of the item as
the feed gave it, as its entry's hash. When the feed is read again and the item is the same,
that hash matches and the item is left as it is, without a request; only an item the feed
changed has its page fetched again. Without --fetch-pages such an item is still recognised,
so the full text is never replaced by the summary it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from ..article import ArticleDraft, content_hash
from ..catalog import Entry
from ..decoding import InputError, decode
from ..readers import html, sniff
from .fetcher import ACCEPT_PAGE, FetchOptions, Request, download

SUMMARY_CHARS = 1000  # text shorter than this, with no full-content element, is a summary
_ELLIPSES = ("…", "...", "[…]", "[...]", "(…)", "(...)")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass
class PagesReport:
    read: int = 0  # pages whose text replaced a summary
    failed: list[str] = field(default_factory=list)  # one line each: the page and what went wrong


def is_summary(draft: ArticleDraft) -> bool:
    """Whether the feed gave only a summary of this item (the rule in the module's docstring)."""
    if not draft.url or urlsplit(draft.url).scheme.lower() not in ("http", "https"):
        return False
    text = "\n\n".join(draft.paragraphs).strip()
    if text.endswith(_ELLIPSES):
        return True
    return draft.summary_only and len(text) < SUMMARY_CHARS


def page_hash(draft: ArticleDraft) -> str:
    """What an item whose page was read is stored with: the item as the feed gave it."""
    return "page:" + content_hash(draft.key, draft.title, *draft.paragraphs, draft.url, draft.date)


def complete(drafts: list[ArticleDraft], known: Mapping[str, Entry], options: FetchOptions, http
             ) -> tuple[list[ArticleDraft], dict[int, str], PagesReport]:
    """The drafts with full text from their pages where the feed gave a summary. Returns the
    drafts, {index: entry hash} for the items made from (or already holding) their page, and
    what was read and what failed. `known`: the feed's entries from its last read, by key."""
    drafts = list(drafts)
    entry_hashes: dict[int, str] = {}
    wanted: list[int] = []
    for index, draft in enumerate(drafts):
        if not is_summary(draft):
            continue
        marker = page_hash(draft)
        entry = known.get(draft.key)
        if entry is not None and entry.hash == marker:
            entry_hashes[index] = marker  # its page was read before and the item is the same
        elif options.fetch_pages:
            wanted.append(index)
    report = PagesReport()
    if not wanted:
        return drafts, entry_hashes, report
    originals = [drafts[i] for i in wanted]
    with ThreadPoolExecutor(max(1, options.parallel)) as pool:
        results = pool.map(lambda draft: _guarded_page(draft, options, http), originals)
        for index, (page, error) in zip(wanted, results, strict=True):
            if page is None:
                report.failed.append(f"{drafts[index].url}: page not read ({error}); kept the feed's summary")
                continue
            entry_hashes[index] = page_hash(drafts[index])
            drafts[index] = page
            report.read += 1
    return drafts, entry_hashes, report


def _guarded_page(draft: ArticleDraft, options: FetchOptions, http) -> tuple[ArticleDraft | None, str]:
    try:
        return _page(draft, options, http)
    except Exception as exc:  # a page that trips the extractor must not stop the feed
        return None, f"could not be read ({type(exc).__name__})"


def _page(draft: ArticleDraft, options: FetchOptions, http) -> tuple[ArticleDraft | None, str]:
    """The draft with its page's text, or None and why not."""
    url = draft.url or ""  # a summary has an http(s) link (is_summary)
    got = download(http, Request(url, accept=ACCEPT_PAGE), options)
    if not got.ok:
        return None, got.error or "failed"
    kind = got.content_type.split(";")[0].strip().lower()
    body = got.body or b""
    if kind not in _HTML_TYPES and sniff(body) != "html":
        return None, f"not an HTML page: {kind or 'no content type'}"
    try:
        (found,) = html.read(decode(body), url)
    except (InputError, ValueError) as exc:
        return None, str(exc).removeprefix("has ") if isinstance(exc, InputError) else "unreadable HTML"
    paragraphs = list(found.paragraphs)
    if paragraphs and paragraphs[0].strip() == draft.title.strip():
        paragraphs = paragraphs[1:]  # the headline, which the item's title already is
    summary = sum(len(p) for p in draft.paragraphs)
    if sum(len(p) for p in paragraphs) <= summary:
        return None, "the page holds no more text than the summary"
    return replace(draft, paragraphs=tuple(paragraphs), lang_hint=found.lang_hint or draft.lang_hint), ""
