"""The fuzz pass over what the network hands newsreader (issue 19), beside test_fuzz_inputs.py
and with its settings (derandomized in CI; NEWSREADER_FUZZ=explore for more, at random):

    package index JSON    index.translation.package_index.read_index
    URLs                  index.http_download.check_url (feeds added, imported, redirect targets)
    content encodings     index.http_download's bounded decoding of a body's Content-Encoding

Each gives a result or its one-line error, never anything else; a package index's names stay
safe as file names, a URL accepted can be requested, and a body is decoded 64 KB at a time
whatever its compression claims."""

from __future__ import annotations

import gzip
import json
import re
import zlib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from test_fuzz_inputs import FEW, FUZZ, HOSTILE, LEAK, assert_one_line_error, mutated

pytestmark = pytest.mark.slow  # 5-30 s each: left out of the fast loop (pytest -m "not slow")

_FILE_NAME = re.compile(r"^[a-z0-9_.-]{1,80}\Z")


# -- package index JSON -------------------------------------------------------------------------

def json_values() -> st.SearchStrategy:
    leaves = (st.none() | st.booleans() | st.integers() | st.floats() | st.sampled_from(HOSTILE) | st.text(max_size=8)
              | st.sampled_from(["tr", "en", "1.0", "translate", "https://x.example/p.argosmodel", "1.\u00b2"]))
    return st.recursive(leaves, lambda inner: st.lists(inner, max_size=3)
                        | st.dictionaries(st.sampled_from(list(FIELDS)), inner, max_size=3), max_leaves=6)


FIELDS = {"from_code": "tr", "to_code": "en", "package_version": "1.0", "type": "translate", "size": 1,
          "links": ["https://x.example/p"], "sha256": "0" * 64, "checksum": "0" * 64, "from_name": "Turkish",
          "to_name": "English"}


@st.composite
def generated_indexes(draw) -> bytes:
    """Index entries with some fields good and the others anything JSON can hold."""
    entries = []
    for _ in range(draw(st.integers(1, 4))):
        entry = {name: value for name, value in FIELDS.items() if draw(st.booleans())}
        entry.update(draw(st.dictionaries(st.sampled_from(list(FIELDS)), json_values(), max_size=4)))
        entries.append(entry)
    return json.dumps(entries).encode()


@FEW
@given(mutated("index.json") | generated_indexes())
@example(b'[{"from_code": "tr", "to_code": "en", "links": 5}]')
@example(b"[" * 100_000 + b"]" * 100_000)
@example(b'[{"from_code": "tr", "to_code": "en", "package_version": "' + b"1" * 5000 + b'", "links": ["https://x.example/"]}]')
def test_fuzz_package_index(data: bytes) -> None:
    from newsreader.index.http_download import check_url
    from newsreader.index.translation.errors import TranslationError
    from newsreader.index.translation.package_index import read_index

    try:
        packages = read_index(data, "index.json")
    except TranslationError as exc:
        assert_one_line_error(exc)
        return
    for package in packages:
        assert _FILE_NAME.match(package.file_name) and _FILE_NAME.match(package.name), package
        assert not LEAK.search(package.title) and len(package.title) < 100, package.title
        assert package.size is None or (type(package.size) is int and package.size > 0)
        assert all(check_url(link) == link for link in package.links)


# -- URLs ---------------------------------------------------------------------------------------

URL_PARTS = ["http://", "https://", "ftp://", "file:///", "//", "[", "]", "::1", "v1.fe", ":", "8080", ":80",
             "99999", "@", "user:pass@", "a..b", ".", "xn--", "xn--zz", "a" * 64, "-", "_", "%41", "%", "?", "#",
             "/", "例え", "münchen", "\u00ad", "\u202e", "\x1b]0;x\x07", " ", "\t", "\n", "127.0.0.1", "localhost",
             "example.com"]


@FUZZ
@given(st.lists(st.sampled_from(URL_PARTS) | st.text(max_size=6), max_size=10).map("".join))
@example("http://[x")
@example("http://h:8080:80/")
@example("http://a.xn--/")
def test_fuzz_urls(url: str) -> None:
    import httpx

    from newsreader.index.http_download import BadURL, check_url

    try:
        kept = check_url(url)
    except BadURL as exc:
        assert_one_line_error(exc)
        return
    parsed = httpx.URL(kept)  # what the request is made of
    assert parsed.scheme in ("http", "https") and parsed.host, kept
    assert parsed.port is None or 0 < parsed.port < 65536, kept
    parsed.raw_host.decode("ascii").encode("idna")  # what the resolver is asked
    assert not LEAK.search(kept), kept


# -- content encodings --------------------------------------------------------------------------

ENCODINGS = ["gzip", "x-gzip", "deflate", "identity", "br", "zstd", "compress", "GZIP", " gzip ", "", "\x1b[2J"]


@st.composite
def encoded_bodies(draw) -> tuple[str, bytes]:
    """A Content-Encoding header and a body: encoded as it says, as it does not say, or noise."""
    names = draw(st.lists(st.sampled_from(ENCODINGS), max_size=5))
    body = draw(st.binary(max_size=2000) | st.just(bytes(1 << 20)) | st.just(b"<rss>" * 1000))
    if draw(st.booleans()):
        for name in names:
            if name.strip().lower() in ("gzip", "x-gzip"):
                body = gzip.compress(body, mtime=0)
            elif name == "deflate":
                body = zlib.compress(body)
    if draw(st.booleans()) and body:
        cut = draw(st.integers(0, len(body)))
        body = body[:cut] + draw(st.binary(max_size=16)) + body[cut:]
    return ", ".join(names), body


@FUZZ
@given(encoded_bodies())
@example(("gzip, gzip", gzip.compress(gzip.compress(bytes(50 << 20)))))
@example(("deflate", zlib.compressobj(9, zlib.DEFLATED, -15).compress(b"raw") + b"\x03\x00"))
def test_fuzz_content_decoding(case: tuple[str, bytes]) -> None:
    from newsreader.index.http_download import CHUNK, DownloadError, _Decoder

    header, body = case
    try:
        decoder = _Decoder(header)
    except DownloadError as exc:
        assert_one_line_error(exc)
        return
    total = 0
    try:
        for start in range(0, len(body), 4096):  # as it streams in
            for piece in decoder.feed(body[start:start + 4096]):
                assert 0 < len(piece) <= CHUNK
                total += len(piece)
                if total > 2 << 20:  # the size limit's place: decoding stops here
                    return
        for piece in decoder.end():
            assert 0 < len(piece) <= CHUNK
    except zlib.error:
        pass  # "the response's compression is broken": one line, made by the session
