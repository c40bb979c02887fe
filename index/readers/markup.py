"""HTML fragments (feed summaries) to paragraphs, keeping block structure."""

from __future__ import annotations

from ..text_cleanup import paragraphs

_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "section", "article")


def html_paragraphs(fragment: str) -> tuple[str, ...]:
    import lxml.html

    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml raises several types for junk markup; treat it as text then
        return paragraphs(fragment)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    return paragraphs(root.text_content())
