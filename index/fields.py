"""The Whoosh index's fields: what each holds, how it is weighed in a search, and the version
that says when an index must be rebuilt.

Whoosh stores only ids; every text field is fed term lists computed by `analysis` (in worker
processes), and queries are parsed with the same functions (query.py), so indexing and
searching agree by construction.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.lang import has_stemmer
from whoosh.lang import languages as WHOOSH_LANGUAGES

from .analysis import TermTokenizer

INDEX_VERSION = "6"  # bump when the schema, analysis or codec changes: the library rebuilds from the catalog
STEM_LANGUAGES = tuple(code for code in WHOOSH_LANGUAGES if has_stemmer(code))
# `gloss`: the title and lead translated into the pivot language (glossing.py), below the
# article's own words.
FIELD_BOOSTS = {"title": 2.0, "text": 1.0, "skel": 0.4, "spell": 0.5, "gloss": 0.5}
STEM_BOOST = 0.6
PHRASE_FIELDS = ("title", "text")  # the fields with positions: phrases are answered there only
EXPANSION_FIELDS = ("skel", "spell", "gloss")  # other views of a word (with the stem_ fields)


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        "title": TEXT(analyzer=TermTokenizer("fold")),
        "text": TEXT(analyzer=TermTokenizer("fold")),
        "skel": TEXT(analyzer=TermTokenizer("script"), phrase=False),
        "spell": TEXT(analyzer=TermTokenizer("spelling"), phrase=False),
        # Folded words and their English stems in one field (no phrases: positions mean nothing).
        "gloss": TEXT(analyzer=TermTokenizer("fold"), phrase=False),
        "lang": ID,
        "source": KEYWORD(lowercase=True),  # space-separated words: `source:sputnik` works
        "path": ID,
        "date": DATETIME,
    }
    for code in STEM_LANGUAGES:
        fields[f"stem_{code}"] = TEXT(analyzer=TermTokenizer(f"stem-{code}"), phrase=False)
    return Schema(**fields)


def is_expansion(fieldname: str | None) -> bool:
    """Whether a field holds another view of a word (stem, outline, spelling, gloss) rather
    than the word itself."""
    return fieldname is not None and (fieldname in EXPANSION_FIELDS or fieldname.startswith("stem_"))
