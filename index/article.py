"""The article: what every reader produces and every other part of the engine consumes."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from .langcodes import UNDETERMINED


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    paragraphs: tuple[str, ...]
    lang: str = UNDETERMINED
    lang_confidence: float = 0.0
    date: str | None = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD": sources are vague, keep what they say
    source: str = ""
    url: str | None = None
    path: str | None = None  # the file it came from; None for articles given as data
    content_hash: str = ""
    event: str | None = None  # the event it belongs to: derived (never stored with the article)

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    def to_json(self) -> dict:
        data = asdict(self)
        data["paragraphs"] = list(self.paragraphs)
        return data


@dataclass(frozen=True)
class ArticleDraft:
    """What a format reader extracts from a file before language detection and id assignment."""

    paragraphs: tuple[str, ...]
    title: str = ""
    lang: str | None = None  # a language the data gives for this article (JSONL `lang`): taken as is
    lang_hint: str | None = None  # a language the feed or page declares: used by detection's rule
    date: str | None = None
    source: str = ""
    url: str | None = None
    id: str | None = None  # an id the data carries (JSONL `id`), kept as is
    key: str = ""  # stable key of the draft inside its file (feed guid, JSONL id or text hash)
    line: int | None = None  # where it started in the file, for error messages
    summary_only: bool = False  # a feed item with no full-content element (feeds/pages.py)


def content_hash(*parts: str | None) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update((part or "").encode("utf-8", "surrogatepass"))
        digest.update(b"\x1f")
    return digest.hexdigest()


@dataclass
class Problem:
    """One input that could not be ingested; `str()` is the one line a user sees."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.message}"


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)
    kept_out: list[str] = field(default_factory=list)  # the reader removed them; `restore` brings them back
    problems: list[Problem] = field(default_factory=list)
    files: int = 0
