"""`newsreader mark --all-read [--feed NAME] [--before DATE]` and the engine call under it
(Library.mark_all_read), whose answer (the ids that changed) is what undoes it."""

from __future__ import annotations

import json

from newsreader.index import Library, bundled_seeds

from helpers.cli import run
from local_http import Route

RSS = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
       '<item><guid>urn:a</guid><title>Harbour strike ends</title><pubDate>Mon, 07 Oct 2024 10:00:00 GMT</pubDate>'
       '<description>Dock workers ended their strike on Monday after the port agreed to raise wages.</description>'
       '</item><item><guid>urn:b</guid><title>Budget passes</title><pubDate>Mon, 14 Oct 2024 10:00:00 GMT</pubDate>'
       '<description>The parliament passed the budget late on Monday after a long debate on schools.</description>'
       '</item></channel></rss>').encode()


def test_mark_all_read_by_feed_and_date_and_its_undo(capsys, tmp_path, server):
    server.routes["/desk.rss"] = Route(RSS)
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", str(bundled_seeds()))[0] == 0
    assert run(capsys, "--library", lib, "feeds", "add", server.url("/desk.rss"), "--name", "desk")[0] == 0
    assert run(capsys, "--library", lib, "fetch")[0] == 0
    code, out, _ = run(capsys, "--library", lib, "mark", "--all-read", "--feed", "desk", "--before", "2024-10-10",
                       "--json")
    [early] = json.loads(out)["changed"]
    assert code == 0 and early.startswith("desk-")
    unread = {a["id"] for a in json.loads(run(capsys, "--library", lib, "list", "--unread", "--json")[1])}
    assert early not in unread and len(unread) == 6  # the later item and the five seeds
    with Library(tmp_path / "lib") as library:
        changed = library.mark_all_read()
        assert set(changed) == unread
        assert library.articles(unread=True) == []
        assert library.mark(changed, read=False) == sorted(changed)  # the undo
        assert {a.id for a in library.articles(unread=True)} == unread
        assert library.mark_all_read(ids=[early, "000_11a42b1f17f82f3e"]) == ["000_11a42b1f17f82f3e"]
    code, out, _ = run(capsys, "--library", lib, "mark", "--all-read")
    assert code == 0 and out.strip() == "5 articles marked read"
    for argv, message in [(("mark", "--all-read", "--before", "Oct 10"), "'Oct 10' is not a date"),
                          (("mark", "--all-read", "--feed", "nope"), "no subscription named or at 'nope'"),
                          (("mark", "000_11a42b1f17f82f3e", "--all-read"), "give no ids"),
                          (("mark", "--feed", "desk"), "go with --all-read"),
                          (("mark", "000_11a42b1f17f82f3e"), "give article ids and --read or --unread")]:
        code, _, err = run(capsys, "--library", lib, *argv)
        assert code == 2 and message in err and err.count("\n") == 1, (argv, err)
