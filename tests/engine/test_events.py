"""Same-event grouping, related coverage and comparison, on the seeds, a dated multilingual
test set (tests/fixtures/dated-events) and, when ../shared is there, the Wikinews set."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from newsreader.index import Library

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DATED = FIXTURES / "dated-events"
WIKINEWS = Path(__file__).resolve().parents[3] / "shared" / "eval" / "wikinews-events.jsonl"


def seeds_by_prefix(library) -> dict[str, str]:
    return {s.id[:3]: s.id for s in library.articles()}


def test_the_ashgabat_reports_are_one_event_and_raisi_is_not(seeded_library):
    ids = seeds_by_prefix(seeded_library)
    event = seeded_library.event_of(ids["000"])
    assert sorted(m[:3] for m in event.members) == ["000", "001", "003", "004"]
    assert event.languages == ("ar", "sq", "tr")
    assert seeded_library.event_of(ids["002"]).members == (ids["002"],)
    assert event.roles[ids["001"]] == ("rewrite", ids["000"])  # 001 rewrites 000
    # The label leads with who the story is about (named again and again), not a name
    # each report drops once ("BRICS · Mesud · İran" before mentions counted).
    assert "Pezeşkiyan" in event.label.split(" · ")[:2] and "BRICS" not in event.label
    assert [e.id for e in seeded_library.events(min_size=2)] == [event.id]
    assert seeded_library.get(ids["003"]).event == event.id


def test_related_ranks_the_same_event_first(seeded_library):
    ids = seeds_by_prefix(seeded_library)
    found = seeded_library.related(ids["004"], limit=10)
    assert [s.id[:3] for s, _ in found][:3] != [] and found[-1][0].id == ids["002"]
    assert all(r.same_event for s, r in found if s.id != ids["002"])
    assert not found[-1][1].same_event
    assert all(0.0 <= r.score <= 1.0 for _, r in found)


def test_compare_finds_names_across_scripts_and_what_each_adds(seeded_library):
    ids = seeds_by_prefix(seeded_library)
    comparison = seeded_library.compare(ids["000"], ids["004"])
    shared = dict(comparison.shared_names)
    assert shared["Putin"] == "بوتين" and shared["Pezeşkiyan"] == "بيزشكيان"
    assert comparison.score is not None and comparison.score > 0.5
    # 004 adds Putin's words on working together internationally, which 000 does not report;
    # its trailing "read also" headlines are not part of the report.
    added = comparison.only_second.sentences
    assert any("نعمل معا بشكل نشط" in sentence for sentence in added)
    arabic = seeded_library.get(ids["004"])
    assert not any(headline in added for headline in arabic.paragraphs[-10:])
    assert len(added) < len(arabic.paragraphs) // 2
    assert comparison.only_first.quotes  # the Turkish report quotes Pezeshkian at length
    data = comparison.to_json()
    assert set(data) == {"similarity", "same_event", "score", "shared", "only"}
    assert data["score"] == data["same_event"] and set(data["only"]) == {"first", "second"}


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dated") / "library"
    labels = json.loads((DATED / "events.json").read_text())
    with Library(folder) as library:
        report = library.add([DATED / "articles.jsonl"])
        assert len(report.added) == 27 and not report.problems
        events = library.events(min_size=1)
    return events, labels


def test_dates_split_the_events_of_one_story(dated):
    events, labels = dated
    for event in events:
        assert len({labels[m] for m in event.members}) == 1, [(m, labels[m]) for m in event.members]
    stories = defaultdict(set)
    for event in events:
        if event.size > 1:
            stories[labels[event.members[0]].split(":")[0]].add(labels[event.members[0]])
    assert all(len(found) == 3 for found in stories.values()) and len(stories) == 3


def test_noisy_dates_do_not_split_an_event(dated):
    events, labels = dated
    for noisy in labels["_noisy"]:
        event = next(e for e in events if noisy in e.members)
        assert event.size == 3, (noisy, event.members)


def test_most_events_are_found_whole(dated):
    events, labels = dated
    whole = [e for e in events if e.size == 3]
    assert len(whole) >= 8  # of 9; the figures are in bench/eval_events.py's notes


def test_events_update_when_articles_come_and_go(tmp_path, seeded_library_template):
    from newsreader.index import bundled_seeds

    seeds = sorted(bundled_seeds().glob("*.txt"))
    folder = tmp_path / "news"
    folder.mkdir()
    for seed in seeds:
        if not seed.name.startswith("004"):
            shutil.copy(seed, folder)
    with Library(tmp_path / "library") as library:
        library.add([folder])
        before = library.event_of(next(s.id for s in library.articles() if s.id.startswith("000")))
        assert len(before.members) == 3
        shutil.copy(next(s for s in seeds if s.name.startswith("004")), folder)
        report = library.add([folder])
        assert [a[:3] for a in report.added] == ["004"]
        after = library.event_of(report.added[0])
        assert sorted(m[:3] for m in after.members) == ["000", "001", "003", "004"]
        library.remove(report.added[0])
        assert sorted(m[:3] for m in library.event_of(before.members[0]).members) == ["000", "001", "003"]
        updated = {e.id: e.members for e in library.events()}
        library.rebuild()
        assert sorted(m[:3] for m in library.event_of(before.members[0]).members) == ["000", "001", "003"]
        assert {e.id: e.members for e in library.events()} == updated  # updating = rebuilding


def test_incremental_updates_agree_with_a_rebuild_on_the_dated_set(tmp_path):
    """Articles added one file at a time end in (nearly) the events of a rebuild. Updates score
    new articles with the statistics of the last rebuild (IDF, backgrounds), so the two may
    differ by a pair near the threshold; neither may mix two events."""
    rows = (DATED / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    folder = tmp_path / "one-by-one"
    folder.mkdir()
    with Library(tmp_path / "library") as library:
        for number, row in enumerate(rows):
            (folder / f"{number:02}.jsonl").write_text(row + "\n", encoding="utf-8")
            library.add([folder / f"{number:02}.jsonl"])
        incremental = sorted(sorted(e.members) for e in library.events(min_size=2))
        library.rebuild()
        rebuilt = sorted(sorted(e.members) for e in library.events(min_size=2))
    labels = json.loads((DATED / "events.json").read_text())
    for groups in (incremental, rebuilt):
        assert all(len({labels[m] for m in members}) == 1 for members in groups)

    def pairs(groups):
        return {(a, b) for members in groups for a in members for b in members if a < b}

    assert len(pairs(incremental) ^ pairs(rebuilt)) <= 2, (incremental, rebuilt)


@pytest.mark.skipif(not WIKINEWS.exists(), reason="../shared/eval is not beside the checkout")
@pytest.mark.slow
def test_wikinews_figures_hold(tmp_path):
    """The figures the README gives for Wikinews (undated: story siblings cannot be told apart
    there; see the README's Events section for why precision is far below the 0.95 target)."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from eval_events import evaluate

    figures = evaluate(WIKINEWS, tmp_path / "library")
    assert figures["recall_cross_language"] >= 0.6 and figures["precision"] >= 0.12, figures
    assert figures["related_recall_at_1"] >= 0.85, figures


def test_reads_never_build_or_write_events(seeded_library):
    """Events are grouped when a change commits; reading an article, its related coverage or a
    comparison neither waits for a writer nor writes, even while another process holds the lock."""
    from newsreader.index.library_lock import LibraryLock

    folder = seeded_library.folder
    expected = [(s.id, r.score, r.same_event) for s, r in seeded_library.related("004_6783b83894bc3dea")]
    revision = seeded_library.revision()
    seeded_library.close()
    other = LibraryLock(folder)  # another process's add, as far as flock is concerned
    other.acquire(wait=False)
    try:
        with Library(folder, wait=False) as reader:
            assert reader.get("004_6783b83894bc3dea").event
            assert [(s.id, r.score, r.same_event) for s, r in reader.related("004_6783b83894bc3dea")] == expected
            assert reader.compare("000_11a42b1f17f82f3e", "004_6783b83894bc3dea").score > 0.5
            assert reader.revision() == revision
    finally:
        other.release()


def test_an_event_keeps_its_id_when_a_report_joins_and_when_one_leaves(tmp_path):
    from newsreader.index import bundled_seeds

    seeds = {p.name[:3]: p for p in bundled_seeds().glob("*.txt")}
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("000", "001", "002", "003"):
        shutil.copy(seeds[name], folder)
    with Library(tmp_path / "library") as library:
        library.add([folder])
        first = next(s.id for s in library.articles() if s.id.startswith("000"))
        before = library.event_of(first)
        assert sorted(m[:3] for m in before.members) == ["000", "001", "003"]
        shutil.copy(seeds["004"], folder)
        arabic = library.add([folder]).added[0]
        joined = library.event_of(arabic)
        assert joined.id == before.id and len(joined.members) == 4
        library.remove(arabic)
        assert library.event_of(first).id == before.id
        library.rebuild()
        assert library.event_of(first).id == before.id


def test_an_id_merged_away_says_where_it_went():
    from newsreader.index.events.view import _continued_id, _where_they_went

    old = {"ev-a": ["1", "2"], "ev-b": ["3", "4", "5"]}
    old_of = {a: e for e, members in old.items() for a in members}
    taken: set[str] = set()
    merged = _continued_id(["1", "2", "3", "4", "5"], old_of, old, taken)
    assert merged == "ev-b"  # the event that gave most members (the larger, older one) keeps its id
    taken.add(merged)
    rows = [(a, merged, "member", None) for a in "12345"]
    assert list(_where_they_went(old, rows, taken)) == [("ev-a", "ev-b")]
    assert _continued_id(["9"], old_of, old, taken).startswith("ev-")  # a new event: a new id


def test_an_event_id_merged_away_still_opens(seeded_library):
    event = seeded_library.event_of("000_11a42b1f17f82f3e")
    seeded_library._catalog.db.execute("INSERT INTO event_aliases (old_id, new_id) VALUES ('ev-gone', ?)", (event.id,))
    assert seeded_library.event("ev-gone").id == event.id


def test_export_and_event_take_an_id_merged_away(seeded_library):
    event = seeded_library.event_of("000_11a42b1f17f82f3e")
    seeded_library._catalog.db.execute("INSERT INTO event_aliases (old_id, new_id) VALUES ('ev-0123456789', ?)",
                                       (event.id,))
    markdown = seeded_library.export_markdown("ev-0123456789")
    assert f"event `{event.id}`" in markdown.text


def _left_stale(folder: Path) -> None:
    """What a process killed between committing a change and grouping after it leaves."""
    import sqlite3

    with sqlite3.connect(folder / "catalog.sqlite") as db:
        db.execute("UPDATE meta SET value = '' WHERE key = 'events_version'")


def _events_version(folder: Path) -> str:
    import sqlite3

    with sqlite3.connect(folder / "catalog.sqlite") as db:
        return db.execute("SELECT value FROM meta WHERE key = 'events_version'").fetchone()[0]


def test_reads_never_group_and_ensure_events_does(seeded_library_template, tmp_path):
    folder = tmp_path / "library"
    shutil.copytree(seeded_library_template, folder)
    _left_stale(folder)
    with Library(folder) as library:
        ids = seeds_by_prefix(library)
        library.events()
        library.related(ids["000"])
        library.event_of(ids["000"])
        library.event_ids()
        assert _events_version(folder) == ""  # reads leave the events as they found them
        assert library.ensure_events() is True
        assert _events_version(folder) != ""
        assert library.ensure_events() is False  # nothing stale: nothing done
        assert sorted(m[:3] for m in library.event_of(ids["000"]).members) == ["000", "001", "003", "004"]


def test_the_events_command_groups_a_stale_library(seeded_library_template, tmp_path):
    from newsreader.tui.cli import main

    folder = tmp_path / "library"
    shutil.copytree(seeded_library_template, folder)
    _left_stale(folder)
    assert main(["--library", str(folder), "events", "--json"]) == 0
    assert _events_version(folder) != ""


def test_a_grouping_is_worked_out_without_the_lock_and_redone_if_a_change_came_meanwhile(
        seeded_library_template, tmp_path, monkeypatch):
    """A long grouping never keeps another process's add waiting: it is planned without the
    lock, and planned again when a change was committed meanwhile."""
    import fcntl
    import os

    from newsreader.index.events.view import EventsView

    folder = tmp_path / "library"
    shutil.copytree(seeded_library_template, folder)
    extra = tmp_path / "extra.txt"
    extra.write_text("Kazan summit\n\nPezeshkian and Putin met again in Kazan at the BRICS summit.\n",
                     encoding="utf-8")
    planned, lock_free = [], []
    real_plan = EventsView.plan

    def plan(view):
        fd = os.open(folder / "library.lock", os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # succeeds only if nobody holds it
            lock_free.append(True)
            fcntl.flock(fd, fcntl.LOCK_UN)
        except BlockingIOError:
            lock_free.append(False)
        finally:
            os.close(fd)
        if not planned:  # another writer commits an add while the first grouping is worked out
            with Library(folder, wait=False) as other:
                other.add([extra])
        planned.append(True)
        return real_plan(view)

    monkeypatch.setattr(EventsView, "plan", plan)
    with Library(folder) as library:
        library.rebuild_events()
        assert lock_free == [True, True]  # planned twice, never under the lock
        ids = {s.title: s.id for s in library.articles()}
        assert library.event_of(ids["Kazan summit"]) is not None
    assert _events_version(folder) != ""


def test_a_report_that_changes_and_joins_an_event_takes_its_old_id_along(tmp_path):
    from newsreader.index import bundled_seeds

    seeds = {p.name[:3]: p for p in bundled_seeds().glob("*.txt")}
    folder = tmp_path / "news"
    folder.mkdir()
    for name in ("000", "001", "003"):
        shutil.copy(seeds[name], folder)
    (folder / "late.txt").write_text("Weather\n\nRain is expected over the coast tomorrow afternoon.\n",
                                     encoding="utf-8")
    with Library(tmp_path / "library") as library:
        library.add([folder])
        late = next(s.id for s in library.articles() if s.title == "Weather")
        alone = library.event_of(late).id
        shutil.copy(seeds["004"], folder / "late.txt")  # the file now holds the Arabic report
        report = library.add([folder])
        assert report.updated == [late]
        joined = library.event_of(late)
        assert joined.id != alone and len(joined.members) == 4
        assert library.event(alone).id == joined.id  # the old id answers under the event it joined
