"""`newsreader timeline EVENT`, `compare EVENT --json` and the coverage in `events --json`,
with the reader's sources.toml beside the config file (a bad one is one error line)."""

from __future__ import annotations

import json
from pathlib import Path

from newsreader.tui.cli import main

QUAKE = Path(__file__).resolve().parents[1] / "fixtures" / "izmir-quake.jsonl"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_compare_event_timeline_and_coverage(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("")
    (tmp_path / "sources.toml").write_text('["Daily Post"]\ncountry = "TR"\nlabels = ["tabloid"]\n')
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", str(QUAKE))[0] == 0
    code, out, _ = run(capsys, "--library", lib, "compare", "quake-b", "--json")  # an article: its event
    data = json.loads(out)
    assert code == 0 and data["reports"] == ["quake-a", "quake-b"]
    numbers = next(d for d in data["disagreements"] if d["kind"] == "number")
    assert [(v["value"], v["sources"]) for v in numbers["values"]] == [("42", ["Daily Post"]), ("45", ["Evening Herald"])]
    dates = next(d for d in data["disagreements"] if d["kind"] == "date")
    assert [(v["value"], v["reports"]) for v in dates["values"]] == [("--10-01", ["quake-a"]), ("--10-02", ["quake-b"])]
    [event] = json.loads(run(capsys, "--library", lib, "events", "--json")[1])
    assert event["coverage"]["countries"] == {"TR": 1}
    assert event["coverage"]["sources"][0] == {"name": "Daily Post", "reports": 1, "country": "TR", "owner": None,
                                               "labels": ["tabloid"]}
    code, out, _ = run(capsys, "--library", lib, "compare", event["id"])
    assert code == 0 and "Numbers (injured / people):" in out and "45  Evening Herald" in out
    code, out, err = run(capsys, "--library", lib, "timeline", event["id"])
    lines = out.splitlines()
    assert code == 0 and "Sources: Daily Post 1 (TR), Evening Herald 1" in out
    first = next(i for i, line in enumerate(lines) if "Earthquake hits Izmir" in line)
    second = next(i for i, line in enumerate(lines) if "leaves 45 injured" in line)
    assert first < second and "[first]" in lines[first] and "[new]" in lines[second]
    assert "adds numbers: 45" in out and "* new since you last read" in err
    data = json.loads(run(capsys, "--library", lib, "timeline", event["id"], "--json")[1])
    assert [r["new"] for r in data["reports"]] == [False, False]  # looked at just before
    assert data["reports"][1]["adds"]["numbers"] == ["45"]
    (tmp_path / "sources.toml").write_text('["Daily Post"]\nkountry = "TR"\n')
    code, _, err = run(capsys, "--library", lib, "events", "--json")
    assert code == 2 and err.count("\n") == 1 and str(tmp_path / "sources.toml") in err and "kountry" in err
    code, _, err = run(capsys, "--library", lib, "timeline", "ev-nosuch")
    assert code == 2 and "no event or article with id 'ev-nosuch'" in err
