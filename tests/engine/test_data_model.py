"""The data model: schema migrations, the reader's state kept apart from what sources say,
article identity across moves and re-adds, source policies, thread-safe catalog access."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from newsreader.index import Library
from newsreader.index.errors import LibraryError

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "library-0.1.0"
EN = "The Russian president met his Iranian counterpart in Ashgabat on Friday to discuss trade and regional security."
FR = "Le président russe a rencontré son homologue iranien à Achgabat vendredi pour parler de commerce et de sécurité."
IT = "Il presidente russo ha incontrato il suo omologo iraniano ad Ashgabat venerdì per discutere di commercio e sicurezza."


def feed(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f"<item><guid>{guid}</guid><title>{title}</title><link>https://news.example/{guid}</link>"
                   f"<description>{text}</description></item>" for guid, title, text in items)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>{body}</channel></rss>'


ITEMS = [("g1", "Harbour reopens", EN), ("g2", "Musée", FR), ("g3", "Museo", IT),
         ("g4", "Storm over Izmir", "A storm closed the harbour of Izmir for three days and damaged dozens of boats.")]


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "library") as lib:
        yield lib


# -- migrations -------------------------------------------------------------------------------

@pytest.fixture
def old_library(tmp_path):
    """A copy of a library written by 0.1.0 (see tests/fixtures/library-0.1.0/README.md)."""
    folder = tmp_path / "library"
    shutil.copytree(FIXTURE / "library", folder)
    return folder


def test_a_library_from_0_1_0_opens_with_everything_it_had(old_library):
    expected = json.loads((FIXTURE / "expected.json").read_text())
    with Library(old_library) as library:
        listed = [s.to_json() for s in library.articles()]
        # 0.1.0 had no reader state; everything else is what it printed then.
        assert [{k: v for k, v in s.items() if k not in ("read", "starred")} for s in listed] == \
            [{k: v for k, v in s.items() if k != "event"} for s in expected["list"]]
        assert all(not s["read"] and not s["starred"] for s in listed)
        # Names now match across spellings, so `-Raisi` also excludes 002, which writes Reisi.
        expected["search"]["Putin -Raisi"].remove("002_2e250433782985ab")
        for query, ids in expected["search"].items():
            # The same articles; their order may differ since names also match across spellings.
            assert sorted(r.article.id for r in library.search(query)) == sorted(ids), query
        for article_id, shown in expected["show"].items():
            article = library.get(article_id).to_json()
            # 0.1.0 never filled `event`; now every article is in one (events are derived anew).
            assert article.pop("event").startswith("ev-") and shown.pop("event") is None
            assert article == shown
        stats = library.stats()
        assert (stats.articles, stats.files, stats.languages, stats.sources) == (
            expected["stats"]["articles"], expected["stats"]["files"], expected["stats"]["languages"],
            expected["stats"]["sources"])


def test_the_newest_articles_come_from_an_index_not_a_sort_of_the_whole_library(old_library, tmp_path):
    # The app's first screenful (articles(limit=)) walks the articles_newest index a migrated
    # library gets too, in the list's order (newest first, undated last, then by id).
    (tmp_path / "more.jsonl").write_text("".join(json.dumps(
        {"id": f"m{i}", "title": f"Report {i}", "text": EN, "lang": "en", "date": date}) + "\n"
        for i, date in enumerate(["2030-01-01", None, "2030-01-01", "1999-05"])), encoding="utf-8")
    with Library(old_library) as library:
        library.add([tmp_path / "more.jsonl"])
        every = [(s.date, s.id) for s in library.articles()]
        assert every[:2] == [("2030-01-01", "m0"), ("2030-01-01", "m2")] and every[-1][0] is None
        assert every == sorted(every, key=lambda d: (d[0] or "", tuple(-ord(c) for c in d[1])), reverse=True)
        statements = []
        library._catalog.db.set_trace_callback(statements.append)
        assert [(s.date, s.id) for s in library.articles(limit=3)] == every[:3]
        library._catalog.db.set_trace_callback(None)
        query = next(sql for sql in statements if "ORDER BY" in sql)
        plan = " ".join(str(row[-1]) for row in library._catalog.db.execute("EXPLAIN QUERY PLAN " + query))
        assert "articles_newest" in plan and "TEMP B-TREE" not in plan, plan


def test_sources_of_a_migrated_library_are_recognised_when_added_again(old_library, tmp_path):
    """0.1.0 recorded where each article came from; the same files added from another folder
    are the same articles (moved), not copies."""
    sources = tmp_path / "moved"
    shutil.copytree(FIXTURE / "sources", sources)
    with Library(old_library) as library:
        ids = sorted(s.id for s in library.articles())
        report = library.add([sources])
        assert report.added == [] and report.removed == [] and not report.problems
        assert sorted(report.updated) == ids
        assert sorted(s.id for s in library.articles()) == ids
        again = library.add([sources])
        assert again.unchanged == 9 and not (again.added or again.updated)


def test_a_library_from_a_newer_version_is_refused_untouched(old_library):
    catalog = old_library / "catalog.sqlite"
    db = sqlite3.connect(catalog)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()
    before = catalog.read_bytes()
    with pytest.raises(LibraryError, match="newer newsreader.*version 99"):
        Library(old_library)
    assert catalog.read_bytes() == before


def test_reader_state_survives_a_migration(old_library):
    with Library(old_library) as library:
        library.mark(["wire-1"], read=True, starred=True)
    with Library(old_library) as library:
        assert library.marks("wire-1").read and library.marks("wire-1").starred


def test_a_version_7_library_upgrades_in_place_and_reads_the_same(tmp_path, wire):
    """Version 8 compresses article bodies and drops the stored event features of the old
    format: everything reads the same, the reader's marks stay, and the file shrinks."""
    from newsreader.index.schema import SCHEMA_VERSION, unpack_paragraphs

    folder = tmp_path / "library"
    with Library(folder) as library:
        library.add([wire])
        library.mark(["a0"], read=True, starred=True)
        library.set_language(["a1"], "it")
        library.remove("a2")
        shown = {i: library.get(i).to_json() for i in ("a0", "a1", "a2")}
        hits = sorted(r.article.id for r in library.search("Ashgabat"))
        events = sorted(e.members for e in library.events())
    # Make it what version 7 wrote: bodies as JSON text, event features in their old format
    # (large blobs: most of an old file).
    db = sqlite3.connect(folder / "catalog.sqlite")
    for article_id, paragraphs in db.execute("SELECT id, paragraphs FROM articles").fetchall():
        db.execute("UPDATE articles SET paragraphs = ? WHERE id = ?",
                   (json.dumps(list(unpack_paragraphs(paragraphs)), ensure_ascii=False), article_id))
    db.execute("UPDATE event_features SET version = '3', features = randomblob(300000)")
    # ... and its event tables: the change log, none of version 9's
    db.execute("CREATE TABLE event_log (revision INTEGER NOT NULL, article_id TEXT NOT NULL, op TEXT NOT NULL)")
    for table in ("event_pairs", "event_hubs", "event_aliases", "event_keys"):
        db.execute(f"DROP TABLE {table}")
    db.execute("PRAGMA user_version = 7")
    db.commit()
    db.close()
    old_size = (folder / "catalog.sqlite").stat().st_size
    with Library(folder) as library:
        assert {i: library.get(i).to_json() for i in ("a0", "a1", "a2")} == shown
        assert library.marks("a0").read and library.marks("a0").starred and not library.marks("a1").read
        assert library.get("a1").lang == "it" and "a2" not in {s.id for s in library.articles()}
        assert sorted(r.article.id for r in library.search("Ashgabat")) == hits
        assert sorted(e.members for e in library.events()) == events
    db = sqlite3.connect(folder / "catalog.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {row[0] for row in db.execute("SELECT typeof(paragraphs) FROM articles")} == {"blob"}
    assert db.execute("SELECT COUNT(*) FROM event_features WHERE version = '3'").fetchone()[0] == 0
    db.close()
    assert (folder / "catalog.sqlite").stat().st_size < old_size / 4  # compacted: the old blobs' pages went


def test_article_bodies_read_back_from_both_formats():
    from newsreader.index.schema import pack_paragraphs, unpack_paragraphs

    paragraphs = ("Première ligne « citée »", "بوتين\nsecond line", "")
    assert unpack_paragraphs(pack_paragraphs(paragraphs)) == paragraphs
    assert unpack_paragraphs(json.dumps(list(paragraphs), ensure_ascii=False)) == paragraphs  # before version 8
    assert isinstance(pack_paragraphs(paragraphs), bytes)


# -- the reader's state -----------------------------------------------------------------------

@pytest.fixture
def wire(tmp_path):
    f = tmp_path / "src" / "wire.jsonl"
    f.parent.mkdir()
    f.write_text("\n".join(json.dumps({"id": f"a{i}", "text": t}) for i, t in enumerate([EN, FR, IT])))
    return f


def test_marks_survive_readding_changing_other_articles_and_a_rebuild(library, wire):
    library.add([wire])
    library.mark(["a0"], read=True)
    library.mark(["a1"], starred=True)
    library.add([wire], lang="en")  # re-read with another language: every article rewritten
    rows = [json.loads(line) for line in wire.read_text().splitlines()]
    rows[2]["text"] = IT.replace("venerdì", "lunedì")
    wire.write_text("\n".join(json.dumps(r) for r in rows))
    assert library.add([wire]).updated
    library.rebuild()
    summaries = {s.id: s for s in library.articles()}
    assert summaries["a0"].read and not summaries["a0"].starred
    assert summaries["a1"].starred and not summaries["a1"].read
    assert not summaries["a2"].read


def test_marks_survive_a_move_and_a_forgotten_then_readded_file(library, tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "story.txt").write_text(EN)
    library.add([folder])
    library.mark(["story"], read=True, starred=True)
    moved = tmp_path / "elsewhere"
    folder.rename(moved)
    report = library.add([moved])
    assert report.added == [] and report.updated == ["story"]  # the same article, found again
    assert library.marks("story").starred
    library.remove(str(moved))  # forget the file: the article goes
    assert library.articles() == []
    report = library.add([moved])
    assert report.added == ["story"]
    assert library.marks("story").read and library.marks("story").starred


def test_a_removed_article_is_kept_out_of_a_readd_and_restore_brings_it_back(library, wire):
    library.add([wire])
    assert library.remove("a1") == ["a1"]
    assert [s.id for s in library.articles()] == ["a0", "a2"]
    assert [r.article.id for r in library.search("homologue")] == []
    report = library.add([wire])  # unchanged file: it says so instead of silently doing nothing
    assert report.kept_out == ["a1"] and report.unchanged == 2
    wire.write_text(wire.read_text().replace("vendredi", "samedi"))  # and when the file changed
    report = library.add([wire])
    assert report.kept_out == ["a1"] and report.added == []
    library.rebuild()
    assert [r.article.id for r in library.search("homologue")] == []
    assert library.restore("a1") is True
    assert [r.article.id for r in library.search("samedi")] == ["a1"]
    assert library.restore("a1") is False


def test_a_feed_file_keeps_items_that_rotated_out(library, tmp_path):
    f = tmp_path / "feed.rss"
    f.write_text(feed(ITEMS[:3]))
    first = library.add([f])
    assert len(first.added) == 3
    library.mark([first.added[0]], read=True)
    f.write_text(feed(ITEMS[2:]))  # items 1-2 left the feed, 4 is new
    report = library.add([f])
    assert len(report.added) == 1 and report.removed == []
    assert len(library.articles()) == 4
    assert library.marks(first.added[0]).read


def test_the_same_feed_item_in_two_saved_copies_is_one_article(library, tmp_path):
    (tmp_path / "monday.rss").write_text(feed(ITEMS[:2]))
    (tmp_path / "tuesday.rss").write_text(feed(ITEMS[1:3]))
    library.add([tmp_path / "monday.rss"])
    report = library.add([tmp_path / "tuesday.rss"])
    assert len(report.added) == 1 and len(report.updated) == 1
    assert len(library.articles()) == 3


def test_a_text_file_mirrors_what_it_holds(library, wire):
    library.add([wire])
    wire.write_text(json.dumps({"id": "a0", "text": EN}))
    report = library.add([wire])
    assert sorted(report.removed) == ["a1", "a2"]
    assert [s.id for s in library.articles()] == ["a0"]


def test_republished_copies_that_both_exist_stay_two_articles(library, tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "story.txt").write_text(EN)
    report = library.add([tmp_path / "a", tmp_path / "b"])
    assert len(report.added) == 2


# -- language codes ----------------------------------------------------------------------------

def test_language_codes_are_normalised_on_every_path(tmp_path, seeded_library):
    turkish = ["000", "001", "002"]
    assert sorted(s.id[:3] for s in seeded_library.articles(lang="TR")) == turkish
    assert sorted(r.article.id[:3] for r in seeded_library.search("Putin", lang="tr_TR")) == turkish
    assert sorted(r.article.id[:3] for r in seeded_library.search("Putin lang:TR")) == turkish
    from newsreader.index import QueryError

    with pytest.raises(QueryError, match="not a language code"):
        seeded_library.search("lang:../x")


# -- threads ---------------------------------------------------------------------------------

def test_reading_on_one_thread_while_another_adds(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(40):
        (folder / f"n{i:02}.txt").write_text([EN, FR, IT][i % 3].replace("Ashgabat", f"Ashgabat {i}"))
    with Library(tmp_path / "library", workers=1) as library:
        library.add([folder / "n00.txt"])
        errors: list[BaseException] = []
        done = threading.Event()

        def add() -> None:
            try:
                library.add([folder])
            except BaseException as exc:  # noqa: BLE001 - the test reports it
                errors.append(exc)
            finally:
                done.set()

        worker = threading.Thread(target=add)
        worker.start()
        reads = 0
        while not done.is_set() or reads < 5:
            counts = {len(library.articles()), len(library.search("Ashgabat OR Achgabat", limit=None))}
            assert counts <= set(range(1, 41)), counts
            reads += 1
        worker.join()
        assert not errors
        assert len(library.articles()) == 40 and reads >= 5


def test_closing_the_catalog_never_closes_a_connection_another_thread_is_using(tmp_path):
    """The app closes its library when it quits, while a worker may be inside a query: that
    worker's connection is let go, not closed under it (which can crash the process)."""

    from newsreader.index.catalog import Catalog

    catalog = Catalog(tmp_path / "catalog.sqlite")
    ready, closed, answers = threading.Event(), threading.Event(), []

    def worker() -> None:
        db = catalog.db  # this thread's connection
        ready.set()
        closed.wait(10)
        try:
            answers.append(db.execute("SELECT 1").fetchone()[0])
        except Exception as exc:  # noqa: BLE001 - the failure is the finding
            answers.append(exc)

    thread = threading.Thread(target=worker)
    thread.start()
    ready.wait(10)
    catalog.close()
    closed.set()
    thread.join(10)
    assert answers == [1]
    mine = catalog.db  # a new connection for this thread after close
    assert mine.execute("SELECT 1").fetchone()[0] == 1
    catalog.close()
