"""HTML pages: trafilatura finds the article's main text and its metadata."""

from __future__ import annotations

import re

from ..article import ArticleDraft
from ..decoding import InputError
from ..langcodes import declared
from ..text_cleanup import paragraphs
from ..titles import split_title

# Control characters, raw or as character references (`&#27;`, `&#x7;`), make lxml give up on the
# whole page; they are never text, so they go before parsing and the page is read.
_CONTROL_REFERENCE = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));?")
_RAW_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Where a page declares its language: <html lang="..."> (or xml:lang), else a
# <meta http-equiv="content-language"> or <meta name="language"> or Open Graph's og:locale.
_HTML_LANG = re.compile(r"<html\b[^>]*?\b(?:xml:)?lang\s*=\s*[\"']?\s*([A-Za-z][A-Za-z0-9_-]{0,34})", re.I)
_META = re.compile(r"<meta\b[^>]*>", re.I)
_META_NAMES = re.compile(r"(?:http-equiv|name|property)\s*=\s*[\"']?(content-language|language|og:locale)\b", re.I)
_META_CONTENT = re.compile(r"\bcontent\s*=\s*[\"']?\s*([A-Za-z][A-Za-z0-9_-]{0,34})", re.I)


def declared_language(text: str) -> str | None:
    """The language a page declares in its <html> tag or head, as a code; None if it says none."""
    head = text[:65536]
    found = _HTML_LANG.search(head)
    if found and declared(found.group(1)):
        return declared(found.group(1))
    for meta in _META.finditer(head):
        tag = meta.group()
        content = _META_CONTENT.search(tag)
        if _META_NAMES.search(tag) and content and declared(content.group(1)):
            return declared(content.group(1))
    return None


def _without_controls(text: str) -> str:
    def drop(match: re.Match) -> str:
        code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        if 128 <= code < 160:  # what browsers show, as HTML says: the windows-1252 character
            return bytes([code]).decode("cp1252", "ignore")
        return "" if code < 32 and code not in (9, 10, 13) or code == 127 else match.group()

    if "&#" in text:
        text = _CONTROL_REFERENCE.sub(drop, text)
    return _RAW_CONTROLS.sub("", text)


def read(text: str, name: str) -> list[ArticleDraft]:
    import trafilatura  # lxml and friends load only when an HTML file shows up

    text = _without_controls(text)
    doc = trafilatura.bare_extraction(text, with_metadata=True, include_comments=False, favor_recall=True)
    body = getattr(doc, "text", None) if doc is not None else None
    if not body:
        raise InputError("has no article text that could be extracted from its HTML")
    paras = paragraphs(body.replace("\n", "\n\n"))
    title = (getattr(doc, "title", None) or "").strip()
    if not title:
        title, paras = split_title(paras)
    date = getattr(doc, "date", None)
    return [ArticleDraft(
        paragraphs=paras,
        title=title,
        date=date[:10] if date else None,
        url=getattr(doc, "url", None),
        source=getattr(doc, "sitename", None) or "",
        lang_hint=declared_language(text),
    )]
