"""A fetched feed's bytes -> prepared articles, ready for the library's usual sync (the same
detection, terms and event features as a feed file added from disk)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from ..article import Problem
from ..decoding import InputError
from ..ingest import PreparedFile, prepare_articles
from ..readers import read_feed, sniff


class NotAFeed(Exception):
    """The body is not an RSS/Atom feed; the message says what it looks like."""


# drafts -> (drafts, {index: entry hash}): fills in items' pages (pages.complete)
Completer = Callable[[list], tuple[list, dict[int, str]]]


def prepare_feed(url: str, body: bytes, id_stem: str, complete: Completer | None = None) -> PreparedFile:
    """Parse and prepare a downloaded feed; raises NotAFeed for an HTML page or anything else.
    `complete` may replace items' summaries with their pages' text before they are prepared."""
    if not body.strip():
        raise NotAFeed("not a feed (the response is empty)")
    kind = sniff(body)
    if kind != "feed":
        what = {"html": "an HTML page", "jsonl": "JSON"}.get(kind, "plain text")
        raise NotAFeed(f"not a feed (the response is {what})")
    try:
        drafts = read_feed(body, url)
    except InputError as exc:
        raise NotAFeed(f"not a feed: {exc}") from None
    result = PreparedFile(url, size=len(body), mtime_ns=0, hash=hashlib.blake2b(body, digest_size=16).hexdigest(),
                          kind="feed", id_stem=id_stem)
    kept = []
    for draft in drafts:
        if draft.paragraphs:
            kept.append(draft)
        else:
            result.problems.append(Problem(url, "has an item with no text; skipped"))
    entry_hashes: dict[int, str] = {}
    if complete is not None:
        kept, entry_hashes = complete(kept)
    result.articles = prepare_articles(kept, None)
    for index, entry_hash in entry_hashes.items():
        result.articles[index].entry_hash = entry_hash
    return result
