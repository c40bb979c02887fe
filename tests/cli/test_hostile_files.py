"""Issue 19, the files half: what comes from outside (fetched feeds, folder names, config,
OPML and state files, package metadata, output targets) never crashes, hangs, leaks a control
sequence or overwrites what it should not. One test (at least) per defect, named after it."""

from __future__ import annotations

import json
import re

import pytest

from helpers.cli import run
from local_http import Route

# What must never reach a terminal or an exported file from data.
LEAK = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ESC = "\x1b]2;PWNED\x07\x1b[31m\x08\x0d\x9b2J\u202e"
EN = ("Dock workers in the northern harbour ended their strike on Monday after the port authority "
      "agreed to raise wages and hire more staff for the night shifts.")


def hostile_rss(title: str = f"Chan{ESC}nel", item: str = f"Item{ESC} title") -> bytes:
    link = "https://news.example/a\x1b]8;;http://evil.example\x07"
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<item><guid>urn:a</guid><title>{item}</title><link>{link}</link>"
            f"<description>{EN}</description></item></channel></rss>").encode("utf-8")


def test_defect8_fetched_feed_titles_sources_links_are_cleaned_and_export_writes_none(capsys, tmp_path, server):
    server.routes["/evil.xml"] = Route(hostile_rss(), headers={"Content-Type": "application/rss+xml"})
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "feeds", "add", server.url("/evil.xml"), "--name", "evil")[0] == 0
    assert run(capsys, *lib, "fetch")[0] == 0
    (article,) = [a for a in json.loads(run(capsys, *lib, "list", "--json")[1]) if a["id"].startswith("evil-")]
    for name in ("title", "source", "url"):
        assert not LEAK.search(article[name]), (name, article[name])
    # OSC and CSI dropped whole (feedparser itself reads a raw U+009B as cp1252's "›")
    assert "PWNED" not in article["title"] + article["source"] and article["source"].startswith("Chan")
    code, out, _ = run(capsys, *lib, "export", article["id"], "--no-translation")
    assert code == 0 and "Item" in out
    assert not LEAK.search(out.replace("\n", "")), repr(out)


def test_defect8_a_folder_name_used_as_the_source_is_cleaned(capsys, tmp_path):
    folder = tmp_path / "wire\x1bc\u202e"
    folder.mkdir()
    (folder / "story.txt").write_text(f"Harbour strike ends\n\n{EN}\n")
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "add", str(folder))[0] == 0
    (article,) = [a for a in json.loads(run(capsys, *lib, "list", "--json")[1]) if a["title"] == "Harbour strike ends"]
    assert article["source"] == "wire"  # ESC c (a terminal reset) dropped whole
    code, out, _ = run(capsys, *lib, "export", article["id"], "--no-translation")
    assert code == 0 and not LEAK.search(out.replace("\n", "")), repr(out)


def test_defect18_a_huge_feed_title_is_bounded(capsys, tmp_path, server):
    from newsreader.index.article import MAX_SOURCE_CHARS, MAX_TITLE_CHARS

    huge = "Huge " * 400_000  # 2 MB each
    server.routes["/big.xml"] = Route(hostile_rss(title=huge, item=huge), headers={"Content-Type": "application/rss+xml"})
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "feeds", "add", server.url("/big.xml"), "--name", "big")[0] == 0
    assert run(capsys, *lib, "fetch")[0] == 0
    (article,) = [a for a in json.loads(run(capsys, *lib, "list", "--json")[1]) if a["id"].startswith("big-")]
    assert 0 < len(article["title"]) <= MAX_TITLE_CHARS and article["title"].endswith("…")
    assert 0 < len(article["source"]) <= MAX_SOURCE_CHARS
    (sub,) = json.loads(run(capsys, *lib, "feeds", "list", "--json")[1])
    assert len(json.dumps(sub)) < 2000


# -- defects 5 and 17: small files read safely (config, OPML, state file) ------------------------

