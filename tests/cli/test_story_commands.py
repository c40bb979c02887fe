"""`newsreader timeline EVENT`, `compare EVENT --json` and the coverage in `events --json`,
with the reader's sources.toml beside the config file (a bad one is one error line)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.cli import run

QUAKE = Path(__file__).resolve().parents[1] / "fixtures" / "izmir-quake.jsonl"


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
    assert [(v["value"], v["sources"], v["reports"]) for v in dates["values"]] == [
        ("--10-01", ["Daily Post"], ["quake-a"]), ("--10-02", ["Evening Herald"], ["quake-b"])]
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


def test_dates_without_a_year_read_as_day_and_month_and_stay_iso_in_json(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSREADER_CONFIG", str(tmp_path / "config.toml"))
    lib = tmp_path / "lib"
    assert run(capsys, "--library", lib, "add", QUAKE)[0] == 0  # 1 October 2024 vs 2 October 2024
    [event] = json.loads(run(capsys, "--library", lib, "events", "--json")[1])
    code, out, _ = run(capsys, "--library", lib, "compare", event["id"])
    assert code == 0 and "Dates:\n  1 Oct  Daily Post\n  2 Oct  Evening Herald\n" in out and "--10" not in out
    code, out, _ = run(capsys, "--library", lib, "compare", "quake-a", "quake-b")
    assert code == 0 and "Both give the dates: 2024" in out and "  dates: 1 Oct\n" in out and "  dates: 2 Oct\n" in out
    code, out, _ = run(capsys, "--library", lib, "timeline", event["id"])
    assert code == 0 and "says dates: 1 Oct, 2024" in out and "adds dates: 2 Oct" in out and "--10" not in out
    data = json.loads(run(capsys, "--library", lib, "timeline", event["id"], "--json")[1])
    assert data["reports"][1]["adds"]["dates"] == ["--10-02"]  # what scripts read: ISO 8601 without a year
    data = json.loads(run(capsys, "--library", lib, "compare", "quake-a", "quake-b", "--json")[1])
    assert data["only"]["first"]["dates"] == ["--10-01"] and data["shared"]["dates"] == ["2024"]


def test_said_date():
    from newsreader.tui.dates import said_date

    assert [said_date(v) for v in ("--10-01", "--12-31", "--02-29", "2024", "--13-01")] == [
        "1 Oct", "31 Dec", "29 Feb", "2024", "--13-01"]
