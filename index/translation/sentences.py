"""Sentence splitting with sentencex: rule based, pure Python, never downloads anything.

(argostranslate's own splitter, MiniSBD, downloads a model the first time a package without
one is used, which fails offline; Stanza needs torch.)
"""

from __future__ import annotations

# Scripts written without spaces between sentences: join translated sentences with "".
NO_SPACE_LANGS = frozenset({"zh", "zt", "ja", "th", "lo", "km", "my"})


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of one paragraph, stripped, without empty ones."""
    text = text.strip()
    if not text:
        return []
    from sentencex import segment  # ~10 ms import, paid on the first translation only

    try:
        sentences = [s.strip() for s in segment(lang, text)]
    except Exception:  # a rule set choking on odd input must not stop translation
        sentences = [text]
    return [s for s in sentences if s] or [text]


def join_sentences(sentences: list[str], lang: str) -> str:
    return ("" if lang in NO_SPACE_LANGS else " ").join(s for s in sentences if s)