def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("text, says", [
    ("a = " + "[" * 5000 + "]" * 5000, "nested too deeply"),
    ("[translation]\ncache_mb = " + "1" * 5000, "more than 4,300 digits"),
    ("[keys]\nsearch = " + "{a = " * 3000 + "1" + "}" * 3000, "not valid TOML"),
], ids=["deep-arrays", "5000-digits", "deep-tables"])
def test_defect5_deep_toml_and_huge_numbers_in_the_config_are_one_line(capsys, tmp_path, monkeypatch, text, says):
    config = tmp_path / "config.toml"
    config.write_text(text)
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "list")
    line = one_error_line(err)
    assert code == 2 and str(config) in line and says in line, line


def test_defect5_opml_nested_5000_deep_is_one_line(capsys, tmp_path):
    deep = tmp_path / "deep.opml"
    deep.write_text("<opml><body>" + '<outline text="f">' * 5000 + '<outline xmlUrl="http://a.example/f"/>'
                    + "</outline>" * 5000 + "</body></opml>")
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "feeds", "import", str(deep))
    assert code == 2 and "nested more than" in one_error_line(err)


def test_defect5_a_deeply_nested_state_file_leaves_the_app_starting_and_says_so(tmp_path, monkeypatch):
    from newsreader.tui import remembered

    state = tmp_path / "state.json"
    for text in ('{"theme": ' + "[" * 100_000 + "]" * 100_000 + "}", '{"theme": "x", "n": ' + "9" * 5000 + "}",
                 "[" * 20_000 + "]" * 20_000):
        state.write_text(text)
        choices, problem = remembered.load(state)
        assert choices == remembered.Remembered() and problem and str(state) in problem and "\n" not in problem


async def test_defect5_the_app_starts_with_a_damaged_state_file(make_app_for_state, tmp_path, monkeypatch):
    state = tmp_path / "state.json"
    state.write_text('{"sort": ' + "[" * 50_000 + "]" * 50_000 + "}")
    monkeypatch.setenv("NEWSREADER_STATE", str(state))
    app = make_app_for_state()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        notes = [str(n.message) for n in app._notifications]
        assert any(str(state) in note and "cannot read the remembered settings" in note for note in notes), notes


@pytest.fixture
def make_app_for_state(tmp_path):
    from newsreader.index import Library
    from newsreader.tui.app import NewsreaderApp
    from newsreader.tui.config import Settings

    library = Library(tmp_path / "library", workers=1)
    yield lambda: NewsreaderApp(Settings().with_library(library.folder), library=library, environ={})
    library.close()


def test_defect5_a_folder_where_the_translation_cache_file_should_be(capsys, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    (cache / "translations.sqlite" / "inner").mkdir(parents=True)
    monkeypatch.setenv("NEWSREADER_CACHE", str(cache))
    for argv in (("cache", "info"), ("cache", "clear")):
        code, out, err = run(capsys, "--library", str(tmp_path / "lib"), *argv)
        assert code == 0 and "Traceback" not in err
        assert "is a folder" in one_error_line(err)
    assert (cache / "translations.sqlite" / "inner").is_dir()  # never deleted


@pytest.mark.parametrize("make", ["fifo", "zero"])
@pytest.mark.parametrize("which", ["config", "opml", "state"])
def test_defect17_a_fifo_or_a_link_to_dev_zero_is_refused_at_once(capsys, tmp_path, monkeypatch, make, which):
    import os
    import threading

    path = tmp_path / f"{which}.file"
    if make == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    # A reader that blocks on the FIFO (or reads /dev/zero forever) would hang the test: a
    # writer that opens the FIFO after 20 s ends the wait, the assertions then fail.
    stop = threading.Event()

    def unblock():
        if make == "fifo" and not stop.wait(20):
            with open(path, "wb"):
                pass

    threading.Thread(target=unblock, daemon=True).start()
    try:
        if which == "config":
            monkeypatch.setenv("NEWSREADER_CONFIG", str(path))
            code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "list")
            assert code == 2
        elif which == "opml":
            code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "feeds", "import", str(path))
            assert code == 2
        else:
            from newsreader.tui import remembered

            err = remembered.load(path)[1]
    finally:
        stop.set()
    line = one_error_line(err)
    assert ("pipe" in line if make == "fifo" else "device" in line), line


