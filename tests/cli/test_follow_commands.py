"""`newsreader follow`, `unfollow`, `following [--new]`, and the `[follow] notify` hook that
add and fetch run when reports come into what is followed: a program and its arguments, never
a shell, its placeholders filled with text stripped of control characters."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from helpers.cli import run

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
EVIL_TITLE = "Putin $(touch pwned) ; touch pwned2 `touch pwned3` \x1b[31m meets Pezeshkian {summary}"
REPORT = {"id": "evil-en", "lang": "en", "source": "Desk\x07", "date": "2024-10-12", "title": EVIL_TITLE,
          "text": "Russian President Vladimir Putin met Iranian President Masoud Pezeshkian in Ashgabat, "
                  "Turkmenistan, on 11 October 2024, their first meeting since Pezeshkian took office."}


def notifier(tmp_path: Path, monkeypatch, *template: str) -> Path:
    """A config whose notify hook is a script that appends its arguments (JSON) to a file."""
    script = tmp_path / "notify.py"
    log = tmp_path / "notified.jsonl"
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"open({str(log)!r}, 'a').write(json.dumps(sys.argv[1:]) + '\\n')\n")
    script.chmod(0o755)
    config = tmp_path / "config.toml"
    config.write_text("[follow]\nnotify = " + json.dumps([str(script), *template]) + "\n")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    return log


def test_follow_an_event_then_add_runs_the_hook_without_a_shell(capsys, tmp_path, monkeypatch):
    log = notifier(tmp_path, monkeypatch, "{title}", "{summary}", "n={count}", "{nothing}")
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", str(SEEDS))[0] == 0
    event = next(e for e in json.loads(run(capsys, "--library", lib, "events", "--json")[1]) if e["size"] == 4)
    code, out, _ = run(capsys, "--library", lib, "follow", event["id"])
    assert code == 0 and f"Following event {event['id']} (4 reports)" in out
    assert not log.exists()
    (tmp_path / "evil.jsonl").write_text(json.dumps(REPORT) + "\n")
    monkeypatch.chdir(tmp_path)  # where `touch pwned` would write, were a shell involved
    code, out, err = run(capsys, "--library", lib, "add", str(tmp_path / "evil.jsonl"))
    assert code == 0 and "Following: 1 new report: " + event["id"] in err
    [argv] = [json.loads(line) for line in log.read_text().splitlines()]
    assert argv[0].startswith(f"1 new report: {event['id']} ")  # then the event's label
    assert argv[1] == "Putin $(touch pwned) ; touch pwned2 `touch pwned3` meets Pezeshkian {summary} (Desk, en)"
    assert argv[2:] == ["n=1", "{nothing}"]
    assert not any(tmp_path.glob("pwned*"))
    # following lists it as new; --new lists it once
    code, out, _ = run(capsys, "--library", lib, "following", "--json")
    [followed] = json.loads(out)
    assert (followed["kind"], followed["target"], followed["new"], followed["reports"]) == ("event", event["id"], 1, 5)
    code, out, _ = run(capsys, "--library", lib, "following")
    assert "1 new" in out and "5 reports" in out and "\x1b" not in out
    code, out, _ = run(capsys, "--library", lib, "following", "--new")
    assert code == 0 and "evil-en" in out and "\x1b" not in out and "\x07" not in out
    code, out, err = run(capsys, "--library", lib, "following", "--new", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "--library", lib, "unfollow", event["id"])
    assert code == 0 and "No longer following" in out
    assert json.loads(run(capsys, "--library", lib, "following", "--json")[1]) == []


def test_follow_a_search_and_its_errors(capsys, tmp_path, monkeypatch):
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", str(SEEDS))[0] == 0
    code, out, _ = run(capsys, "--library", lib, "follow", "--query", "Pezeshkian lang:ar,en", "--json")
    assert code == 0 and json.loads(out)["target"] == "Pezeshkian lang:ar,en"
    (tmp_path / "en.jsonl").write_text(json.dumps(dict(REPORT, title="Putin meets Pezeshkian")) + "\n")
    code, _, err = run(capsys, "--library", lib, "add", str(tmp_path / "en.jsonl"), "--json")
    assert code == 0 and "Following" not in err  # --json: no line on stderr
    [arrival] = json.loads(run(capsys, "--library", lib, "following", "--new", "--json")[1])
    assert [r["id"] for r in arrival["reports"]] == ["evil-en"]
    for argv, message in [(("follow",), "give an event id"),
                          (("follow", "ev-1", "--query", "x"), "give an event id"),
                          (("follow", "ev-nosuch"), "no event with id 'ev-nosuch'"),
                          (("follow", "--query", "lang:xx-yy-zz"), "lang:xx-yy-zz"),
                          (("unfollow", "nothing"), "nothing followed matches 'nothing'")]:
        code, out, err = run(capsys, "--library", lib, *argv)
        assert code == 2 and message in err and err.count("\n") == 1 and "Traceback" not in err, (argv, err)


def test_a_notify_program_that_fails_is_one_line(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[follow]\nnotify = ["/no/such/notifier", "{title}"]\n')
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", str(SEEDS))[0] == 0
    assert run(capsys, "--library", lib, "follow", "--query", "Putin")[0] == 0
    (tmp_path / "en.jsonl").write_text(json.dumps(REPORT) + "\n")
    code, _, err = run(capsys, "--library", lib, "add", str(tmp_path / "en.jsonl"))
    assert code == 0 and "newsreader: [follow] notify: '/no/such/notifier' was not found" in err
    config.write_text('[follow]\nnotify = "notify-send"\n')
    code, _, err = run(capsys, "--library", lib, "following")
    assert code == 2 and "follow.notify" in err and "list of the program" in err


def test_placeholders_are_filled_once_with_control_characters_taken_out():
    from newsreader.index.catalog import ArticleSummary
    from newsreader.index.following import Arrival, Followed
    from newsreader.tui.notify import command_for

    report = ArticleSummary("a", "Title\x1b]52;c;AAAA\x07 {count}\u202e\x00 end", "en", 1.0, None, "src\n2", None,
                            None, "h")
    arrival = Arrival(Followed(1, "query", "Putin\x1b[2J", "Putin", "2024-10-12"), (report,))
    argv = command_for(["notify", "{title}", "--body={summary}", "{followed}", "{count}"], arrival)
    assert argv == ["notify", "1 new report: Putin[2J", "--body=Title]52;c;AAAA {count} end (src 2, en)", "Putin[2J", "1"]


def test_a_fetch_and_each_round_of_fetch_every_announce_and_run_the_hook(capsys, tmp_path, monkeypatch, server):
    """The alerts of a fetch from the command line (a feed on 127.0.0.1), as the add's above:
    one line on stderr and the hook run, by `fetch` and after a round of `fetch --every`."""
    import signal
    import subprocess
    import time
    from xml.sax.saxutils import escape

    from local_http import Route

    def feed(*keys: str) -> bytes:
        items = "".join(f"<item><guid>urn:{k}</guid><title>Putin and Pezeshkian meet in Ashgabat ({k})</title>"
                        f"<description>{escape(REPORT['text'])}</description></item>" for k in keys)
        return f'<?xml version="1.0"?><rss version="2.0"><channel><title>World</title>{items}</channel></rss>'.encode()

    log = notifier(tmp_path, monkeypatch, "{title}")
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", str(SEEDS))[0] == 0
    event = next(e for e in json.loads(run(capsys, "--library", lib, "events", "--json")[1]) if e["size"] == 4)
    assert run(capsys, "--library", lib, "follow", event["id"])[0] == 0
    server.routes["/world.rss"] = Route(feed("a"))
    assert run(capsys, "--library", lib, "feeds", "add", server.url("/world.rss"), "--name", "world")[0] == 0
    code, _, err = run(capsys, "--library", lib, "fetch")
    assert code == 0 and "Following: 1 new report: " + event["id"] in err
    assert [json.loads(line)[0].startswith(f"1 new report: {event['id']} ") for line in log.read_text().splitlines()] \
        == [True]
    server.routes["/world.rss"] = Route(feed("a", "b"))  # one more report of the event
    every = subprocess.Popen([sys.executable, "-m", "newsreader.tui.cli", "--library", lib, "fetch", "--every", "1h"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "1 feed: 1 new article; next at" in every.stdout.readline()
        deadline = time.monotonic() + 60
        while len(log.read_text().splitlines()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        every.send_signal(signal.SIGTERM)
        _, err = every.communicate(timeout=120)
    assert every.returncode == 0 and "Following: 1 new report: " + event["id"] in err
    assert len(log.read_text().splitlines()) == 2
