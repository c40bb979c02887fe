"""HTML pages: trafilatura finds the article's main text and its metadata."""

from __future__ import annotations

from ..article import ArticleDraft
from ..decoding import InputError
from ..text_cleanup import paragraphs
from ..titles import split_title


def read(text: str, name: str) -> list[ArticleDraft]:
    import trafilatura  # lxml and friends load only when an HTML file shows up

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
    )]
