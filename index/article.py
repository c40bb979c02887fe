"""The article: what every reader produces and every other part of the engine consumes."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field

from .langcodes import UNDETERMINED
from .text_cleanup import clean_line, is_clean
from .text_cleanup import paragraphs as split_paragraphs

# Every field is bounded where an article is made, whatever made it: a feed may send a 9 MB
# title, and one copy of it per item, per search view, per list row is what costs memory.
MAX_TITLE_CHARS = 200  # longer titles are cut at a word, with "…"
MAX_SOURCE_CHARS = 100  # a site's or feed's name
MAX_URL_CHARS = 2048  # the practical limit of links; a longer one is dropped (half a URL leads nowhere)
MAX_ID_CHARS = 200  # an id is a handle to type and list, not a place for text
MAX_CODE_CHARS = 35  # dates ("2024-10-22"), language codes ("zh-Hant-TW")
_READ_AHEAD = 8  # a field is cut to this many times its limit before cleaning (escapes take room)


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

    def __post_init__(self) -> None:
        # The one-line fields again, cheaply: an article read from a library written before
        # fetched feeds were cleaned may still hold what a terminal would act on.
        _admit(self, ("title", "source", "url", "date"))

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

    def __post_init__(self) -> None:
        # The single entry of every article's text: whatever reader, feed, page or caller
        # makes a draft, it is cleaned here (no control, escape sequence or bidi override in
        # any field; one-line fields on one line) and every field is bounded.
        paras = tuple(self.paragraphs)
        if not all(is_clean(p) for p in paras):
            paras = tuple(q for p in paras for q in split_paragraphs(p))
        object.__setattr__(self, "paragraphs", paras)
        _admit(self, ("title", "source", "url", "date", "id", "lang", "lang_hint"))


_LIMITS = {"title": MAX_TITLE_CHARS, "source": MAX_SOURCE_CHARS, "url": MAX_URL_CHARS, "id": MAX_ID_CHARS,
           "date": MAX_CODE_CHARS, "lang": MAX_CODE_CHARS, "lang_hint": MAX_CODE_CHARS}
_OPTIONAL = {"url", "date", "id", "lang", "lang_hint"}  # "" becomes None


def field_text(value: str | None, limit: int, *, shorten: bool = True) -> str:
    """A one-line field as an article keeps it: cleaned (tui/terminal_text.py escapes again
    at output), on one line, at most `limit` characters (cut at a word with "…" when
    `shorten`, else cut)."""
    if not value:
        return ""
    text = clean_line(value[: limit * _READ_AHEAD])
    if len(text) <= limit:
        return text
    if not shorten:
        return text[:limit]
    from .titles import shorten as at_word

    return at_word(text, limit - 1)


def _admit(article, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(article, name)
        if value is None or (len(value) <= _LIMITS[name] and is_clean(value) and value == value.strip()
                             and "\n" not in value and "\t" not in value):
            continue
        if name == "url":
            text = clean_line(value[: MAX_URL_CHARS * _READ_AHEAD])
            text = text if len(text) <= MAX_URL_CHARS else ""
        else:
            text = field_text(value, _LIMITS[name], shorten=name in ("title", "source"))
        object.__setattr__(article, name, None if name in _OPTIONAL and not text else text)


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
    # What glossing the added and updated articles did (below); None: nothing was glossed
    # (no translator given, no model installed, or nothing that needs a gloss).
    glossed: GlossReport | None = None


@dataclass
class GlossReport:
    """What glossing articles did (glossing.py): those glossed, those no installed model reaches."""

    glossed: list[str] = field(default_factory=list)
    no_model: dict[str, int] = field(default_factory=dict)  # language -> articles no installed model reaches
    already: int = 0  # articles with a current gloss, or in the pivot language
    # Why glossing what an add or fetch brought stopped (the articles stay added): one line.
    error: str | None = None

    def to_json(self) -> dict:
        return {"glossed": self.glossed, "no_model": self.no_model, "already": self.already}

    def summary(self) -> str:
        text = f"Translated the titles and leads of {_count(len(self.glossed))} into English"
        if self.no_model:
            missing = ", ".join(f"{lang} ({_count(n)})" for lang, n in sorted(self.no_model.items()))
            text += f"; no installed model translates {missing}: `newsreader models available` lists them"
        return text + "."


def _count(articles: int) -> str:
    return f"{articles} article{'' if articles == 1 else 's'}"
