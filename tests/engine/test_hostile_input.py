"""Hostile input, one defect at a time (issue 9): escape injection, broken JSONL lines,
re-adding damaged files, bounded snippets, odd files and queries. The generated corpus driven
through the real command is in test_hostile_corpus.py."""

import json

import pytest

from newsreader.index import Library
from newsreader.tui.terminal_text import json_text, safe

from helpers.cli import run

ENGLISH = "The Russian president met his Iranian counterpart in Ashgabat on Friday to discuss trade and regional security."
# What must never reach a terminal from data: ESC, the one-byte CSI and other C1 controls,
# BEL, and the bidi embeddings/overrides/isolates.
LEAKS = ["\x1b", "\x07", "\x9b", "\x9d", "\x85", "\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069"]


def leaks(text: str) -> list[str]:
    return [ch for ch in LEAKS if ch in text]


EVIL_FEED = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Chan\x1b]2;CHANNEL\x1b\\nel \u202eeman</title>
<item><title>Head\x1b]52;c;ZXZpbA==\x07line \x1b[31mred\x1b[0m \u2066iso\u2069</title>
<link>http://example.com/a\x1b[2J</link><guid>g1</guid>
<description>{body}</description></item></channel></rss>
""".format(body=ENGLISH + " \x1bP1$qm\x1b\\ tail")


def test_escape_sequences_in_a_feed_are_cleaned_at_ingest(tmp_path):
    feed = tmp_path / "evil.rss"
    feed.write_text(EVIL_FEED)
    with Library(tmp_path / "lib") as library:
        report = library.add([feed])
        assert report.added and not report.problems
        article = library.get(report.added[0])
    for value in (article.title, article.source, article.url, *article.paragraphs):
        assert not leaks(value), value
    # The whole sequence goes, not only its ESC: no `]2;CHANNEL` remnant.
    assert article.source == "Channel eman"
    assert article.title == "Headline red iso"
    assert article.url == "http://example.com/a"
    assert article.paragraphs[0].endswith("tail") and "$qm" not in article.paragraphs[0]


def test_marks_and_joiners_that_scripts_need_are_kept(tmp_path):
    text = "خبر\u200f عاجل\n\nمی\u200cخواهم " + ENGLISH + " \u200d"
    f = tmp_path / "ar.txt"
    f.write_text(text)
    with Library(tmp_path / "lib") as library:
        article = library.get(library.add([f]).added[0])
    assert "\u200f" in article.title and "\u200c" in article.body


def test_printed_fields_never_carry_controls(capsys, tmp_path):
    """What is stored (older libraries) or named (files) is escaped again on output."""
    folder = tmp_path / "d\x1b]2;FOLDER\x07\u202e"
    folder.mkdir()
    (folder / "a.txt").write_text("Putin meets Pezeshkian\n\n" + ENGLISH)
    (folder / "empty\x1b[2J\x9b1m.txt").write_text("")
    lib = tmp_path / "lib"
    code, out, err = run(capsys, "--library", lib, "add", folder)
    assert code == 1 and "1 added" in out
    assert "empty\\x1b[2J\\x9b1m.txt: is empty" in err  # named, recognisably, without acting
    for argv in (("list",), ("list", "--json"), ("search", "Ashgabat"), ("search", "Ashgabat", "--json"),
                 ("show", "a"), ("show", "a", "--json"), ("stats",), ("stats", "--json")):
        code, out, err = run(capsys, "--library", lib, *argv)
        assert code == 0, (argv, err)
        assert not leaks(out) and not leaks(err), (argv, out, err)
    data = json.loads(run(capsys, "--library", lib, "show", "a", "--json")[1])
    assert data["source"] == "d"  # a folder name used as the source is cleaned like any field (issue 19)
    assert "d\x1b]2;FOLDER\x07\u202e" in data["path"]  # the path stays exact: JSON escapes it
    code, out, err = run(capsys, "--library", lib, "list", "--lang", "\x1b]2;x\x07")
    assert code == 2 and not leaks(err) and "\\x1b" in err


def test_json_escapes_c1_and_bidi_controls():
    value = {"path": "a\x9bb\u202ec\u2028d\x85", "ok": "Pezeşkiyan بيزشكيان \u200f"}
    text = json_text(value)
    assert not leaks(text) and "\u2028" not in text
    assert "\\u009b" in text and "\\u202e" in text
    assert "Pezeşkiyan بيزشكيان \u200f" in text  # readable Unicode stays readable
    assert json.loads(text) == value


def test_safe_shows_controls_as_escapes():
    assert safe("a\x1b[31mb\x9b\u202e\n") == "a\\x1b[31mb\\x9b\\u202e\n"
    assert safe("a\nb", newlines=False) == "a\\x0ab"
    assert safe(safe("\x1b")) == safe("\x1b")


# -- JSONL: one bad line never aborts an add ---------------------------------------------------

def test_lone_surrogate_and_deep_nesting_are_one_line_each(tmp_path, capsys):
    f = tmp_path / "bad.jsonl"
    f.write_text("\n".join([
        '{"text": "x \\ud800 y ' + ENGLISH + '"}',
        "[" * 2000 + "]" * 2000,
        '{"text": {"a": ' * 2000 + '"x"' + "}" * 2000,
        json.dumps({"text": ENGLISH + " again", "id": "i" * 100_000}),
        json.dumps({"text": ENGLISH + " and more", "id": "fine"}),
    ]) + "\n")
    (tmp_path / "other.txt").write_text(ENGLISH + " Other file.")
    code, out, err = run(capsys, "--library", tmp_path / "lib", "add", f, tmp_path / "other.txt")
    assert code == 1 and "Traceback" not in err
    assert "3 added" in out
    lines = err.strip().splitlines()
    assert [line.split(": ", 2)[1].rsplit(":", 1)[1] for line in lines] == ["2", "3", "4"]
    assert "nested too deeply" in lines[0] and "nested too deeply" in lines[1]
    assert "100000 characters long (at most 200)" in lines[2]
    with Library(tmp_path / "lib") as library:
        bodies = [library.get(s.id).body for s in library.articles()]
    assert any(body.startswith("x \ufffd y") for body in bodies)


def test_translate_reads_a_jsonl_file_with_a_lone_surrogate(tmp_path, capsys):
    f = tmp_path / "one.jsonl"
    f.write_text('{"text": "x \\ud800 y ' + ENGLISH + '", "lang": "en"}\n')
    code, out, err = run(capsys, "--library", tmp_path / "lib", "translate", f, "--to", "en")
    assert "Traceback" not in err and code in (0, 1, 2)
    assert "\ud800" not in out


# -- re-adding a damaged file keeps what was indexed ------------------------------------------

def _jsonl(count: int) -> list[str]:
    return [json.dumps({"id": f"n{i}", "text": f"{ENGLISH} Number {i}."}) for i in range(count)]


def test_readding_a_jsonl_with_one_broken_line_keeps_its_article(tmp_path):
    f = tmp_path / "news.jsonl"
    lines = _jsonl(5)
    f.write_text("\n".join(lines) + "\n")
    with Library(tmp_path / "lib") as library:
        assert len(library.add([f]).added) == 5
        lines[2] = lines[2][:-5]  # the line of n2 is now broken
        f.write_text("\n".join(lines) + "\n")
        report = library.add([f])
        assert report.removed == []
        assert any(p.line == 3 for p in report.problems)
        assert any("were kept" in str(p) for p in report.problems)
        assert sorted(s.id for s in library.articles()) == [f"n{i}" for i in range(5)]


def test_a_file_cut_mid_line_removes_nothing(tmp_path):
    f = tmp_path / "news.jsonl"
    text = "\n".join(_jsonl(50)) + "\n"
    f.write_text(text)
    with Library(tmp_path / "lib") as library:
        assert len(library.add([f]).added) == 50
        cut = sum(len(line) + 1 for line in text.split("\n")[:20]) + 30  # in the middle of line 21
        f.write_text(text[:cut])
        report = library.add([f])
        assert report.removed == [] and len(library.articles()) == 50
        assert [p.line for p in report.problems if p.line] == [21]
        # Fixed, the file mirrors again: the lines really deleted go.
        f.write_text("\n".join(_jsonl(20)) + "\n")
        report = library.add([f])
        assert len(report.removed) == 30 and len(library.articles()) == 20


# -- snippets: bounded work on huge articles ----------------------------------------------------

def test_snippet_of_a_5_mb_one_line_article_looks_at_a_bounded_part(monkeypatch):
    from newsreader.index import analysis, highlight, search

    filler = "growth of trade in the region " * 180_000  # 5.4 MB, one paragraph
    terms = highlight.QueryTerms(folded=frozenset({"economy"}))
    scanned = []  # characters of text the word pattern was run over
    word = analysis.WORD

    class Counting:
        def findall(self, text, pos=0, endpos=None):
            scanned.append(min(len(text), len(text) if endpos is None else endpos) - pos)
            return word.findall(text, pos, len(text) if endpos is None else endpos)

        def finditer(self, text, pos=0, endpos=None):
            scanned.append(min(len(text), len(text) if endpos is None else endpos) - pos)
            return word.finditer(text, pos, len(text) if endpos is None else endpos)

    monkeypatch.setattr(analysis, "WORD", Counting())
    # Many matches early: the snippet is placed around the first ones.
    found, how = search.snippet(("The economy grew. " + "economy " * 100_000 + filler,), "en", terms)
    assert how == {highlight.EXACT}
    assert len(found.text) <= 170 and found.spans
    start, end = found.spans[0]
    assert found.text[start:end] == "economy"
    assert scanned and max(scanned) <= search.SCAN_CHARS
    # One match, then 5 MB: the scan stops at its budget of characters.
    scanned.clear()
    found, how = search.snippet(("The economy grew. " + filler + "economy",), "en", terms)
    assert how == {highlight.EXACT} and "economy" in found.text and len(found.text) <= 170
    assert scanned and max(scanned) <= search.SCAN_CHARS
    # No match at all in the scanned part: the start is shown.
    scanned.clear()
    found, how = search.snippet((filler + "economy",), "en", terms)
    assert not how and found.text.startswith("growth of trade") and len(found.text) <= 170
    assert scanned and sum(scanned) <= search.SCAN_CHARS


def test_snippet_window_holds_the_most_matches():
    from newsreader.index import highlight

    text = "alpha " * 100 + "beta x beta y beta " + "gamma " * 100 + "beta"
    spans = [(i, i + 4) for i in range(len(text)) if text.startswith("beta", i)]
    found = highlight.snippet(text, spans, width=60)
    assert found.text.count("beta") >= 3 and len(found.spans) == 3
    assert all(found.text[s:e] == "beta" for s, e in found.spans)
    # A long text with no spaces: the window still holds the match.
    text = "x" * 100_000 + "economy" + "y" * 100_000
    found = highlight.snippet(text, [(100_000, 100_007)])
    assert "economy" in found.text and len(found.text) <= 170


@pytest.mark.parametrize("query, fragment", [
    ("<>", "cannot parse the query '<>'; check its quotes, brackets and operators"),
    ("date:2024-13", "cannot read the date in 'date:2024-13'"),
    ("date:2024-02-30", "cannot read the date"),
    ("date:[2024-01 to 2024-13]", "cannot read the date"),
])
def test_bad_queries_are_one_clear_line(capsys, tmp_path, query, fragment):
    Library(tmp_path / "lib").close()
    code, out, err = run(capsys, "--library", tmp_path / "lib", "search", query)
    assert code == 2 and fragment in err and err.count("\n") == 1
    assert "list index out of range" not in err


# -- smaller ones (defect 20) -----------------------------------------------------------------

def test_control_references_in_html_are_dropped_and_the_page_read(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Page &#27;title</title></head><body><article><h1>Headline here</h1>"
                    f"<p>{ENGLISH} &#27;[31m &#7; &#x1b;]2;x&#x07; &#150; dash\x1b.</p>"
                    f"<p>{ENGLISH} Second paragraph.</p></article></body></html>")
    with Library(tmp_path / "lib") as library:
        report = library.add([page])
        assert report.added and not report.problems, report.problems
        article = library.get(report.added[0])
    assert not leaks(article.body) and "Ashgabat" in article.body and "– dash" in article.body


def test_utf16_without_a_bom_is_read_as_text(tmp_path):
    for name, encoding in (("le.txt", "utf-16-le"), ("be.txt", "utf-16-be")):
        (tmp_path / name).write_bytes(("Putin meets Pezeshkian\n\n" + ENGLISH + "\n").encode(encoding))
    (tmp_path / "noise.txt").write_bytes(bytes(range(256)) * 64)
    with Library(tmp_path / "lib") as library:
        report = library.add([tmp_path / "le.txt", tmp_path / "be.txt", tmp_path / "noise.txt"])
        assert sorted(report.added) == ["be", "le"]
        assert [p.message for p in report.problems] == [
            "looks like a binary file, not text; only text, HTML, JSONL and feeds can be added"]
        assert library.get("be").title == "Putin meets Pezeshkian"


def test_links_loops_and_links_out_of_the_added_folder(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0:root:/root:/bin/bash " + ENGLISH)
    folder = tmp_path / "download"
    folder.mkdir()
    (folder / "real.txt").write_text(ENGLISH)
    (folder / "alias.txt").symlink_to("real.txt")  # inside: followed (the same article)
    (folder / "passwd.txt").symlink_to(outside)
    (folder / "loop.txt").symlink_to("loop.txt")
    (folder / "gone.txt").symlink_to("missing.txt")
    with Library(tmp_path / "lib") as library:
        report = library.add([folder, folder / "loop.txt"])
        problems = sorted(str(p) for p in report.problems)
        assert [s.id for s in library.articles()] == ["real"]
    assert problems == sorted([
        f"{folder}/gone.txt: is a broken link (what it points to does not exist); skipped",
        f"{folder}/loop.txt: is a symlink loop (a link that leads back to itself); skipped",
        f"{folder}/loop.txt: is a symlink loop (a link that leads back to itself); skipped",
        f"{folder}/passwd.txt: links outside the added folder (to {outside}); skipped: add that file itself to include it",
    ])


def test_a_long_id_keeps_the_list_layout(capsys, tmp_path):
    import io

    from newsreader.tui import cli, config
    from newsreader.tui.context import Context
    from newsreader.tui.terminal_text import SafeConsole

    f = tmp_path / "ids.jsonl"
    f.write_text(json.dumps({"id": "x" * 200, "text": ENGLISH, "title": "Long id"}) + "\n"
                 + json.dumps({"id": "short", "text": ENGLISH + " Two.", "title": "Short id"}) + "\n")
    assert run(capsys, "--library", tmp_path / "lib", "add", f)[0] == 0
    screen = io.StringIO()
    ctx = Context(config.Settings(), out=SafeConsole(file=screen, force_terminal=True, color_system=None, width=80))
    with Library(tmp_path / "lib") as library:
        cli.print_summaries(ctx, library.articles())
    lines = screen.getvalue().splitlines()
    assert len(lines) == 2 and all(len(line) <= 80 for line in lines)
    assert all(line.rstrip().endswith(" id") for line in lines)  # the titles are still shown
    assert any(line.startswith("x" * 27 + "…") for line in lines)
    code, out, _ = run(capsys, "--library", tmp_path / "lib", "list")  # a pipe: whole ids
    assert "x" * 200 in out


def test_a_newline_in_a_bad_file_name_keeps_its_problem_on_one_line(capsys, tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "two\nlines.txt").write_text("")
    (folder / "good.txt").write_text(ENGLISH)
    code, out, err = run(capsys, "--library", tmp_path / "lib", "add", folder)
    assert code == 1 and err == f"newsreader: {folder}/two\\x0alines.txt: is empty; nothing to add\n"
