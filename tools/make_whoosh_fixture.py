"""Write tests/fixtures/whoosh-bulk/: a small index written by newsreader's bulk segment writer
(index/bulk_segment.py, which writes Whoosh's W3 format itself, through private details), and
`expected.json`: what Whoosh's own writer and reader make of the same documents.

tests/engine/test_whoosh_format.py opens the fixture with Whoosh's own reader and compares it
with expected.json, so a Whoosh release that reads its format differently fails there before it
meets a library. Run this again only after checking a new Whoosh release against the bulk writer
(tests/engine/test_bulk_segment.py byte for byte), with the pin in pyproject.toml moved to it:

    .venv/bin/python tools/make_whoosh_fixture.py
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tempfile
from importlib.metadata import version
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import DATETIME, ID, KEYWORD, TEXT, Schema
from whoosh.writing import SegmentWriter

REPO = Path(__file__).resolve().parent.parent

FIXTURE = REPO / "tests" / "fixtures" / "whoosh-bulk"
COMPRESSION = 1  # search_index.POSTING_COMPRESSION
WORDS = ["putin", "pezeshkian", "ashgabat", "iran", "russia", "gas", "harbour", "storm", "minister", "trade"]
DELETED = ["d003", "d077", "d140"]
QUERIES = [("text", "putin"), ("title", "iran"), ("skel", "xbtn"), ("source", "sputnik")]


def schema() -> Schema:
    """newsreader's kinds of field, with Whoosh's own analyzers: the fixture depends on Whoosh
    alone (the bulk writer is handed ready-made terms and never calls them)."""
    return Schema(id=ID(stored=True, unique=True), title=TEXT, text=TEXT, skel=TEXT(phrase=False),
                  lang=ID, source=KEYWORD(lowercase=True), date=DATETIME)


def document(number: int, wave: int = 0) -> dict:
    """Term lists as newsreader's analysis hands them over; `putin` in 4 of 5 documents (two
    blocks of postings, 128 a block), repeated words (positions), dates on most."""
    words = [WORDS[(number * 7 + k * 3 + wave) % len(WORDS)] for k in range(3 + number % 9)]
    if number % 5:
        words.append("putin")
    doc = {"id": f"d{number:03d}", "title": words[:3], "text": words + words[: number % 3],
           "skel": ["xbtn"] if number % 5 else ["xgs"], "lang": "tr" if number % 2 else "en",
           "source": "sputnik news" if number % 6 == 0 else "example"}
    if number % 4:
        doc["date"] = dt.datetime(2024, 1 + number % 12, 1 + number % 28)
    return doc


def batches() -> list[list[dict]]:
    return [[document(n) for n in range(150)], [document(n, wave=1) for n in range(150, 175)]]


def write(folder: Path, writer_class) -> None:
    """Two segments (the second deleting documents of the first), as successive adds make."""
    ix = whoosh_index.create_in(str(folder), schema())
    for number, batch in enumerate(batches()):
        writer = writer_class(ix, codec=W3Codec(compression=COMPRESSION), compound=False)
        if number:
            for article_id in DELETED:
                writer.delete_by_term("id", article_id)
        for doc in batch:
            writer.add_document(**doc)
        writer.commit(merge=False)


def read(folder: Path) -> dict:
    """What Whoosh's own reader gives: documents, postings, lengths, statistics and scores."""
    ix = whoosh_index.open_dir(str(folder))
    with ix.searcher() as searcher:
        reader = searcher.reader()
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        postings = {}
        every = hashlib.sha256()  # every posting of every term, in order
        for field, term in reader.all_terms():
            matcher = reader.postings(field, term)
            positions = reader.schema[field].format.supports("positions")
            found = []
            while matcher.is_active():
                docnum = matcher.id()
                if docnum in ids:
                    found.append([ids[docnum], matcher.weight(), matcher.value_as("positions") if positions else None])
                matcher.next()
            key = f"{field}:{term.decode('utf-8', 'backslashreplace')}"
            every.update(json.dumps([key, found]).encode("utf-8"))
            if (field, term.decode("utf-8", "replace")) in QUERIES + [("text", "iran"), ("lang", "tr")]:
                postings[key] = found
        lengths = {field: {ids[d]: reader.doc_field_length(d, field) for d in sorted(ids)} for field in ("title", "text")}
        hits = {}
        for field, term in QUERIES:
            results = searcher.search(wq.Term(field, term), limit=None)
            hits[f"{field}:{term}"] = [[hit["id"], round(hit.score, 9)] for hit in results]
        dated = searcher.search(wq.DateRange("date", dt.datetime(2024, 3, 1), dt.datetime(2024, 5, 31)), limit=None)
        hits["date:2024-03..05"] = sorted(hit["id"] for hit in dated)
        return {
            "whoosh": version("whoosh-reloaded"), "doc_count": ix.doc_count(), "segments": len(ix._segments()),
            "ids": sorted(ids.values()), "postings": postings, "every_posting": every.hexdigest(),
            "stored": [reader.stored_fields(d) for d in sorted(ids)], "lengths": lengths, "hits": hits,
            "doc_frequency": {f"{f}:{t}": reader.doc_frequency(f, t) for f, t in QUERIES},
            "field_length": {f: reader.field_length(f) for f in ("title", "text", "skel")},
        }


def main() -> None:
    from newsreader.index.bulk_segment import BulkSegmentWriter

    with tempfile.TemporaryDirectory() as tmp:
        whooshs = Path(tmp) / "whoosh"
        whooshs.mkdir()
        write(whooshs, SegmentWriter)
        expected = read(whooshs)
    if FIXTURE.exists():
        shutil.rmtree(FIXTURE)
    (FIXTURE / "index").mkdir(parents=True)
    write(FIXTURE / "index", BulkSegmentWriter)
    for lock in (FIXTURE / "index").glob("*WRITELOCK*"):
        lock.unlink()
    if read(FIXTURE / "index") != expected:
        raise SystemExit("the bulk writer's index does not read as Whoosh's own: fix the writer first")
    (FIXTURE / "expected.json").write_text(json.dumps(expected, sort_keys=True) + "\n", encoding="utf-8")
    size = sum(p.stat().st_size for p in FIXTURE.rglob("*") if p.is_file())
    print(f"wrote {FIXTURE} ({size:,} bytes) with whoosh-reloaded {expected['whoosh']}")


if __name__ == "__main__":
    main()
