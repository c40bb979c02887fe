"""RSS and Atom feed files, parsed by feedparser; each entry becomes an article."""

from __future__ import annotations

import io
import re

from ..article import ArticleDraft, content_hash
from ..decoding import InputError
from ..langcodes import declared
from ..text_cleanup import paragraphs
from ..titles import split_title
from .markup import html_paragraphs

# A character reference to a surrogate or past U+10FFFF makes feedparser raise (UnicodeEncodeError,
# ValueError, OverflowError) instead of reading the feed: such a reference stands for nothing.
_CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _valid_references(data: bytes) -> bytes:
    def check(match: re.Match) -> bytes:
        digits = match.group(1) or match.group(2)
        if len(digits) > 8:
            return b"&#xFFFD;"
        code = int(digits, 16 if match.group(1) else 10)
        return b"&#xFFFD;" if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else match.group()

    return _CHARACTER_REFERENCE.sub(check, data) if b"&#" in data else data


def _date(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if parsed:
        return f"{parsed.tm_year:04d}-{parsed.tm_mon:02d}-{parsed.tm_mday:02d}"
    return None


def _declared_language(entry, feed_lang: str | None) -> str | None:
    """The item's own xml:lang (on its content, summary or title), else the feed's language."""
    details = [*(entry.get("content") or []), entry.get("summary_detail") or {}, entry.get("title_detail") or {}]
    for detail in details:
        code = declared(detail.get("language"))
        if code:
            return code
    return feed_lang


def read(data: bytes, name: str) -> list[ArticleDraft]:
    data = _valid_references(data)

    import feedparser

    # A stream, never bytes: feedparser takes a str or bytes for a URL to fetch or a file name to
    # open before it takes them as a document (a fetched body `/…/<rss/../x.xml` read a local file).
    parsed = feedparser.parse(io.BytesIO(data))
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = str(parsed.get("bozo_exception", "")).splitlines()[0][:120]
            raise InputError(f"is not a readable RSS/Atom feed ({reason})")
        raise InputError("is a feed with no entries; nothing to add")
    feed_title = parsed.feed.get("title", "")
    feed_lang = declared(parsed.feed.get("language"))  # RSS <language>, Atom xml:lang on <feed>
    drafts = []
    for entry in parsed.entries:
        contents = entry.get("content") or []
        html = contents[0].get("value", "") if contents else entry.get("summary", "")
        paras = html_paragraphs(html) if "<" in html else paragraphs(html)
        title = (entry.get("title") or "").strip()
        if not title:
            title, paras = split_title(paras)
        if not paras and not title:
            continue
        if not paras:
            paras = (title,)
        key = entry.get("id") or entry.get("link") or content_hash(title, *paras)
        drafts.append(ArticleDraft(
            paragraphs=paras, title=title, date=_date(entry), url=entry.get("link"),
            source=feed_title, key=content_hash(key)[:16], lang_hint=_declared_language(entry, feed_lang),
            summary_only=not contents,
        ))
    if not drafts:
        raise InputError("is a feed whose entries have no text; nothing to add")
    return drafts
