"""Glosses: each article's title and lead translated into the pivot language (English) by the
models the reader installed, so that reports in languages that share little on the surface
(Arabic and Albanian; Turkish and Italian) meet in one language.

A gloss is derived state with a cost: it is made once per article text by a model (seconds
per article with a real Argos model), kept in the catalog (`glosses`), and used by
- event grouping: its names, numbers and n-grams join the article's features
  (`events.features.extract(..., gloss=)`), and
- search: it is indexed in the `gloss` field, and a result found through it says so.
Without a model nothing changes: grouping and search work on the original texts alone.

Translating happens outside any transaction (it is slow); each batch of finished glosses is
then written in one change, as articles whose derived state changed.

Every way in glosses what it brings: a library given a translator (`Library.gloss_new_with`;
the workspace gives its own, unless the reader turned it off) glosses the articles each add
and each fetch brought, after their change, whichever front end asked for the add or fetch.
"""

from __future__ import annotations

from .article import Article
from .langcodes import PIVOT, UNDETERMINED

LEAD_CHARS = 600  # the title and whole paragraphs up to this many characters: where reports agree most
LEAD_PARAGRAPHS = 3
BATCH = 25  # glosses written per change: progress is kept if the run is stopped
GLOSSING = "glossing"  # the unit of an add's progress while it glosses what it brought (see Library.add)


def lead_of(article: Article) -> list[str]:
    """What a gloss translates: the title, then the first paragraphs (whole, so the reader's
    translation pane finds them in the translation cache)."""
    lead, size = [article.title], 0
    for paragraph in article.paragraphs[:LEAD_PARAGRAPHS]:
        if size >= LEAD_CHARS:
            break
        lead.append(paragraph)
        size += len(paragraph)
    return lead


def needs_gloss(lang: str) -> bool:
    return lang not in (PIVOT, UNDETERMINED)


def translate_lead(translator, article: Article, route) -> str:
    """An article's gloss: its title, then its lead, translated (paragraphs apart)."""
    parts = [item.translation.strip() for item in translator.translate(lead_of(article), route)]
    return "\n\n".join(part for part in parts if part)
