"""The reader's marks on the command line and in search: mark/star/unstar, list --unread and
--starred, is:unread / is:starred, and marks that survive re-adds and index rebuilds."""

import json
import shutil

from newsreader.index import Library

from helpers.cli import run

STORIES = {
    "ashgabat": "The Russian president met his Iranian counterpart in Ashgabat on Friday to discuss trade.",
    "harbour": "Fishermen in the harbour town protested on Monday against new quotas on cod and herring.",
    "vote": "The parliament passed the budget vote late on Tuesday after a long debate about trade.",
}


def ids(out: str) -> list[str]:
    return sorted(item["id"] for item in json.loads(out))


def make_news(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in STORIES.items():
        (folder / f"{name}.txt").write_text(text)
    return folder


def test_mark_star_list_and_search_filters(capsys, tmp_path):
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "add", str(make_news(tmp_path)))[0] == 0
    code, out, _ = run(capsys, *lib, "mark", "ashgabat", "vote", "--read")
    assert code == 0 and out == "2 articles marked read\n"
    assert run(capsys, *lib, "mark", "vote", "--read")[1] == "0 articles marked read (1 already were)\n"
    assert run(capsys, *lib, "star", "vote", "harbour")[1] == "2 articles marked starred\n"
    assert ids(run(capsys, *lib, "list", "--unread", "--json")[1]) == ["harbour"]
    assert ids(run(capsys, *lib, "list", "--starred", "--json")[1]) == ["harbour", "vote"]
    assert ids(run(capsys, *lib, "list", "--starred", "--unread", "--json")[1]) == ["harbour"]
    listed = {a["id"]: (a["read"], a["starred"]) for a in json.loads(run(capsys, *lib, "list", "--json")[1])}
    assert listed == {"ashgabat": (True, False), "harbour": (False, True), "vote": (True, True)}

    assert ids(run(capsys, *lib, "search", "trade", "--json")[1]) == ["ashgabat", "vote"]
    assert ids(run(capsys, *lib, "search", "trade is:unread", "--json")[1]) == []
    assert ids(run(capsys, *lib, "search", "trade is:starred", "--json")[1]) == ["vote"]
    assert ids(run(capsys, *lib, "search", "trade -is:starred", "--json")[1]) == ["ashgabat"]
    assert ids(run(capsys, *lib, "search", "is:starred", "--json")[1]) == ["harbour", "vote"]
    assert ids(run(capsys, *lib, "search", "is:unread", "--json")[1]) == ["harbour"]
    assert ids(run(capsys, *lib, "search", "is:read is:starred", "--json")[1]) == ["vote"]
    found = json.loads(run(capsys, *lib, "search", "trade", "--json")[1])
    assert {r["id"]: (r["read"], r["starred"]) for r in found} == {"ashgabat": (True, False), "vote": (True, True)}

    assert run(capsys, *lib, "unstar", "vote")[1] == "1 article marked unstarred\n"
    assert run(capsys, *lib, "mark", "ashgabat", "--unread")[0] == 0
    assert ids(run(capsys, *lib, "search", "trade is:unread", "--json")[1]) == ["ashgabat"]
    assert ids(run(capsys, *lib, "search", "is:starred", "--json")[1]) == ["harbour"]


def test_bad_ids_and_filters_are_one_line_errors(capsys, tmp_path):
    lib = ["--library", str(tmp_path / "lib")]
    run(capsys, *lib, "add", str(make_news(tmp_path)))
    code, _, err = run(capsys, *lib, "mark", "nope", "--read")
    assert code == 2 and "no article with id 'nope'" in err and err.count("\n") == 1
    code, _, err = run(capsys, *lib, "mark", "vote")
    assert code == 2 and "--read" in err
    code, _, err = run(capsys, *lib, "search", "is:urgent")
    assert code == 2 and "is:urgent is not a filter" in err and err.count("\n") == 1
    # nothing was marked by the failed command
    assert ids(run(capsys, *lib, "list", "--unread", "--json")[1]) == ["ashgabat", "harbour", "vote"]


def test_marks_survive_readding_rebuilding_and_a_lost_index(tmp_path):
    folder = make_news(tmp_path)
    with Library(tmp_path / "lib") as library:
        library.add([folder])
        library.mark(["vote"], read=True, starred=True)
        library.mark(["harbour"], starred=True)
        # forget the file, then add it again (from a new place): same id, same marks
        library.remove(str(folder / "vote.txt"))
        assert "vote" not in {s.id for s in library.articles()}
        moved = tmp_path / "moved"
        moved.mkdir()
        shutil.move(folder / "vote.txt", moved / "vote.txt")
        report = library.add([moved])
        assert report.added == ["vote"]
        # adding the same folder again, and the files changing, do not touch the marks
        (folder / "harbour.txt").write_text(STORIES["harbour"] + " The minister promised talks.")
        assert library.add([folder]).updated == ["harbour"]
        library.rebuild()
        marks = {s.id: (s.read, s.starred) for s in library.articles()}
        assert marks == {"ashgabat": (False, False), "harbour": (False, True), "vote": (True, True)}
        assert sorted(r.article.id for r in library.search("is:starred")) == ["harbour", "vote"]
    shutil.rmtree(tmp_path / "lib" / "whoosh")  # the derived index lost: rebuilt from the catalog
    with Library(tmp_path / "lib") as library:
        assert [r.article.id for r in library.search("trade is:read")] == ["vote"]
        assert sorted(s.id for s in library.articles(unread=True)) == ["ashgabat", "harbour"]
