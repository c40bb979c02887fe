"""Following events and searches (index/following.py through Library): a followed event keeps
its follower when it grows or merges, a followed search is matched against new articles only,
each new report is listed once, and an old library gains the tables on opening."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from newsreader.index import Library, NotFound, bundled_seeds

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SEEDS = bundled_seeds()
EN_REPORT = {"id": "ashgabat-en", "lang": "en", "source": "World Desk", "date": "2024-10-12",
             "title": "Putin and Pezeshkian meet in Ashgabat",
             "text": "Russian President Vladimir Putin met Iranian President Masoud Pezeshkian in Ashgabat, "
                     "Turkmenistan, on 11 October 2024, their first meeting since Pezeshkian took office. "
                     "Pezeshkian said relations with Russia were strategic and that a treaty was being prepared."}


def jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path


def seed(name: str) -> Path:
    return next(SEEDS.glob(f"{name}_*.txt"))


def test_followed_event_grows_and_each_new_report_is_listed_once(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add([seed("000"), seed("001"), seed("002"), seed("004")])
        event = lib.event_of(seed("000").stem)
        followed = lib.follow(event.id)
        assert (followed.kind, followed.target, followed.reports, followed.new) == ("event", event.id, 3, 0)
        assert lib.take_new() == []  # what it had when followed is not new
        lib.add([seed("003"), jsonl(tmp_path / "en.jsonl", EN_REPORT)])
        [now] = lib.following()
        assert now.new == 2 and now.reports == 5
        [alert] = lib.take_alerts()
        assert sorted(r.id for r in alert.reports) == sorted([seed("003").stem, "ashgabat-en"])
        assert alert.title().startswith("2 new reports: ") and "Putin and Pezeshkian meet" in alert.summary()
        assert lib.take_alerts() == []  # handed over once
        [arrival] = lib.take_new()
        assert sorted(r.id for r in arrival.reports) == sorted([seed("003").stem, "ashgabat-en"])
        assert lib.take_new() == [] and lib.following()[0].new == 0


def test_followed_event_keeps_its_follower_when_it_merges(tmp_path):
    """quake-b starts as a consent wall (never grouped: an event of its own); when its real text
    comes, it joins quake-a's event and its own id is gone: the follow goes with it."""
    a, b = (json.loads(line) for line in (FIXTURES / "izmir-quake.jsonl").read_text().splitlines())
    wall = dict(b, text="We use cookies to improve your experience. By continuing you accept our privacy policy. "
                        "Please verify you are a human. Enable JavaScript and cookies to continue.")
    with Library(tmp_path / "lib") as lib:
        lib.add([jsonl(tmp_path / "a.jsonl", a), jsonl(tmp_path / "b.jsonl", wall)])
        own = lib.event_of("quake-b").id
        assert own != lib.event_of("quake-a").id
        lib.follow(own)
        lib.add([jsonl(tmp_path / "b.jsonl", b)])
        merged = lib.event_of("quake-b")
        assert merged.id != own and set(merged.members) == {"quake-a", "quake-b"}
        [followed] = lib.following()
        assert followed.target == merged.id and followed.new == 1
        [alert] = lib.take_alerts()
        assert [r.id for r in alert.reports] == ["quake-a"]
        assert [[r.id for r in arrival.reports] for arrival in lib.take_new()] == [["quake-a"]]
        assert lib.take_new() == []
        assert lib.unfollow(merged.id).target == merged.id
        assert lib.following() == []


