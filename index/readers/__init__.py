"""One reader per input format; `read_file` picks the reader for a file.

Every reader takes decoded text (or bytes, for feeds) and returns ArticleDrafts. Readers raise
`InputError` for a file they cannot read at all and report per-record problems (a bad JSONL
line) alongside the drafts they could read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..article import ArticleDraft, Problem
from ..decoding import InputError, decode
from . import feed, html, jsonl, markdown, plaintext

# Folder walks pick these; a file named on the command line is read whatever its name.
EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".feed": "feed",
}


@dataclass
class FileContents:
    drafts: list[ArticleDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    kind: str = "text"  # which reader read it: text, html, jsonl or feed


def sniff(data: bytes) -> str:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head:
        return "feed" if (b"<rss" in head or b"<feed" in head or b"<rdf" in head) else "html"
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return "html"
    if head.startswith(b"{"):
        return "jsonl"
    return "text"


def read_feed(data: bytes, name: str) -> list[ArticleDraft]:
    """A feed's drafts (files and fetched feeds alike). feedparser is a large parser of hostile
    input: whatever it raises is one line about the feed, never a traceback."""
    try:
        return feed.read(data, name)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - feedparser and the sgmllib it uses raise many types
        raise InputError(f"is not a readable RSS/Atom feed ({type(exc).__name__})") from None


def read_file(path: Path, data: bytes) -> FileContents:
    """The drafts of one file (each draft cleans and bounds its own fields: article.py)."""
    kind = EXTENSIONS.get(path.suffix.lower())
    if kind is None or kind == "feed":  # an .xml may be any XML, or HTML
        kind = sniff(data)
    if not data.strip():
        raise InputError("is empty; nothing to add")
    if kind == "feed":
        return FileContents(read_feed(data, str(path)), kind=kind)
    text = decode(data)
    if kind == "html":
        return FileContents(html.read(text, str(path)), kind=kind)
    if kind == "jsonl":
        drafts, problems = jsonl.read(text, str(path))
        return FileContents(drafts, problems, kind=kind)
    if kind == "markdown":
        return FileContents(markdown.read(text), kind=kind)
    return FileContents(plaintext.read(text))
