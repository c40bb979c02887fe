"""Titles: the headline when the text starts with one, else the start of its first sentence."""

from __future__ import annotations

import re

MAX_HEADLINE = 160
TITLE_CHARS = 90
_SENTENCE_END = re.compile(r"[.!?؟。…](?=[\s\"'”’»)]|$)")
_ENDS_LIKE_SENTENCE = re.compile(r"[.!?؟。…,;:]$")


def is_headline(paragraph: str) -> bool:
    """A short line that does not end like a sentence: 'Putin-Reisi görüşmesi: ...'."""
    return 0 < len(paragraph) <= MAX_HEADLINE and not _ENDS_LIKE_SENTENCE.search(paragraph.rstrip("'\"”’»"))


def shorten(text: str, limit: int = TITLE_CHARS) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:-–—") + "…"


def first_sentence(paragraph: str) -> str:
    match = _SENTENCE_END.search(paragraph)
    sentence = paragraph[: match.start()] if match else paragraph
    return shorten(sentence)


def split_title(paragraphs: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """Return (title, body paragraphs); a headline line is taken out of the body."""
    if not paragraphs:
        return "", ()
    if len(paragraphs) > 1 and is_headline(paragraphs[0]):
        return paragraphs[0], paragraphs[1:]
    return first_sentence(paragraphs[0]), paragraphs
