"""Reading one file into prepared articles: decode, parse, detect language, compute terms.

`prepare_file` is a pure function of the file's bytes, so the library runs it in worker
processes when many files come in at once, and the Whoosh writer only adds ready terms.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import analysis
from .article import ArticleDraft, Problem, content_hash
from .decoding import InputError, read_bytes
from .langcodes import normalize
from .language import detect
from .readers import read_file

if TYPE_CHECKING:
    from .events.features import Features


@dataclass
class PreparedArticle:
    draft: ArticleDraft
    lang: str
    lang_confidence: float
    hash: str
    # The terms of each search field; pickled (bytes) when prepared in a worker process, so that
    # the main process passes them to an index writer process without unpickling them.
    terms: dict[str, list[str]] | bytes
    features: Features  # what event grouping needs of it
    entry_hash: str = ""  # what its source's entry records, when not `hash` (a feed item whose page was read)


@dataclass
class PreparedFile:
    path: str
    size: int = 0
    mtime_ns: int = 0
    hash: str = ""
    kind: str = ""  # text, html, jsonl or feed: decides the source's policy and identities
    unchanged: bool = False
    articles: list[PreparedArticle] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: bool = False  # the file as a whole could not be read
    id_stem: str = ""  # what new ids start with (a subscription's name); "" for the file's name


def prepare_article(draft: ArticleDraft, forced_lang: str | None) -> PreparedArticle:
    body = "\n\n".join(draft.paragraphs)
    if forced_lang:
        lang, confidence = normalize(forced_lang), 1.0
    elif draft.lang:
        lang, confidence = normalize(draft.lang), 1.0
    else:
        found = detect(f"{draft.title}\n{body}", hint=draft.lang_hint)
        lang, confidence = found.lang, found.confidence
    digest = content_hash(draft.title, body, lang, draft.date, draft.url, draft.source, draft.id)
    from .events.features import extract

    return PreparedArticle(draft, lang, confidence, digest, analysis.index_terms(draft.title, body, lang),
                           extract(draft.title, draft.paragraphs, lang))


def prepare_articles(drafts: list[ArticleDraft], forced_lang: str | None,
                     packed: bool = False) -> list[PreparedArticle]:
    """Worker-process entry point for the articles of one large file (JSONL, feeds); `packed`:
    terms as pickled bytes."""
    prepared = [prepare_article(draft, forced_lang) for draft in drafts]
    if packed:
        for article in prepared:
            article.terms = pickle.dumps(article.terms, protocol=pickle.HIGHEST_PROTOCOL)
    return prepared


ArticlePreparer = Callable[[list[ArticleDraft], "str | None"], list[PreparedArticle]]


def prepare_file(path: str, known_hash: str | None = None, forced_lang: str | None = None,
                 preparer: ArticlePreparer = prepare_articles) -> PreparedFile:
    """Read one file into prepared articles; `preparer` lets a caller spread a large file's
    articles over worker processes."""
    result = PreparedFile(path)
    try:
        stat = os.stat(path)
        result.size, result.mtime_ns = stat.st_size, stat.st_mtime_ns
        data = read_bytes(Path(path))
        result.hash = hashlib.blake2b(data, digest_size=16).hexdigest()
        if result.hash == known_hash:
            result.unchanged = True
            return result
        contents = read_file(Path(path), data)
    except InputError as exc:
        result.failed = True
        result.problems.append(Problem(path, str(exc)))
        return result
    except FileNotFoundError:
        result.failed = True
        result.problems.append(Problem(path, "disappeared while being added"))
        return result
    result.kind = contents.kind
    result.problems.extend(contents.problems)
    drafts = []
    for draft in contents.drafts:
        if draft.paragraphs:
            drafts.append(draft)
        else:
            result.problems.append(Problem(path, "has an article with no text; skipped", draft.line))
    result.articles = preparer(drafts, forced_lang)
    if not result.articles and not result.problems:
        result.failed = True
        result.problems.append(Problem(path, "holds no article text; nothing to add"))
    return result


def prepare_many(jobs: list[tuple[str, str | None, str | None]], packed: bool = False) -> list[PreparedFile]:
    """Worker-process entry point: a chunk of jobs per call keeps pickling overhead low."""
    files = [prepare_file(*job) for job in jobs]
    if packed:
        for file in files:
            for article in file.articles:
                article.terms = pickle.dumps(article.terms, protocol=pickle.HIGHEST_PROTOCOL)
    return files
