"""Markdown: the text a reader sees, not the markup. Emphasis, code spans, links and images
become their text; headings, quotes and rules lose their marks; the items of a list (tight or
loose) become one paragraph, one item a line ("• item", or "1. item" when numbered); a fenced
code block is one paragraph with its lines kept. The seed header (` date YYYY-MM [URL]`) is
read as in plain text."""

from __future__ import annotations

import re

from ..article import ArticleDraft
from . import plaintext

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*(\d{1,9})[.)]\s+(.*)$")
_LINK_DEFINITION = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+.*$")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)

_INLINE = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image: its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # <https://…>
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
]
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_HIDDEN = 0xF0000  # escaped characters wait in a private-use plane while the rules run


def inline(text: str) -> str:
    """One line of Markdown as plain text."""
    text = _ESCAPED.sub(lambda m: chr(_HIDDEN + ord(m.group(1))), text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    text = "".join(chr(ord(c) - _HIDDEN) if _HIDDEN <= ord(c) < _HIDDEN + 128 else c for c in text)
    return " ".join(text.split())


def read(text: str) -> list[ArticleDraft]:
    return plaintext.read(text, lambda body: paragraphs(_HTML_COMMENT.sub("", body)))


def paragraphs(text: str) -> list[str]:
    result: list[str] = []
    prose: list[str] = []  # lines of the paragraph being read (joined with spaces)
    items: list[str] = []  # items of the list being read (joined with newlines)
    code: list[str] | None = None  # lines of a fenced block

    def end_prose() -> None:
        if prose:
            joined = inline(" ".join(prose))
            if joined:
                result.append(joined)
            prose.clear()

    def end_list() -> None:
        if items:
            result.append("\n".join(items))
            items.clear()

    for line in text.split("\n"):
        if code is not None:
            if _FENCE.match(line):
                if any(part.strip() for part in code):
                    result.append("\n".join(part.rstrip() for part in code).strip("\n"))
                code = None
            else:
                code.append(line)
            continue
        if _FENCE.match(line):
            end_prose()
            end_list()
            code = []
            continue
        stripped = _QUOTE.sub("", line)
        if not stripped.strip():
            end_prose()  # a blank line ends a paragraph, not a list (loose lists)
            continue
        if _LINK_DEFINITION.match(stripped) or _RULE.match(stripped):
            end_prose()
            end_list()
            continue
        if prose and _SETEXT.match(stripped):  # the line above was a heading
            end_prose()
            continue
        heading = _HEADING.match(stripped)
        bullet = _BULLET.match(stripped)
        numbered = _NUMBERED.match(stripped)
        if heading:
            end_prose()
            end_list()
            if inline(heading.group(1)):
                result.append(inline(heading.group(1)))
        elif bullet or numbered:
            end_prose()
            if items and items[-1].startswith("• ") != bool(bullet):
                end_list()  # a numbered list after a bulleted one (or the reverse) is another list
            if bullet:
                items.append(f"• {inline(bullet.group(1))}")
            elif numbered:
                items.append(f"{numbered.group(1)}. {inline(numbered.group(2))}")
        elif items and line.startswith((" ", "\t")) and not prose:
            items[-1] += " " + inline(stripped)  # an item's continuation line
        else:
            end_list()
            prose.append(stripped.strip())
    end_prose()
    end_list()
    if code:
        result.append("\n".join(code).strip("\n"))
    return result
