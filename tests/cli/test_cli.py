"""The `newsreader` command line: output, JSON, exit codes, one-line errors."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.cli import run

REPO_SEEDS = Path(__file__).resolve().parents[2] / "seeds"
EN = "The Russian president met his Iranian counterpart in Ashgabat on Friday to discuss trade and regional security."


def test_default_library_starts_with_the_seeds(capsys):
    code, out, err = run(capsys, "search", "Putin", "--json")
    assert code == 0
    results = json.loads(out)
    assert sorted((r["id"][:3], r["lang"]) for r in results) == [
        ("000", "tr"), ("001", "tr"), ("002", "tr"), ("003", "sq"), ("004", "ar")]
    for result in results:
        assert {"id", "title", "lang", "source", "date", "path", "score", "snippet"} <= set(result)
        assert Path(result["path"]).is_file()
    assert "sample articles" in err


def test_search_language_and_name_folding(capsys):
    assert [r["id"][:3] for r in json.loads(run(capsys, "search", "lang:ar", "--json")[1])] == ["004"]
    found = {r["id"][:3] for r in json.loads(run(capsys, "search", "Pezeshkian", "--json")[1])}
    assert {"000", "001", "003"} <= found and "002" not in found
    limited = json.loads(run(capsys, "search", "Putin", "--limit", "2", "--lang", "tr", "--json")[1])
    assert len(limited) == 2 and {r["lang"] for r in limited} == {"tr"}


def test_human_output_shows_markup_literally(capsys, tmp_path):
    f = tmp_path / "evil.txt"
    f.write_text("[bold red]Injected[/bold red] headline\n\n[link=http://evil.example]click[/link] " + EN)
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", str(f))[0] == 0
    code, out, _ = run(capsys, "--library", lib, "show", "evil")
    assert code == 0 and "[bold red]Injected[/bold red] headline" in out and "[link=http://evil.example]" in out
    code, out, _ = run(capsys, "--library", lib, "search", "Ashgabat")
    assert "[bold red]Injected" in out


def test_add_exit_codes_and_problem_lines(capsys, tmp_path):
    lib = str(tmp_path / "lib")
    (tmp_path / "good.txt").write_text(EN)
    (tmp_path / "empty.txt").write_text("")
    code, out, err = run(capsys, "--library", lib, "add", str(tmp_path / "good.txt"), str(tmp_path / "empty.txt"))
    assert code == 1  # partial failure
    assert "1 added" in out and "1 problem" in out
    assert err.strip() == f"newsreader: {tmp_path / 'empty.txt'}: is empty; nothing to add"
    code, out, err = run(capsys, "--library", lib, "add", str(tmp_path / "nope.txt"))
    assert code == 2 and "no such file or folder" in err
    code, out, err = run(capsys, "--library", lib, "add", "--json", str(tmp_path / "good.txt"))
    assert code == 0 and json.loads(out)["unchanged"] == 1


def test_list_show_stats_remove(capsys, tmp_path):
    lib = str(tmp_path / "lib")
    (tmp_path / "a.txt").write_text(EN)
    run(capsys, "--library", lib, "add", str(tmp_path / "a.txt"))
    listed = json.loads(run(capsys, "--library", lib, "list", "--json")[1])
    assert [(a["id"], a["lang"], a["path"]) for a in listed] == [("a", "en", str(tmp_path / "a.txt"))]
    shown = json.loads(run(capsys, "--library", lib, "show", "a", "--json")[1])
    assert shown["paragraphs"] == [EN]
    stats = json.loads(run(capsys, "--library", lib, "stats", "--json")[1])
    assert stats["articles"] == 1 and stats["languages"] == {"en": 1}
    assert run(capsys, "--library", lib, "remove", "a")[0] == 0
    assert json.loads(run(capsys, "--library", lib, "list", "--json")[1]) == []


@pytest.mark.parametrize("argv, fragment", [
    (["show", "missing-id"], "no article with id 'missing-id'"),
    (["search", "date:[zzz to 2024]"], "cannot read the date"),
    (["search", "Putin (-Reisi)"], "cannot parse the query"),
    (["search", "x", "--limit", "0"], "must be 1 or more"),
    (["frobnicate"], "invalid choice"),
])
def test_usage_errors_are_one_line_exit_2(capsys, tmp_path, argv, fragment):
    from newsreader.index import Library

    Library(tmp_path / "lib").close()  # an existing (empty) library: reading commands need one
    code, out, err = run(capsys, "--library", str(tmp_path / "lib"), *argv)
    assert code == 2
    assert fragment in err and err.count("\n") == 1 and "Traceback" not in err


def test_environment_variable_and_bad_config(capsys, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(EN)
    monkeypatch.setenv("NEWSREADER_LIBRARY", str(tmp_path / "envlib"))
    run(capsys, "add", str(tmp_path / "a.txt"))
    assert (tmp_path / "envlib" / "catalog.sqlite").exists()
    config = tmp_path / "config.toml"
    config.write_text('rtl = "sideways"\n')
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    code, _, err = run(capsys, "list")
    assert code == 2 and f"{config}: rtl = 'sideways': expected one of auto, visual, logical" in err


def test_library_path_and_config_type_errors(capsys, tmp_path, monkeypatch):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    code, _, err = run(capsys, "--library", str(not_a_folder), "list")
    assert code == 2 and "is a file, not a library folder" in err
    config = tmp_path / "config.toml"
    config.write_text("library = 5\n")
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    code, _, err = run(capsys, "list")
    assert code == 2 and f"{config}: library = 5: expected a folder path in quotes" in err


def test_progress_bar_for_many_files(tmp_path):
    # A real terminal is needed for Rich to draw the bar; here we check it is requested and
    # does not leak into --json output.
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(25):
        (folder / f"{i}.txt").write_text(EN.replace("Friday", f"day {i}"))
    exe = shutil.which("newsreader", path=str(Path(sys.executable).parent))
    # FORCE_COLOR makes Rich treat the pipe as a terminal: the bar is drawn on stderr.
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    result = subprocess.run([exe, "--library", str(tmp_path / "lib"), "add", str(folder)],
                            capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr
    assert "Adding" in result.stderr and "25/25" in result.stderr  # the bar, at its end
    assert "25 added" in result.stdout and "Adding" not in result.stdout
    # --json output stays clean (no bar, in either stream)
    again = subprocess.run([exe, "--library", str(tmp_path / "lib2"), "add", "--json", str(folder)],
                           capture_output=True, text=True, timeout=120, env=env)
    assert again.returncode == 0 and len(json.loads(again.stdout)["added"]) == 25
    assert "Adding" not in again.stderr


def test_progress_counts_the_articles_of_one_large_file(tmp_path):
    # One JSONL file of 300 articles: a count of files (0/1, then 1/1) says nothing for as long
    # as the file takes; the bar counts its articles as they are read and stored.
    from newsreader.index import pipeline

    dump = tmp_path / "dump.jsonl"
    body = " ".join(EN for _ in range(16))
    dump.write_text("\n".join(json.dumps({"id": f"d{i}", "title": f"Report {i}", "text": f"{body} ({i})"})
                              for i in range(300)))
    assert dump.stat().st_size >= pipeline.SPLIT_FILE_BYTES  # prepared article by article
    exe = shutil.which("newsreader", path=str(Path(sys.executable).parent))
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "100"}  # Rich draws on the pipe as on a terminal
    env.pop("NO_COLOR", None)
    result = subprocess.run([exe, "--library", str(tmp_path / "lib"), "add", str(dump)],
                            capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr
    assert "300 added" in result.stdout and "articles" not in result.stdout
    drawn = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", result.stderr)
    assert re.search(r"Reading articles\s.*\s300/300", drawn), drawn
    assert re.search(r"Storing articles\s.*\s300/300", drawn), drawn
    assert "Updating the index and events" in drawn
    assert not re.search(r"\b[01]/1\b", drawn)  # the count of files (one) is not what is shown
    assert "0/?" in drawn  # the last stage has no count: no stale 300/300 beside it


def test_a_few_files_show_the_bar_once_they_turn_out_slow(monkeypatch):
    # Below min_total an add is quick and draws nothing, unless it has been going for SLOW_S
    # (a few large HTML pages): then the count shows. The clock is the test's, not the machine's.
    import io

    from rich.console import Console

    from newsreader.tui import context
    from newsreader.tui.context import ProgressBar

    clock = [100.0]
    monkeypatch.setattr(context.time, "monotonic", lambda: clock[0])

    def drawn(steps) -> str:
        out = io.StringIO()
        bar = ProgressBar(Console(file=out, force_terminal=True, width=100), "Adding", min_total=20,
                          labels={"files": "Adding files"})
        with bar:
            for seconds, done in steps:
                clock[0] += seconds
                bar(done, 5, "files")
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())

    assert "Adding" not in drawn([(0, 0), (0.2, 1), (0.2, 2), (0.2, 5)])  # quick: nothing
    slow = drawn([(0, 0), (0.6, 1), (0.6, 2), (0.6, 3), (0.6, 5)])
    assert "Adding files" in slow and "2/5" in slow and "5/5" in slow and "1/5" not in slow


def test_language_codes_in_any_form_on_the_command_line(capsys):
    turkish = ["000", "001", "002"]
    code, out, _ = run(capsys, "list", "--lang", "TR", "--json")
    assert code == 0 and sorted(a["id"][:3] for a in json.loads(out)) == turkish
    code, out, _ = run(capsys, "search", "Putin", "--lang", "TR", "--json")
    assert code == 0 and sorted(r["id"][:3] for r in json.loads(out)) == turkish
    code, out, _ = run(capsys, "search", "Putin lang:TR", "--json")
    assert code == 0 and sorted(r["id"][:3] for r in json.loads(out)) == turkish
    code, _, err = run(capsys, "list", "--lang", "../../xx")
    assert code == 2 and "'../../xx' is not a language code" in err and err.count("\n") == 1


def test_remove_then_readd_says_kept_out_and_restore_brings_it_back(capsys, tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "story.txt").write_text(EN)
    library = str(tmp_path / "library")
    assert run(capsys, "--library", library, "add", str(tmp_path / "news"))[0] == 0
    assert run(capsys, "--library", library, "remove", "story")[1] == "1 removed\n"
    code, out, err = run(capsys, "--library", library, "add", str(tmp_path / "news"))
    assert code == 0 and "1 kept out" in out and "newsreader restore ID" in err
    assert json.loads(run(capsys, "--library", library, "list", "--json")[1]) == []
    assert run(capsys, "--library", library, "restore", "story")[1] == "1 restored\n"
    assert [a["id"] for a in json.loads(run(capsys, "--library", library, "list", "--json")[1])] == ["story"]


def test_events_related_and_compare_on_the_command_line(capsys):
    code, out, _ = run(capsys, "events", "--json")
    events = json.loads(out)
    assert code == 0 and len(events) == 1
    event = events[0]
    assert set(event) >= {"id", "label", "members", "languages", "sources", "dates"}
    assert sorted(m[:3] for m in event["members"]) == ["000", "001", "003", "004"]
    assert event["languages"] == ["ar", "sq", "tr"]
    assert run(capsys, "events", "--lang", "sq", "--json")[1].count('"id"') == 1
    assert json.loads(run(capsys, "events", "--lang", "en", "--json")[1]) == []
    assert len(json.loads(run(capsys, "events", "--min-size", "1", "--json")[1])) == 2
    first = event["members"][0]
    code, out, _ = run(capsys, "related", first, "--json", "--limit", "3")
    related = json.loads(out)
    assert code == 0 and len(related) == 3
    assert all(set(r) >= {"id", "title", "lang", "source", "score", "same_event", "similarity", "grouped"}
               for r in related)
    assert all(r["grouped"] and 0 <= r["same_event"] == r["score"] <= 1 and 0 <= r["similarity"] <= 1
               for r in related)
    code, out, _ = run(capsys, "compare", event["members"][0], event["members"][-1], "--json")
    comparison = json.loads(out)
    assert code == 0 and comparison["grouped"] is True
    assert 0 <= comparison["same_event"] == comparison["score"] <= 1 and 0 < comparison["similarity"] <= 1
    assert set(comparison["only"]["first"]) >= {"names", "numbers", "dates", "quotes", "sentences"}
    code, out, _ = run(capsys, "compare", first, event["members"][-1])
    assert code == 0 and "Same event:" in out and "Similarity:" in out and "Only in" in out
    code, _, err = run(capsys, "related", "nope")
    assert code == 2 and "no article with id 'nope'" in err


def test_piped_list_keeps_whole_titles_and_ends_quietly_on_a_closed_pipe(capsys, tmp_path):
    """Issue 12, item 22: `list | grep` must see every title whole; `list | head -1` exits 0."""
    title = "A very long headline about the presidents of Iran and Russia meeting in Ashgabat to talk about energy and trade"
    for i in range(30):
        (tmp_path / f"{i:02}.txt").write_text(f"{title} {i}\n\n{EN.replace('Friday', f'day {i}')}")
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", str(tmp_path))[0] == 0
    code, out, _ = run(capsys, "--library", lib, "list")
    assert code == 0 and all(f"{title} {i}\n" in out for i in range(30))  # whole, to the last word
    exe = shutil.which("newsreader", path=str(Path(sys.executable).parent))
    piped = subprocess.run(["bash", "-c", f"set -o pipefail; '{exe}' --library '{lib}' list | head -1"],
                           capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stderr == "" and piped.stdout.count("\n") == 1


def test_an_empty_query_is_a_usage_error(capsys):
    code, out, err = run(capsys, "search", "   ")
    assert code == 2 and out == ""
    assert "the query is empty" in err and err.count("\n") == 1


def test_search_says_what_a_query_probably_got_wrong(capsys):
    code, _, err = run(capsys, "search", '"Putin lang:de')
    assert code == 0
    assert 'a phrase is not closed: add the closing "' in err
    assert "no article in the library is in 'de'" in err
    code, out, err = run(capsys, "search", "Putin AND")
    assert code == 0 and out  # the engine reads the dangling AND as a word: say so
    assert err == "newsreader: note: AND needs a word after it\n"


def test_add_explains_urls_and_says_when_a_folder_has_nothing_to_read(capsys, tmp_path):
    """Issue 12, item 21."""
    lib = str(tmp_path / "lib")
    code, _, err = run(capsys, "--library", lib, "add", "https://example.com/feed.xml")
    assert code == 2 and "is a URL" in err and "newsreader feeds add URL" in err
    (tmp_path / "empty").mkdir()
    code, out, err = run(capsys, "--library", lib, "add", str(tmp_path / "empty"))
    assert code == 2 and "(0 files)" in out and "no file newsreader reads was found" in err
    (tmp_path / "one.txt").write_text(EN)
    code, out, _ = run(capsys, "--library", lib, "add", str(tmp_path / "one.txt"))
    assert code == 0 and "(1 file)" in out


def test_cache_info_never_breaks_the_path_onto_its_own_line(capsys, tmp_path, monkeypatch):
    """Issue 12, item 24: at 80 columns the path followed its sentence (soft wrap)."""
    monkeypatch.setenv("COLUMNS", "80")
    cache = tmp_path / ("a-rather-long-folder-name-for-the-translation-cache" * 2)
    monkeypatch.setenv("NEWSREADER_CACHE", str(cache))
    code, out, _ = run(capsys, "cache", "info")
    assert code == 0 and out.count("\n") == 1 and str(cache) in out


def test_a_wrong_library_path_is_an_error_and_never_created_by_reading(capsys, tmp_path):
    """Issue 12, item 20: `stats` or `list` on a mistyped --library created an empty library;
    the app on a file opened, then said so and exited 0."""
    missing = tmp_path / "librray"
    for command in (["stats"], ["list"], ["search", "Putin"], []):
        code, out, err = run(capsys, "--library", str(missing), *command)
        assert code == 2 and f"no library at {missing}" in err and err.count("\n") == 1, command
        assert not missing.exists()
    code, _, err = run(capsys, "--library", "/etc/passwd")  # the app: refused before it starts
    assert code == 2 and "is a file, not a library folder" in err
    (tmp_path / "one.txt").write_text(EN)
    assert run(capsys, "--library", str(missing), "add", str(tmp_path / "one.txt"))[0] == 0  # add creates it
    assert run(capsys, "--library", str(missing), "stats")[0] == 0


def test_piped_search_and_events_print_whole_lines(capsys):
    """Issue 22, item 6: `events | cat` and `search | cat` wrapped at 80 columns; a pipe gets
    whole lines, as `list` gives them."""
    code, out, _ = run(capsys, "events")
    head = out.splitlines()[0]
    assert code == 0 and head.startswith("ev-") and head.endswith("4 articles · ar, sq, tr · 2024-10–2025-06")
    assert any(len(line) > 100 and line.startswith("  001_") and "(rewrite of 000_" in line for line in out.splitlines())
    code, out, _ = run(capsys, "search", "Putin-Reisi")
    snippet = json.loads(run(capsys, "search", "Putin-Reisi", "--json")[1])[0]["snippet"]
    assert code == 0 and f"  {snippet}" in out.splitlines()  # the snippet on one line, whole
    code, out, _ = run(capsys, "related", "000_11a42b1f17f82f3e")
    assert all(line.endswith(("devam ediyor'", "…")) for line in out.splitlines()), out


def test_event_date_ranges_have_one_precision(capsys, tmp_path):
    """Issue 22, item 8: a month and a day of it read `2024-10`, not `2024-10–2024-10-11`."""
    from newsreader.tui.dates import date_range

    text = ("Presidents Putin and Pezeshkian met in Ashgabat on Friday and spoke about gas, trade and the "
            "North-South transport corridor through Azerbaijan, officials in Moscow and Tehran said.")
    rows = [{"id": "month", "lang": "en", "date": "2024-10", "title": "Putin meets Pezeshkian", "text": text},
            {"id": "day", "lang": "en", "date": "2024-10-11", "title": "Putin meets Pezeshkian", "text": text,
             "source": "other.example"}]
    (tmp_path / "wire.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    lib = str(tmp_path / "lib")
    assert run(capsys, "--library", lib, "add", str(tmp_path / "wire.jsonl"))[0] == 0
    code, out, _ = run(capsys, "--library", lib, "events")
    assert code == 0 and out.splitlines()[0].endswith("2 articles · en · 2024-10"), out
    assert date_range("2024-10-03", "2024-10-11") == "2024-10-03–2024-10-11"
    assert date_range("2025-06-03", "2024-10") == "2024-10–2025-06"
    assert date_range(None, "2024") == "2024" and date_range(None, None) == "undated"


def test_a_language_filter_in_any_spelling_gives_no_false_note(capsys):
    """Issue 20: `lang:tr_TR` searched Turkish but the note said no article is in 'tr_TR'."""
    run(capsys, "stats")  # the default library is made (and says so) first
    code, out, err = run(capsys, "search", "Putin lang:tr_TR", "--json")
    assert code == 0 and err == ""
    assert {r["lang"] for r in json.loads(out)} == {"tr"}
    code, _, err = run(capsys, "search", "Putin lang:de")
    assert "no article in the library is in 'de' (languages: ar, sq, tr)" in err


def test_a_query_that_starts_with_a_minus_excludes(capsys, tmp_path):
    """Issue 20: `search -Putin` was an argparse error and `search -- -Putin` found nothing;
    both (and `NOT Putin`) give the articles without the word."""
    lib = str(tmp_path / "lib")
    (tmp_path / "cats.txt").write_text("Cats and dogs\n\nThe cat sat on the mat while the dog slept in the garden.")
    assert run(capsys, "--library", lib, "add", str(tmp_path / "cats.txt"))[0] == 0
    assert run(capsys, "--library", lib, "add", str(REPO_SEEDS))[0] == 0
    for argv in (["--", "-Putin"], ["-Putin"], ["NOT Putin"], ["-Putin", "--json"], ["--json", "-Putin -Iran"]):
        code, out, err = run(capsys, "--library", lib, "search", *argv)
        assert code == 0 and err == "", argv
        found = [r["id"] for r in json.loads(out)] if "--json" in argv else re.findall(r"^(\S+)  ", out, re.M)
        assert found == ["cats"], argv
    code, out, _ = run(capsys, "--library", lib, "search", "-Putin", "--limit", "1", "--lang", "en")
    assert code == 0 and out.startswith("cats  en")


def test_a_date_range_left_open_gives_a_note(capsys):
    """Issue 20: `date:[2024 to` found nothing and said nothing."""
    code, _, err = run(capsys, "search", "Putin date:[2024 to")
    assert code == 0
    assert "a date range is not closed: add the closing ]" in err