def test_defect18_a_300_mb_whitespace_metadata_costs_nothing(tmp_path):
    """A package whose metadata.json is mostly whitespace: refused from the archive's listing
    (before unpacking), and an installed one is skipped by `models list` without reading it."""

    from newsreader.index.translation.errors import PackageError
    from newsreader.index.translation.packages import install_package, list_packages

    import hostile_inputs

    package = hostile_inputs.whitespace_metadata_package(tmp_path / "translate-tr_en-1_0.argosmodel",
                                                         metadata_mb=300, model_mb=21)
    with pytest.raises(PackageError, match="metadata.json"):
        install_package(package, tmp_path / "packages")
    installed = tmp_path / "packages" / "translate-tr_en"
    (installed / "model").mkdir(parents=True)
    (installed / "model" / "model.bin").write_bytes(b"x")
    (installed / "sentencepiece.model").write_bytes(b"x")
    with open(installed / "metadata.json", "wb") as handle:  # sparse: 300 MB that take no disk
        handle.write(b'{"from_code": "tr", "to_code": "en", "package_version": "1.0"')
        handle.truncate(300 * 1024 * 1024)
    problems: list[str] = []
    assert list_packages(tmp_path / "packages", problems) == []
    assert len(problems) == 1 and "larger than" in problems[0]


# -- defect 10: feeds export and [keys] -------------------------------------------------------

def test_defect10_feeds_export_writes_no_bidi_override_or_c1_control(capsys, tmp_path):
    opml = tmp_path / "in.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body>'
                    '<outline text="Folder\u202eevil\u009b31m"><outline text="Feed\u202e\u009b title" '
                    'title="Feed\u202e\u009b title" xmlUrl="http://news.example/feed.xml"/></outline></body></opml>',
                    encoding="utf-8")
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "feeds", "import", str(opml))[0] == 0
    code, out, _ = run(capsys, *lib, "feeds", "export")
    assert code == 0 and "news.example" in out and "Folder" in out
    assert not LEAK.search(out.replace("\n", "")), out


def test_defect10_a_keys_value_with_an_escape_is_refused(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\nsearch = "\\u001b]0;PWNED\\u0007"\n')
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "list")
    line = one_error_line(err)
    assert code == 2 and "[keys] search" in line and "not a key" in line and "\\x1b" in line
    assert not LEAK.search(err.replace("\n", ""))


# -- defect 11: export -o writes the way cp and editors do ---------------------------------------

@pytest.fixture
def article_library(capsys, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(f"Harbour strike ends\n\n{EN}\n")
    lib = ["--library", str(tmp_path / "lib")]
    assert run(capsys, *lib, "add", str(tmp_path / "in"))[0] == 0
    (article,) = json.loads(run(capsys, *lib, "list", "--json")[1])
    return lib, article["id"]


def test_defect11_export_o_writes_through_a_link_and_keeps_the_mode(capsys, tmp_path, article_library):
    import os
    import stat

    lib, article_id = article_library
    target = tmp_path / "real.md"
    target.write_text("old")
    os.chmod(target, 0o640)
    link = tmp_path / "link.md"
    link.symlink_to(target.name)
    code, _, err = run(capsys, *lib, "export", article_id, "--no-translation", "-o", str(link))
    assert code == 0, err
    assert link.is_symlink() and "Harbour strike ends" in target.read_text()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    fresh = tmp_path / "new.md"
    old_mask = os.umask(0o022)
    try:
        assert run(capsys, *lib, "export", article_id, "--no-translation", "-o", str(fresh))[0] == 0
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o644  # what the umask gives, as cp does
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "dangling"])
def test_defect11_export_o_refuses_special_files_and_never_replaces_them(capsys, tmp_path, article_library, kind):
    import os
    import stat

    lib, article_id = article_library
    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        try:
            os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
        except PermissionError:
            pytest.skip("mknod needs root")
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to("nowhere/at/all")
    before = os.lstat(target)
    code, _, err = run(capsys, *lib, "export", article_id, "--no-translation", "-o", str(target))
    line = one_error_line(err)
    assert code == 2 and str(target) in line, line
    after = os.lstat(target)
    assert (after.st_ino, stat.S_IFMT(after.st_mode)) == (before.st_ino, stat.S_IFMT(before.st_mode))


