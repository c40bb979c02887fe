"""Plain text and Markdown, including the seed format's optional first line
` date YYYY-MM [URL]` after which the body may continue on the same line."""

from __future__ import annotations

import re

from ..article import ArticleDraft
from ..decoding import InputError
from ..text_cleanup import clean, paragraphs
from ..titles import split_title

HEADER = re.compile(
    r"^[ \t]*date[ \t]+(?P<date>\d{4}(?:-\d{2}(?:-\d{2})?)?)"
    r"(?:[ \t]+(?P<url>https?://\S+))?[ \t]*(?P<rest>.*)$"
)
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


def read(text: str, to_paragraphs=None) -> list[ArticleDraft]:
    """One article: the seed header, then paragraphs; the first short one is the title.
    `to_paragraphs(body)` splits the body (Markdown brings its own; default: blank lines,
    `#` heading marks dropped)."""
    text = clean(text).lstrip("\ufeff")
    first, _, rest = text.partition("\n")
    date = url = None
    header = HEADER.match(first)
    if header:
        date, url = header["date"], header["url"]
        text = header["rest"] + "\n" + rest
    if to_paragraphs is None:
        paras = tuple(_MARKDOWN_HEADING.sub("", p) for p in paragraphs(text))
    else:
        paras = tuple(to_paragraphs(text))
    if not paras:
        raise InputError("has no text after its header; nothing to add")
    title, body = split_title(paras)
    return [ArticleDraft(paragraphs=body, title=title, date=date, url=url)]
