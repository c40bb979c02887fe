"""Reading a file to translate without adding it to the library (`newsreader translate FILE`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import TranslationError


@dataclass(frozen=True)
class Document:
    title: str
    paragraphs: tuple[str, ...]
    lang: str
    path: str


def read_documents(path: str | Path, lang: str | None = None) -> tuple[list[Document], list[str]]:
    """The articles in a file (any format `newsreader add` reads), language detected or given,
    and a line for each part of the file that could not be read (a bad JSONL line)."""
    from ..ingest import prepare_file

    prepared = prepare_file(str(path), forced_lang=lang)
    if prepared.failed:
        reason = prepared.problems[0] if prepared.problems else f"{path}: cannot be read"
        raise TranslationError(str(reason))
    documents = [Document(item.draft.title, tuple(item.draft.paragraphs), item.lang, str(path))
                 for item in prepared.articles]
    return documents, [str(problem) for problem in prepared.problems]