def test_defect5_output_to_a_full_disk_is_one_line(tmp_path, article_library):
    import os
    import subprocess
    import sys

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    lib, article_id = article_library
    env = dict(os.environ, NEWSREADER_CONFIG=str(tmp_path / "none.toml"))
    for argv in (["export", article_id, "--no-translation"], ["feeds", "export"], ["list"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run([sys.executable, "-m", "newsreader.tui.cli", *lib, *argv], stdout=full,
                                  stderr=subprocess.PIPE, env=env, timeout=120)
        err = done.stderr.decode()
        assert done.returncode == 2 and "the disk is full" in one_error_line(err), (argv, err)


# -- defect 20: what error lines show ----------------------------------------------------------

def test_defect20_error_lines_stay_one_line_show_bel_cr_bs_and_quote_commands(capsys, tmp_path):
    folder = tmp_path / "my lib\nx\x07\x0d\x08"
    code, _, err = run(capsys, "--library", str(folder), "list")
    line = one_error_line(err)
    assert code == 2 and "\\x0a" in line and "\\x07" in line and "\\x0d" in line and "\\x08" in line
    assert "`newsreader --library '" in line  # shell-quoted: the space would split it


def test_defect20_config_show_names_the_package_index_default(capsys, tmp_path):
    code, out, _ = run(capsys, "--library", str(tmp_path / "lib"), "config", "show")
    (line,) = [line for line in out.splitlines() if line.startswith("translation.package_index")]
    assert "public Argos index" in line and "user data folder" not in line


# -- found by the fuzz pass (tests/fuzz) ---------------------------------------------------------

def test_fuzz_found_character_references_feedparser_cannot_decode_leave_the_feed_readable(capsys, tmp_path):
    """`&#xD800;` (a surrogate), `&#x110000;` and `&#99999999999;` made feedparser raise
    (UnicodeEncodeError, ValueError, OverflowError): `add` of such a feed file was a traceback."""
    feed = tmp_path / "refs.rss"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>Refs &#xD800;</title>'
                    f"<item><guid>r1</guid><title>Harbour &#55296; strike &#x110000; ends &#99999999999;</title>"
                    f"<description>{EN}</description></item></channel></rss>")
    lib = ["--library", str(tmp_path / "lib")]
    code, out, err = run(capsys, *lib, "add", str(feed))
    assert code == 0 and "Traceback" not in err, err
    (article,) = json.loads(run(capsys, *lib, "list", "--json")[1])
    assert article["title"].startswith("Harbour") and "strike" in article["title"]


def test_a_feed_feedparser_cannot_read_at_all_is_one_line(capsys, tmp_path, monkeypatch):
    import feedparser

    def broken(*args, **kwargs):
        raise UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed")

    monkeypatch.setattr(feedparser, "parse", broken)
    feed = tmp_path / "any.rss"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x</title>'
                    f"<description>{EN}</description></item></channel></rss>")
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "add", str(feed))
    assert code == 2 and "is not a readable RSS/Atom feed (UnicodeEncodeError)" in one_error_line(err)


