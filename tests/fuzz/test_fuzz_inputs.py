"""The fuzz pass (issue 19): Hypothesis mutates the seeds in tests/fuzz/seeds/ (and writes
structured documents of its own) for every entry point that takes input from outside:

    feed bytes     index.feeds.items.prepare_feed (feedparser, the feed reader, the draft's cleaning)
    OPML           index.feeds.opml.read
    config TOML    tui.config.parse
    state file     tui.remembered.load
    JSONL lines    index.readers.jsonl.read

Each must either give a result or raise the project's own one-line error (NewsreaderError,
ConfigError); and nothing it gives (titles, sources, links, text, tags, error messages) may
hold a control character, an escape sequence or a bidi override.

Bounded: by default (CI) each entry point gets a fixed number of inputs, derandomized so every
run tries the same ones, in about a minute of CPU in all. `NEWSREADER_FUZZ=explore` tries ten
times more, at random, keeping what fails in tests/fuzz/examples/ (Hypothesis's database, which
later explore runs replay first); an input found that way becomes an @example below, which
every run tries. Figures: `pytest tests/fuzz --hypothesis-show-statistics`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase

from newsreader.index.errors import NewsreaderError

pytestmark = pytest.mark.slow  # 10-40 s each: left out of the fast loop (pytest -m "not slow")
HERE = Path(__file__).parent
SEEDS = {path.name: path.read_bytes() for path in sorted((HERE / "seeds").iterdir())}
_EXPLORE = os.environ.get("NEWSREADER_FUZZ") == "explore"
_database = DirectoryBasedExampleDatabase(HERE / "examples")
FUZZ = settings(
    max_examples=30_000 if _EXPLORE else 3000, deadline=None,
    derandomize=not _EXPLORE,  # CI tries the same inputs every run; explore, new ones
    database=_database if _EXPLORE else None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
# Feeds cost most (detection, terms and event features per item): fewer of them.
FEW = settings(FUZZ, max_examples=FUZZ.max_examples // 3)

# What must never reach a terminal or a file from data.
LEAK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
LEAK_IN_LINE = re.compile(f"[\n\t{LEAK.pattern[1:-1]}]")

# Fragments a hostile source sends: terminal sequences raw and as XML/HTML references, bidi
# overrides, separators, markup, entities, nesting bombs, huge numbers, broken encodings.
HOSTILE = [
    "\x1b]2;PWNED\x07", "\x1b]52;c;ZXZpbA==\x07", "\x1b[31;1m", "\x1b[2J\x1b[H", "\x1bc", "\x1bP1$qm\x1b\\",
    "\x9b6n", "\x9d0;t\x9c", "\x07\x08\x0d\x7f", "\x00", "\x85", "\u2028\u2029", "\u202e", "\u2066\u2069", "\ufeff",
    "&#27;]2;x&#7;", "&#x9b;2J", "&#155;", "&#0;", "&#xD800;", "&amp;", "&lt;b&gt;", "<![CDATA[\x1b[5m]]>", "]]>",
    "<!ENTITY a 'aaaa'>", "<!DOCTYPE x [<!ENTITY b SYSTEM 'file:///etc/passwd'>]>", "&b;",
    "<div>" * 300, "</div>" * 300, "[" * 2000, "{" * 2000, '{"a":' * 2000, "]" * 2000, "9" * 5000, "-1e99999",
    '"', "'", "\\", "\\u0000", "\\ud800", "\\u001b", "[bold red]x[/]", "\n", "\r\n", "\t", " " * 50,
    "Ünïcødé ﺑﻮﺗﻴﻦ 漢字 😀", "\udcff",
]
HOSTILE_BYTES = [h.encode("utf-8", "surrogatepass") for h in HOSTILE] + [
    b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\xf5\x80\x80\x80", b"\x1b", b"\x9b",
]


def _apply(seed: bytes, edits) -> bytes:
    """The seed with each edit applied: insert a fragment, delete or repeat a range, set a byte."""
    data = bytearray(seed)
    for kind, at, length, fragment in edits:
        at = at % (len(data) + 1)
        if kind == "insert":
            data[at:at] = fragment
        elif kind == "delete":
            del data[at:at + length % 64]
        elif kind == "repeat":
            data[at:at] = data[at:at + length % 64] * (1 + length % 7)
        elif data:
            data[at % len(data)] = length % 256
    return bytes(data)


def mutated(*names: str, fragments: list[str] = HOSTILE) -> st.SearchStrategy[bytes]:
    pieces = [h.encode("utf-8", "surrogatepass") for h in fragments] + HOSTILE_BYTES[len(HOSTILE):]
    edit = st.tuples(st.sampled_from(["insert", "delete", "repeat", "byte"]), st.integers(0, 1 << 20),
                     st.integers(0, 1 << 16), st.sampled_from(pieces) | st.binary(max_size=24))
    return st.builds(_apply, st.sampled_from([SEEDS[n] for n in names]), st.lists(edit, max_size=8))


def hostile_text(max_size: int = 40, fragments: list[str] = HOSTILE) -> st.SearchStrategy[str]:
    """Text mixing words, hostile fragments and any code point."""
    piece = st.sampled_from(fragments) | st.text(max_size=12) | st.sampled_from(["Putin", "Ashgabat", "talks", " "])
    return st.lists(piece, max_size=max_size // 4).map("".join)


def xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def assert_clean_line(value, what: str) -> None:
    if value is not None:
        assert not LEAK_IN_LINE.search(value), (what, value)


def assert_one_line_error(exc: BaseException) -> None:
    message = str(exc)
    assert message and "\n" not in message and not LEAK.search(message), message
    assert len(message) < 2000, len(message)


# -- feed bytes -------------------------------------------------------------------------------

@st.composite
def generated_feeds(draw) -> bytes:
    """An RSS document written from hostile fields (as a server could send it)."""
    text = hostile_text(fragments=HOSTILE)
    items = draw(st.lists(st.tuples(text, hostile_text(80, HOSTILE), text, text), min_size=1, max_size=4))
    raw = draw(st.booleans())  # hostile text raw in the XML, or escaped as XML text
    put = (lambda v: v) if raw else xml_text
    body = "".join(f"<item><guid>{put(g)}</guid><title>{put(t)}</title><link>https://x.example/{put(g)}</link>"
                   f"<description>{put(d)}</description></item>" for t, d, g, _ in items)
    title = put(items[0][3])
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"{body}</channel></rss>").encode("utf-8", "surrogatepass")


@FEW
@given(mutated("rss.xml", "atom.xml", "rdf.xml", fragments=HOSTILE) | generated_feeds())
@example(SEEDS["rss.xml"].replace(b"World News", "\x1b]2;PWNED\x07\u202e".encode() + b"A" * 300_000))
@example(b'<?xml version="1.0"?><rss><channel><title>x</title>' + b"<item>" * 5000 + b"</item>" * 5000
         + b"</channel></rss>")
@example(SEEDS["rss.xml"].replace(b"Budget passes", b"Budget &#xD800; &#x110000; &#99999999999; passes"))  # found here
def test_fuzz_feed_bytes(body: bytes) -> None:
    from newsreader.index.feeds.items import NotAFeed, prepare_feed

    try:
        prepared = prepare_feed("https://feed.example/rss", body, "fuzz")
    except NotAFeed as exc:
        assert_one_line_error(exc)
        return
    for article in prepared.articles:
        draft = article.draft
        for name in ("title", "source", "url", "date", "id", "lang", "lang_hint"):
            assert_clean_line(getattr(draft, name), name)
        for paragraph in draft.paragraphs:
            assert not LEAK.search(paragraph), paragraph
        assert len(draft.title) <= 200 and len(draft.source) <= 100
    for problem in prepared.problems:
        assert_one_line_error(problem)


# -- OPML ---------------------------------------------------------------------------------------

@st.composite
def generated_opml(draw) -> bytes:
    depth = draw(st.integers(0, 60))
    label, url = draw(hostile_text()), draw(hostile_text())
    return ('<opml version="2.0"><body>' + f'<outline text="{xml_text(label)}">' * depth
            + f'<outline text="{xml_text(label)}" xmlUrl="http://a.example/{xml_text(url)}"/>'
            + "</outline>" * depth + "</body></opml>").encode("utf-8", "surrogatepass")


@FUZZ
@given(mutated("subscriptions.opml") | generated_opml())
@example(b"<opml><body>" + b'<outline text="f">' * 5000 + b'<outline xmlUrl="http://a.example/"/>'
         + b"</outline>" * 5000 + b"</body></opml>")
@example(SEEDS["subscriptions.opml"].replace(b'encoding="UTF-8"', b'encoding="TF-8"'))  # found by explore: LookupError
def test_fuzz_opml(data: bytes) -> None:
    from newsreader.index.feeds import opml

    try:
        feeds = opml.read(data, "subscriptions.opml")
    except NewsreaderError as exc:
        assert_one_line_error(exc)
        return
    for feed in feeds:
        assert_clean_line(feed.title, "title")
        for tag in feed.tags:
            assert tag and not LEAK_IN_LINE.search(tag), tag
    written = opml.write((f.url, f.title or "feed", f.tags, f.title) for f in feeds)
    assert not LEAK.search(written.replace("\n", "")), written


# -- the config file -------------------------------------------------------------------------------

@st.composite
def generated_config(draw) -> bytes:
    sections = ["library", "translation", "ui", "events", "feeds", "keys", "nonsense"]
    keys = ["dir", "target", "engine", "cache_mb", "show", "package_index", "rtl", "translate_leads", "timeout_s",
            "parallel", "max_mb", "search", "toggle_translation", "quit", "x"]
    values = st.sampled_from(['"en"', "true", "64", "-1", "1e400", "[1, [2, [3]]]", "{a = 1}", '"\\u001b]0;x\\u0007"',
                              "9" * 5000, "[" * 500 + "]" * 500, '"ctrl+f"', "2024-10-07T10:00:00Z", '""'])
    lines = []
    for section in draw(st.lists(st.sampled_from(sections), max_size=4)):
        lines.append(f"[{section}]")
        lines += [f"{k} = {v}" for k, v in draw(st.lists(st.tuples(st.sampled_from(keys), values), max_size=4))]
    return "\n".join(lines).encode()


@FUZZ
@given(mutated("config.toml") | generated_config())
@example(b"a = " + b"[" * 5000 + b"]" * 5000)
@example(b"[translation]\ncache_mb = " + b"1" * 5000)
@example(b'[keys]\nsearch = "\\u001b]0;PWNED\\u0007"')
def test_fuzz_config(data: bytes) -> None:
    from newsreader.tui.config import ConfigError, parse

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return  # the file reader refuses it before parsing (tests/cli/test_hostile_files.py)
    try:
        settings_ = parse(text, "/home/me/.config/newsreader/config.toml")
    except (ConfigError, NewsreaderError) as exc:
        assert_one_line_error(exc)
        return
    for value in settings_.keys.values():
        assert not LEAK_IN_LINE.search(value), value


# -- the app's state file ----------------------------------------------------------------------------

@FUZZ
@given(mutated("state.json"))
@example(b'{"theme": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
@example(b'{"sort": 1' + b"0" * 5000 + b"}")
@example(SEEDS["state.json"].replace(b'"textual-light"', b'"\xc2\x9b6ntextual-light"'))  # found by explore
@example(SEEDS["state.json"].replace(b'"visual"', b'"\xed\xa0\x80visual"'))  # found by explore: UnicodeEncodeError
@example(b'{"theme": "\\ud800x"}')
def test_fuzz_state_file(tmp_path_factory, data: bytes) -> None:
    from newsreader.tui import remembered

    path = tmp_path_factory.getbasetemp() / "fuzz-state.json"  # one file, rewritten: mktemp per input is quadratic
    path.write_bytes(data)
    choices, problem = remembered.load(path)  # never raises: a damaged file is a note
    if problem is not None:
        assert "\n" not in problem and not LEAK.search(problem), problem
    for value in choices.to_json().values():
        if isinstance(value, str):
            assert not LEAK_IN_LINE.search(value), value


# -- JSONL lines -----------------------------------------------------------------------------------------

@st.composite
def generated_lines(draw) -> str:
    import json

    objects = draw(st.lists(st.dictionaries(st.sampled_from(["id", "lang", "title", "date", "source", "url", "text"]),
                                            hostile_text() | st.integers() | st.none() | st.booleans(), max_size=7),
                            max_size=4))
    return "\n".join(json.dumps(o) for o in objects)


@FUZZ
@given(mutated("wire.jsonl").map(lambda b: b.decode("utf-8", "replace")) | generated_lines())
@example('{"text": "x", "id": "' + "i" * 100_000 + '"}')
@example('{"a":' * 3000 + "1" + "}" * 3000)
@example('{"text": "x", "n": ' + "9" * 5000 + "}")  # found here: ValueError, not JSONDecodeError
@example('{"text": "lone \\ud800 \\u001b]2;x\\u0007 text", "title": "\\u202etitle\\u009b2J"}')
def test_fuzz_jsonl_lines(text: str) -> None:
    from newsreader.index.readers import jsonl

    drafts, problems = jsonl.read(text, "wire.jsonl")
    for draft in drafts:
        for name in ("title", "source", "url", "date", "id", "lang"):
            assert_clean_line(getattr(draft, name), name)
        for paragraph in draft.paragraphs:
            assert not LEAK.search(paragraph), paragraph
    for problem in problems:
        assert "\n" not in str(problem), problem

