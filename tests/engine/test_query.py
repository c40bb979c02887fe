"""The query language (index/query.py): one parser for the app, the command line and the
search, its filters, rewrites, highlight terms and notes."""

from __future__ import annotations

import pytest
from whoosh import query as wq

from newsreader.index import QueryError
from newsreader.index.fields import build_schema
from newsreader.index.query import Parser, top_level

LANGUAGES = {"en", "tr"}


@pytest.fixture(scope="module")
def parser() -> Parser:
    return Parser(build_schema())


def parse(parser: Parser, text: str, library=("en", "tr")):
    return parser.parse(text, LANGUAGES, lambda: library)


def test_notes_say_what_a_query_probably_got_wrong(parser):
    assert parse(parser, "Putin AND").notes == ("AND needs a word after it",)
    assert parse(parser, "OR Putin").notes == ("OR needs a word before it",)
    assert parse(parser, '"Putin').notes == ('a phrase is not closed: add the closing "',)
    assert parse(parser, "lang:de Putin").notes == ("no article in the library is in 'de' (languages: en, tr)",)
    assert parse(parser, "Putin", library=()).notes == ()
    assert parse(parser, "lang:de", library=()).notes == ("no article in the library is in 'de' (languages: none yet)",)
    assert parse(parser, '"Putin Pezeshkian" lang:tr').notes == ()
    assert parse(parser, "Putin date:[2024 to").notes == (
        "a date range is not closed: add the closing ] (date:[2024-01 to 2024-06])",)
    assert parse(parser, "Putin date:[2024 to 2025]").notes == ()


def test_a_language_is_one_code_whatever_its_spelling(parser):
    for spelling in ("tr", "TR", "tr_TR", "tr-TR"):
        query = parse(parser, f"Putin lang:{spelling}")
        assert query.notes == (), spelling
        assert wq.Term("lang", "tr") in list(query.full.leaves())
    with pytest.raises(QueryError, match="lang:klingon: 'klingon' is not a language code"):
        parse(parser, "lang:klingon")


def test_the_library_languages_are_asked_only_for_a_lang_filter(parser):
    def never():
        raise AssertionError("asked")

    assert parser.parse("Putin -Iran", LANGUAGES, never).notes == ()


def test_exclusions_alone_mean_everything_else(parser):
    for text in ("-Putin", "NOT Putin", "-Putin -Iran"):
        scored, filters, exclusions = top_level(parse(parser, text).full)
        assert (scored, filters) == ([], []) and exclusions, text
    assert not parse(parser, "-Putin").terms  # nothing to highlight
    scored, _, exclusions = top_level(parse(parser, "Iran -Putin").full)
    assert scored and exclusions
    assert "putin" not in parse(parser, "Iran -Putin").terms.folded
    assert parse(parser, "Putin-Reisi").terms.folded >= {"putin", "reisi"}  # a hyphen inside a word is no minus


def test_is_filters_are_taken_out_as_marks(parser):
    query = parse(parser, "Putin is:unread -is:starred")
    assert query.marks == (("read", False), ("starred", False))
    assert query.terms.folded == {"putin"}
    only = parse(parser, "is:starred")
    assert only.marks == (("starred", True),) and only.full is None and not only.terms
    with pytest.raises(QueryError, match="is:new is not a filter"):
        parse(parser, "is:new")


def test_dates_are_read_or_refused(parser):
    _, filters, _ = top_level(parse(parser, "Putin date:2024-10").full)
    assert len(filters) == 1 and isinstance(filters[0], wq.NumericRange) and filters[0].fieldname == "date"
    for bad in ("date:2024-13", "date:[zzz to 2024]", "date:yesterday"):
        with pytest.raises(QueryError, match="cannot read the date"):
            parse(parser, bad)