def test_fuzz_found_a_5000_digit_number_in_an_article_is_added(tmp_path):
    from newsreader.index import Library

    story = tmp_path / "number.txt"
    story.write_text(f"Harbour strike ends\n\nThe count reached {'9' * 5000} on Monday. {EN}\n")
    with Library(tmp_path / "lib", workers=1) as library:
        assert library.add([story]).added


# -- the files half of the hostile corpus (tools/hostile_inputs.py) through the real command -------

@pytest.mark.slow
def test_the_hostile_files_through_the_real_command(tmp_path):
    """Config and state files, OPML lists, package metadata, the translation cache's place and
    output targets that are not what they should be: no traceback, no hang, no escape leak,
    nothing changed that must stay (on fce20c9: 40 inputs, 13 tracebacks, 3 hangs, 4 leaks, 4 lost)."""

    import hostile_inputs

    figures = hostile_inputs.check_files(tmp_path, timeout_s=120)
    assert figures["failures"] == []
    assert figures["inputs"] >= 35
    assert (figures["tracebacks"], figures["hangs"], figures["leaks"], figures["lost"]) == (0, 0, 0, 0)


def test_fuzz_found_a_jsonl_line_with_a_5000_digit_number_is_one_problem_line(capsys, tmp_path):
    """json.loads raises ValueError (not JSONDecodeError) past Python's 4,300 digits: `add` of
    such a JSONL file was a traceback; the line is named and the others are added."""
    wire = tmp_path / "wire.jsonl"
    wire.write_text(json.dumps({"id": "ok", "text": EN}) + "\n" + '{"text": "x", "n": ' + "9" * 5000 + "}\n")
    code, out, err = run(capsys, "--library", str(tmp_path / "lib"), "add", str(wire))
    assert code == 1 and "1 added" in out and "Traceback" not in err
    named = [line for line in err.splitlines() if line.startswith(f"newsreader: {wire}:2:")]
    assert named == [f"newsreader: {wire}:2: not valid JSON (a number of more than 4,300 digits); fix or remove the line"]


def test_fuzz_found_an_opml_file_naming_an_unknown_encoding_is_one_line(capsys, tmp_path):
    """<?xml encoding="TF-8"?>: expat's LookupError was a traceback of `feeds import`."""
    opml = tmp_path / "odd.opml"
    opml.write_text('<?xml version="1.0" encoding="TF-8"?><opml version="2.0"><body>'
                    '<outline text="A" xmlUrl="http://a.example/feed.xml"/></body></opml>')
    code, _, err = run(capsys, "--library", str(tmp_path / "lib"), "feeds", "import", str(opml))
    assert code == 2 and "unknown encoding: TF-8" in one_error_line(err)


def test_fuzz_found_a_remembered_value_holding_a_control_is_dropped(tmp_path):
    from newsreader.tui import remembered

    state = tmp_path / "state.json"
    state.write_text(json.dumps({"theme": "\x9b6ntextual-light", "sort": "source"}))
    choices, problem = remembered.load(state)
    assert choices.theme is None and choices.sort == "source"
    assert problem.endswith("ignored bad remembered values: theme")


def test_fuzz_found_a_lone_surrogate_in_the_state_file_is_dropped(tmp_path):
    """A surrogate, encoded (ED A0 80) or escaped (\\ud800), reached msgspec (UnicodeEncodeError)
    or the next save: the app would not start, or fail when remembering a choice."""
    from newsreader.tui import remembered

    state = tmp_path / "state.json"
    state.write_bytes(b'{"theme": "textual-light", "rtl": "\xed\xa0\x80visual"}')
    choices, problem = remembered.load(state)
    assert choices == remembered.Remembered() and "not UTF-8" in problem
    state.write_text('{"theme": "\\ud800x", "sort": "source"}')
    choices, problem = remembered.load(state)
    assert (choices.theme, choices.sort) == (None, "source") and problem.endswith("values: theme")
    remembered.update(state, sort="date")  # and the next save writes a good file
    assert json.loads(state.read_text()) == {"sort": "date"}