def test_followed_search_matches_only_new_articles(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add([SEEDS])
        followed = lib.follow(query="Pezeshkian  lang:ar,tr")
        assert (followed.kind, followed.target, followed.reports) == ("query", "Pezeshkian lang:ar,tr", 0)
        lib.add([jsonl(tmp_path / "en.jsonl", EN_REPORT)])  # English: not lang:ar,tr
        assert lib.take_alerts() == [] and lib.following()[0].new == 0
        tr = dict(EN_REPORT, id="ashgabat-tr", lang="tr", title="Putin ve Pezeşkiyan Aşkabat'ta görüştü",
                  text="Rusya Devlet Başkanı Vladimir Putin, İran Cumhurbaşkanı Mesud Pezeşkiyan ile Aşkabat'ta "
                       "bir araya geldi. İki lider ikili ilişkileri ve bölgesel konuları görüştü.")
        lib.add([jsonl(tmp_path / "tr.jsonl", tr)])
        [alert] = lib.take_alerts()
        assert [r.id for r in alert.reports] == ["ashgabat-tr"]  # the seeds matched before: not new
        [arrival] = lib.take_new()
        assert [r.id for r in arrival.reports] == ["ashgabat-tr"]


def test_follow_errors_and_the_same_thing_twice(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add([SEEDS])
        with pytest.raises(NotFound):
            lib.follow("ev-nosuchevent")
        with pytest.raises(Exception, match="lang:zz"):
            lib.follow(query="Putin lang:zz")
        with pytest.raises(Exception, match="empty"):
            lib.follow(query="   ")
        first = lib.follow(query="Putin")
        assert lib.follow(query="Putin").id == first.id and len(lib.following()) == 1
        with pytest.raises(NotFound, match="nothing followed"):
            lib.unfollow("Raisi")
        assert lib.unfollow(str(first.id)).target == "Putin"


def test_an_old_library_gains_the_follow_tables(tmp_path):
    folder = tmp_path / "lib"
    with Library(folder) as lib:
        lib.add([SEEDS])
        lib.mark([seed("000").stem], read=True)
    db = sqlite3.connect(folder / "catalog.sqlite")
    for table in ("follows", "follow_reports", "follow_pending"):
        db.execute(f"DROP TABLE {table}")
    for table, column in (("reader_state", "timeline_seen"), ("subscriptions", "next_allowed"),
                          ("subscriptions", "next_reason")):
        db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    db.execute("PRAGMA user_version = 9")
    db.commit()
    db.close()
    with Library(folder) as lib:
        assert lib.marks(seed("000").stem).read
        event = lib.event_of(seed("000").stem)
        assert lib.follow(event.id).reports == 4
        assert lib.looked_at(event.id) and lib.marks(seed("000").stem).read
    db = sqlite3.connect(folder / "catalog.sqlite")
    db.execute("PRAGMA user_version = 9")  # set back: the step runs again over its own tables and columns
    db.commit()
    db.close()
    with Library(folder) as lib:
        assert [f.target for f in lib.following()] == [event.id]
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    with Library(copy, read_only=True) as lib:
        assert [f.target for f in lib.following()] == [event.id]


def test_a_fetch_of_several_feeds_is_one_arrival_per_followed_item(tmp_path, server):
    from local_http import Route

    for name in ("one", "two"):
        server.routes[f"/{name}.rss"] = Route((
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>{name}</title><item><guid>{name}</guid>'
            f"<title>Harbour strike ends ({name})</title><description>Dock workers in the harbour ended their "
            f"strike on Monday after the port agreed to raise wages.</description></item></channel></rss>").encode())
    with Library(tmp_path / "lib") as lib:
        lib.follow(query="harbour")
        for name in ("one", "two"):
            lib.subscribe(server.url(f"/{name}.rss"), name=name)
        lib.fetch()  # each feed is stored in a change of its own
        [alert] = lib.take_alerts()
        assert sorted(r.title for r in alert.reports) == ["Harbour strike ends (one)", "Harbour strike ends (two)"]


def test_take_new_of_one_followed_item_leaves_the_others_new(tmp_path):
    """The app lists one followed item's new reports when the reader selects it (only=)."""
    with Library(tmp_path / "lib") as lib:
        lib.add([seed("000"), seed("001"), seed("002"), seed("004")])
        event = lib.follow(lib.event_of(seed("000").stem).id)
        search = lib.follow(query="Pezeshkian")
        lib.add([jsonl(tmp_path / "en.jsonl", EN_REPORT)])
        assert {f.id: f.new for f in lib.following()} == {event.id: 1, search.id: 1}
        [arrival] = lib.take_new(only=search.id)
        assert arrival.followed.id == search.id and [r.id for r in arrival.reports] == ["ashgabat-en"]
        assert {f.id: f.new for f in lib.following()} == {event.id: 1, search.id: 0}
