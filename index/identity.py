"""Article identity and ids: how an article is recognised when it comes back.

An article keeps its id (and with it what the reader marked) when its file moves, is added
again after a `remove`, or a feed re-publishes it. Each draft is known by several identities:

- strong: a feed item's GUID (or link). The same item in two feed files is one article. A
  subscription's items are its own: their strong identity names the subscription too, so a
  feed that publishes another feed's GUIDs never rewrites that feed's articles.
- weak: the URL, a JSONL `id`, the text itself (and a subscription item's GUID alone, which a
  saved copy of that feed added later recognises as strong). These recognise an article that
  *came back* (its old entries are gone: the file moved or was forgotten), but never merge two
  entries that both still exist: the same story republished by two outlets is two articles.

Ids are short and readable: a JSONL `id` as given, else the file's stem (with the item's key
for files that hold several articles).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .article import ArticleDraft, content_hash

_SLUG = re.compile(r"[^\w.-]+", re.UNICODE)


def content_identity(title: str, paragraphs) -> str:
    text = unicodedata.normalize("NFC", " ".join([title, *paragraphs]))
    # Whitespace runs as one space, ends stripped: str.split() sees the very whitespace `\s`
    # does (Py_UNICODE_ISSPACE), at a fraction of the regex's cost in the add's main process.
    return "text:" + content_hash(" ".join(text.split()).casefold())


def url_identity(url: str) -> str:
    parts = urlsplit(url.strip())
    # Scheme and host are case-insensitive; a fragment never names another page.
    normal = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))
    return "url:" + normal


def feed_item_identity(key: str, feed: str | None = None) -> str:
    """A feed item's key (from its GUID or link); within `feed`, a subscription's URL, when given.
    Libraries from before subscriptions' items were their own hold only the first kind."""
    return "item:" + key if feed is None else f"item:{content_hash(feed)[:16]}:{key}"


def record_identity(record_id: str) -> str:
    return "id:" + record_id


def identities_of(draft: ArticleDraft, kind: str, source: str = "") -> tuple[list[str], list[str]]:
    """(strong, weak) identities of a draft read from `source`, of `kind` ('feed', 'jsonl', ...)."""
    from .sources import is_url  # not at the top: opening a library reads no source (readers are heavy)

    strong, weak = [], []
    if kind == "feed" and draft.key:
        if is_url(source):  # a subscription: never an item of another feed
            strong.append(feed_item_identity(draft.key, source))
            weak.append(feed_item_identity(draft.key))
        else:
            strong.append(feed_item_identity(draft.key))
    if draft.id:
        weak.append(record_identity(draft.id))
    if draft.url:
        weak.append(url_identity(draft.url))
    weak.append(content_identity(draft.title, draft.paragraphs))
    return strong, weak


def slug(path: str) -> str:
    return _SLUG.sub("-", Path(path).stem).strip("-") or "article"


def candidate_ids(draft: ArticleDraft, path: str, siblings: int, stem: str = "") -> list[str]:
    """Ids to try, in order, for a new article (`stem`, slugged, instead of the file's name)."""
    if draft.id:
        return [draft.id]
    if stem:  # a subscription: its items come one fetch at a time, each needs its own id
        stem = _SLUG.sub("-", stem).strip("-") or "feed"
        siblings = max(siblings, 2)
    else:
        stem = slug(path)
    first = stem if siblings == 1 else f"{stem}-{draft.key[:8]}"
    return [first, f"{first}-{content_hash(path)[:6]}"]
