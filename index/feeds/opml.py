"""OPML, the subscription lists feed readers exchange: reading one (folders, i.e. nested
outlines without a feed URL, become tags, outermost first) and writing OPML 2.0."""

from __future__ import annotations

import email.utils
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..article import MAX_SOURCE_CHARS, MAX_URL_CHARS, field_text
from ..errors import NewsreaderError
from ..small_files import SmallFileError, read_small

MAX_OPML_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 32  # folders within folders; real lists have two or three


class OpmlError(NewsreaderError):
    """An OPML file that cannot be read."""


@dataclass(frozen=True)
class OutlineFeed:
    url: str
    title: str | None
    tags: tuple[str, ...]


def read_file(path: str | os.PathLike) -> bytes:
    """An OPML file's bytes: a regular file of at most MAX_OPML_BYTES (small_files.py)."""
    try:
        return read_small(os.path.expanduser(path), MAX_OPML_BYTES, "the OPML file")
    except FileNotFoundError:
        raise OpmlError(f"{path}: cannot read the OPML file (no such file); check the path") from None
    except SmallFileError as exc:
        raise OpmlError(str(exc)) from None


def _label(text: str | None) -> str | None:
    """A title or folder name as newsreader keeps it: cleaned, one line, bounded (article.py)."""
    return field_text(text, MAX_SOURCE_CHARS) or None


def read(data: bytes, where: str) -> list[OutlineFeed]:
    """The feeds an OPML document lists, in document order."""
    if len(data) > MAX_OPML_BYTES:
        raise OpmlError(f"{where}: larger than {MAX_OPML_BYTES // 1_048_576} MB; not an OPML subscription list")
    if b"<!ENTITY" in data or b"<!entity" in data:  # entity expansion is a way to blow up memory
        raise OpmlError(f"{where}: declares XML entities; newsreader does not read those in OPML")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OpmlError(f"{where}: not valid XML ({exc}); export the OPML file again") from None
    except LookupError as exc:  # <?xml encoding="TF-8"?>: expat asks Python for a codec that is not there
        raise OpmlError(f"{where}: not valid XML ({exc}); export the OPML file again") from None
    if root.tag.lower() != "opml":
        raise OpmlError(f"{where}: not an OPML file (its root element is <{root.tag}>, not <opml>)")
    body = root.find("body")
    if body is None:
        raise OpmlError(f"{where}: an OPML file without a <body>; nothing to import")
    found: list[OutlineFeed] = []
    # Depth first, in document order, without recursion: an outline nested 5,000 deep is an
    # error line, not a RecursionError.
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [(outline, ()) for outline in reversed(body.findall("outline"))]
    while stack:
        outline, tags = stack.pop()
        if len(tags) > MAX_DEPTH:
            raise OpmlError(f"{where}: folders nested more than {MAX_DEPTH} deep; not an OPML subscription list "
                            "newsreader reads")
        attrs = {k.lower(): v for k, v in outline.attrib.items()}
        label = _label(attrs.get("title") or attrs.get("text"))
        url = " ".join((attrs.get("xmlurl") or "").split())[: MAX_URL_CHARS + 1]
        if url:
            found.append(OutlineFeed(url, label, tags))
        inner: tuple[str, ...] = tags + (label,) if (label and not url) else tags + ("",) if not url else tags
        stack.extend((child, inner) for child in reversed(outline.findall("outline")))
    return [OutlineFeed(f.url, f.title, tuple(t for t in f.tags if t)) for f in found]


def _label_url(url: str) -> str:
    return field_text(url, MAX_URL_CHARS, shorten=False)


def write(feeds, title: str = "newsreader subscriptions") -> str:
    """OPML 2.0 for (url, name, tags, feed title) tuples: nested outlines for the tags."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = email.utils.formatdate(usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[tuple[str, ...], ET.Element] = {(): body}

    def folder(path: tuple[str, ...]) -> ET.Element:
        if path not in folders:
            folders[path] = ET.SubElement(folder(path[:-1]), "outline", text=path[-1], title=path[-1])
        return folders[path]

    # What subscriptions hold is cleaned again on the way out (a library may hold folder
    # names and titles from before they were cleaned): no control or bidi override in the file.
    for url, name, tags, feed_title in feeds:
        name = _label(name) or "feed"
        attrs = {"type": "rss", "text": name, "title": _label(feed_title) or name, "xmlUrl": _label_url(url)}
        ET.SubElement(folder(tuple(t for t in map(_label, tags) if t)), "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
