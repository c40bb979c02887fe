"""The query language: what the app's search box and `newsreader search` read, and what it means.

One parser for every front end. A query is words, "phrases", AND / OR / NOT, `-word` (leave
out) and `+word` (require), and filters:

    lang:CODE       articles in a language, any spelling of its code (TR, tr_TR, tr-TR: tr);
                    lang:ar,tr in either
    source:WORD     a word of the source's name (source:sputnik)
    date:2024-10    a year, month or day; date:[2024-01 to 2024-06], date:>2024-06
    is:unread       the reader's marks: is:read, is:unread, is:starred, is:unstarred

Whoosh's parser reads the words and the lang/source/date filters (with the plugins below); the
`is:` filters are taken out first, since the marks live in the catalog, not the index, and
the search applies them as sets of ids. The parsed query is then rewritten to how the fields
are stored, split into the exact tier and the full one, and carries the terms to highlight and
notes about what the query probably got wrong (said, not raised: the query still runs).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import cached_property

from whoosh import query as wq
from whoosh.qparser import GtLtPlugin, MultifieldPlugin, PhrasePlugin, PlusMinusPlugin, QueryParser, syntax

from .analysis import WORD, fold
from .errors import QueryError
from .fields import FIELD_BOOSTS, PHRASE_FIELDS, STEM_BOOST, STEM_LANGUAGES, is_expansion
from .highlight import QueryTerms
from .langcodes import PIVOT, LanguageCodeError, normalize

# `is:` filters: name -> (the reader's flag, the value wanted).
MARK_FILTERS = {"read": ("read", True), "unread": ("read", False),
                "starred": ("starred", True), "unstarred": ("starred", False)}
_MARK_FILTER = re.compile(r"(?<![^\s(])(-?)is:(\S*?)(?=$|[\s)])", re.IGNORECASE)

DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
DATE_EXAMPLES = "write dates like 2024, 2024-10 or 2024-10-07, ranges like date:[2024-01 to 2024-06] or date:>2024-06"
_DATE_TERM = re.compile(r"\bdate:(\[[^\]]*\]?|\{[^}]*\}?|[<>]=?\S+|\S+)")
_DATE_OPERATORS = re.compile(r"[\[\]{}<>=]")
_DATE_TO = re.compile(r"\bto\b", re.IGNORECASE)
_OPEN_RANGE = re.compile(r"\bdate:[\[{](?![^\]}]*[\]}])", re.IGNORECASE)
_TRAILING_OPERATOR = re.compile(r"(?:^|\s)(AND|OR|NOT)\s*$")
_LEADING_OPERATOR = re.compile(r"^\s*(AND|OR)(?:\s|$)")
# Whoosh's range types: filters on a document set, never scored.
_UNSCORED = (wq.DateRange, wq.NumericRange, wq.TermRange)


def parse_date(value: str | None) -> dt.datetime | None:
    """'2024', '2024-10', '2024-10-07' -> the first moment they name; None for anything else
    (2024-13 too). The index's date field is written with it as well."""
    match = DATE.match(value or "")
    if not match:
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return dt.datetime(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class Query:
    """A query as the search runs it."""

    text: str  # as typed
    marks: tuple[tuple[str, bool], ...] = ()  # the is: filters: (flag, wanted)
    full: wq.Query | None = None  # every view of every word; None when there are no words
    exact: wq.Query | None = None  # the words in title and folded text only (exclusions kept whole)
    notes: tuple[str, ...] = ()  # what the query probably got wrong

    @cached_property
    def terms(self) -> QueryTerms:
        """The terms it looks for, for highlighting (see `highlight.matches`)."""
        return terms_of(self.full) if self.full is not None else QueryTerms()


class Parser:
    """Parses queries against one index's fields. Building a Whoosh parser with its plugins
    costs milliseconds: one is kept per set of languages."""

    def __init__(self, schema):
        self.schema = schema
        self._parsers: dict[tuple[str, ...], QueryParser] = {}
        self._lock = threading.Lock()  # Whoosh parsers keep state while parsing

    def parse(self, text: str, languages: Iterable[str],
              library_languages: Callable[[], Collection[str]] | None = None) -> Query:
        """`languages`: whose stems the words are looked for in; `library_languages` (asked
        only when the query has a lang: filter): what the notes compare lang: with."""
        words, marks = split_marks(text)
        notes = syntax_notes(text)
        if not words:
            return Query(text, marks, notes=tuple(notes))
        with self._lock:
            parser = self._parser(tuple(sorted(languages)))
            try:
                parsed = parser.parse(words)
            except Exception:  # Whoosh raises bare Exception, ValueError or IndexError (`<>`)
                raise QueryError(_date_problem(words) or f"cannot parse the query {words!r}; check its quotes, "
                                 "brackets and operators (< and > go with a date: date:>2024-06)") from None
        if _unreadable_dates(words):  # Whoosh would quietly make them match nothing
            raise QueryError(_date_problem(words) or DATE_EXAMPLES)
        full = _rewrite(parsed, self.schema)
        if library_languages is not None:
            notes += language_notes(full, library_languages)
        return Query(text, marks, full, _rewrite(_exact_only(parsed), self.schema), tuple(notes))

    def _parser(self, languages: tuple[str, ...]) -> QueryParser:
        parser = self._parsers.get(languages)
        if parser is None:
            stem_fields = [f"stem_{code}" for code in languages if code in STEM_LANGUAGES]
            boosts = dict(FIELD_BOOSTS, **{name: STEM_BOOST for name in stem_fields})
            parser = QueryParser(None, self.schema)
            parser.add_plugin(_MultifieldPlugin(list(boosts), fieldboosts=boosts))
            # -word excludes, +word requires; only at the start of a word, so that
            # "Putin-Reisi" and date:2024-10 stay whole.
            parser.add_plugin(_PlusMinusPlugin(plusexpr=r"(?<![^\s(])\+", minusexpr=r"(?<![^\s(])-"))
            # Dates go through the DATETIME field's own parser (YYYY, YYYY-MM, YYYY-MM-DD),
            # not DateParserPlugin, which reads "2024-10" as 2024 and NOT 10.
            parser.add_plugin(GtLtPlugin())  # date:>2024-06
            parser = self._parsers[languages] = parser
        return parser


def split_marks(text: str) -> tuple[str, tuple[tuple[str, bool], ...]]:
    """("putin is:unread") -> ("putin", (("read", False),)); `-is:starred` means is:unstarred."""
    found: list[tuple[str, bool]] = []

    def take(match: re.Match) -> str:
        name = match.group(2).lower()
        if name not in MARK_FILTERS:
            raise QueryError(f"is:{match.group(2)} is not a filter; use is:unread, is:read, is:starred "
                             "or is:unstarred")
        flag, wanted = MARK_FILTERS[name]
        found.append((flag, wanted != bool(match.group(1))))
        return " "

    return _MARK_FILTER.sub(take, text).strip(), tuple(found)


def syntax_notes(text: str) -> list[str]:
    """What the way a query is written probably got wrong: an operator with nothing after it
    (`Putin AND`), a phrase or a date range never closed (`"Putin`, `date:[2024 to`)."""
    found = []
    if text.count('"') % 2:
        found.append('a phrase is not closed: add the closing "')
    if _OPEN_RANGE.search(text):
        found.append("a date range is not closed: add the closing ] (date:[2024-01 to 2024-06])")
    trailing = _TRAILING_OPERATOR.search(text)
    if trailing:
        found.append(f"{trailing.group(1)} needs a word after it")
    leading = _LEADING_OPERATOR.match(text)
    if leading:
        found.append(f"{leading.group(1)} needs a word before it")
    return found


def language_notes(query: wq.Query, library_languages: Callable[[], Collection[str]]) -> list[str]:
    """A lang: filter on a language no article is in (`lang:de` in a Turkish library). The
    codes are compared as the filter uses them, normalized: lang:tr_TR is lang:tr."""
    asked = sorted({leaf.text for leaf in query.leaves() if isinstance(leaf, wq.Term) and leaf.fieldname == "lang"})
    if not asked:
        return []
    known = set(library_languages())
    listed = ", ".join(sorted(known)) or "none yet"
    return [f"no article in the library is in {code!r} (languages: {listed})" for code in asked if code not in known]


def top_level(query: wq.Query) -> tuple[list[wq.Query], list[wq.Query], list[wq.Query]]:
    """(scored, filters, exclusions): a top-level and's ranges are filters and its nots
    exclusions, applied as document sets rather than stepped through for every candidate."""
    scored: list[wq.Query] = [query]
    filters: list[wq.Query] = []
    masks: list[wq.Query] = []
    if isinstance(query, wq.AndNot):
        scored = [query.a]
        masks.append(query.b)
    elif isinstance(query, wq.Not):
        scored = []
        masks.append(query.query)
    elif isinstance(query, wq.And):
        scored = []
        for child in query.subqueries:
            if isinstance(child, wq.Not):
                masks.append(child.query)
            elif isinstance(child, _UNSCORED):
                filters.append(child)
            else:
                scored.append(child)
    return scored, filters, masks


def terms_of(query: wq.Query) -> QueryTerms:
    """The terms a query looks for (not those it excludes), grouped by view, for highlighting."""
    folded, skeletons, stems, spellings = set(), set(), set(), set()

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if node.is_leaf():
            for fieldname, text in node.iter_all_terms(phrases=True):
                text = text.decode("utf-8") if isinstance(text, bytes) else text
                if fieldname in ("text", "title"):
                    folded.add(text)
                elif fieldname == "skel":
                    skeletons.add(text)
                elif fieldname == "spell":
                    spellings.add(text)
                elif fieldname.startswith("stem_"):
                    stems.add(text)
            return
        for child in node.children():
            walk(child)

    walk(query)
    return QueryTerms(frozenset(folded), frozenset(skeletons), frozenset(stems), frozenset(spellings))


# -- Whoosh parser plugins -------------------------------------------------------------------

class _MultifieldPlugin(MultifieldPlugin):
    """Whoosh's multifield expansion, but a quoted phrase, or a word that is really several
    ("Putin-Reisi"), only goes to fields with positions: in the others it would match its
    words in any order, or one word alone where the field's analysis drops the others."""

    def do_multifield(self, parser, group):
        for i, node in enumerate(group):
            if isinstance(node, syntax.GroupNode):
                group[i] = self.do_multifield(parser, node)
            elif node.has_fieldname and node.fieldname is None:
                phrase = isinstance(node, PhrasePlugin.PhraseNode) or (
                    isinstance(node, syntax.WordNode) and len(WORD.findall(node.text)) > 1)
                variants = []
                for name in self.fieldnames:
                    if phrase and name not in PHRASE_FIELDS:
                        continue
                    variant = copy.copy(node)
                    variant.set_fieldname(name)
                    variant.set_boost(self.boosts.get(name, 1.0))
                    variants.append(variant)
                group[i] = self.group(variants)
        return group


class _PlusMinusPlugin(PlusMinusPlugin):
    """Whoosh's +word / -word, but a query of exclusions alone (`-Putin`) means every article
    without them, as `NOT Putin` does; Whoosh made it match nothing."""

    def do_plusminus(self, parser, group):
        grouped = super().do_plusminus(parser, group)
        if isinstance(grouped, syntax.AndNotGroup) and not grouped[0]:
            return syntax.NotGroup([grouped[1]])
        return grouped


# -- rewrites to how the fields are stored ----------------------------------------------------

def _exact_only(node: wq.Query) -> wq.Query:
    """The query without the stem and skeleton variants of the words it looks for; what it
    excludes keeps every variant, so its hits are always a subset of the full query's."""
    if isinstance(node, wq.Not):
        return node
    if isinstance(node, wq.AndNot):
        return wq.AndNot(_exact_only(node.a), node.b)
    if node.is_leaf():
        return wq.NullQuery if is_expansion(getattr(node, "fieldname", None)) else node
    return node.apply(_exact_only).normalize()


def _rewrite(node: wq.Query, schema) -> wq.Query:
    """Adapt a parsed query to how the fields are stored.

    A stem is stored only where it differs from the folded word, so a stem is looked for in the
    folded field too. A phrase on a field without positions (`skel:"a b"`) cannot be answered.
    """
    if isinstance(node, wq.Term) and node.fieldname == "lang":
        try:  # lang:TR and lang:tr_TR mean lang:tr, as --lang does; lang:ar,tr is either
            codes = sorted({normalize(code) for code in node.text.split(",") if code})
        except LanguageCodeError as exc:
            raise QueryError(f"lang:{node.text}: {exc}") from None
        if not codes:
            raise QueryError(f"lang:{node.text}: give a language code such as tr, or several: lang:ar,tr")
        terms = [wq.Term("lang", code, boost=node.boost) for code in codes]
        return terms[0] if len(terms) == 1 else wq.Or(terms)
    if isinstance(node, wq.Term) and node.fieldname.startswith("stem_"):
        also = [wq.Term("text", fold(node.text), boost=node.boost)]
        if node.fieldname == f"stem_{PIVOT}":  # glosses keep their stems beside their words
            also.append(wq.Term("gloss", node.text, boost=FIELD_BOOSTS["gloss"] * node.boost))
        return wq.Or([node, *also])
    if isinstance(node, wq.Phrase):
        return node if schema[node.fieldname].format.supports("positions") else wq.NullQuery
    if node.is_leaf():
        return node
    node = node.apply(lambda child: _rewrite(child, schema)).normalize()
    if isinstance(node, wq.Or):
        node = _without_weaker_duplicates(node)
    return node


def _without_weaker_duplicates(node: wq.Or) -> wq.Query:
    """`text:putin` from the word and again from its stem: keep the stronger one."""
    best: dict[tuple, wq.Query] = {}
    for child in node.subqueries:
        key = (child.fieldname, child.text) if isinstance(child, wq.Term) else (id(child),)
        if key not in best or child.boost > best[key].boost:
            best[key] = child
    if len(best) == len(node.subqueries):
        return node
    return wq.Or(list(best.values()), boost=node.boost)


# -- dates ------------------------------------------------------------------------------------

def _date_problem(text: str) -> str | None:
    if "date:" not in text:
        return None
    return f"cannot read the date in {text!r}; {DATE_EXAMPLES}"


def _unreadable_dates(text: str) -> bool:
    """Whether a `date:` value (or range bound) is not YYYY, YYYY-MM or YYYY-MM-DD."""
    for match in _DATE_TERM.finditer(text):
        for bound in _DATE_TO.split(_DATE_OPERATORS.sub(" ", match.group(1))):
            bound = bound.strip()
            if bound and (not DATE.fullmatch(bound) or parse_date(bound) is None):  # 2024-13 is no date
                return True
    return False
