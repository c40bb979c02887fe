"""OPML, the subscription lists feed readers exchange: reading one (folders, i.e. nested
outlines without a feed URL, become tags, outermost first) and writing OPML 2.0."""

from __future__ import annotations

import email.utils
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..errors import NewsreaderError

MAX_OPML_BYTES = 5 * 1024 * 1024


class OpmlError(NewsreaderError):
    """An OPML file that cannot be read."""


@dataclass(frozen=True)
class OutlineFeed:
    url: str
    title: str | None
    tags: tuple[str, ...]


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
    if root.tag.lower() != "opml":
        raise OpmlError(f"{where}: not an OPML file (its root element is <{root.tag}>, not <opml>)")
    body = root.find("body")
    if body is None:
        raise OpmlError(f"{where}: an OPML file without a <body>; nothing to import")
    found: list[OutlineFeed] = []

    def walk(element, tags: tuple[str, ...]) -> None:
        for outline in element.findall("outline"):
            attrs = {k.lower(): v for k, v in outline.attrib.items()}
            label = (attrs.get("title") or attrs.get("text") or "").strip() or None
            url = (attrs.get("xmlurl") or "").strip()
            if url:
                found.append(OutlineFeed(url, label, tags))
            walk(outline, tags + (label,) if (label and not url) else tags)

    walk(body, ())
    return found


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

    for url, name, tags, feed_title in feeds:
        attrs = {"type": "rss", "text": name, "title": feed_title or name, "xmlUrl": url}
        ET.SubElement(folder(tuple(tags)), "outline", attrs)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
