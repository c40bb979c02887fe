"""Each input format, encodings, and the one-line problems bad input produces."""

import json

import pytest

from newsreader.index import Library

TURKISH = "Rusya Devlet Başkanı Vladimir Putin, İran Cumhurbaşkanı ile Aşkabat'ta görüştü ve iki ülke arasındaki ilişkileri değerlendirdi."
ARABIC = "أجرى الرئيسان الروسي فلاديمير بوتين والإيراني مسعود بيزشكيان محادثات في عاصمة تركمانستان عشق آباد اليوم الجمعة."
ENGLISH = "The Russian president met his Iranian counterpart in Ashgabat on Friday to discuss trade and regional security."


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "library") as lib:
        yield lib


def only(library):
    [summary] = library.articles()
    return library.get(summary.id)


def test_plain_text_paragraphs_and_headline_title(library, tmp_path):
    f = tmp_path / "story.txt"
    f.write_text("Putin meets Pezeshkian in Ashgabat\n\n" + ENGLISH + "\n\nSecond paragraph with\nhard wrapped lines.\n")
    report = library.add([f])
    assert report.added == ["story"] and not report.problems
    article = only(library)
    assert article.title == "Putin meets Pezeshkian in Ashgabat"
    assert article.paragraphs == (ENGLISH, "Second paragraph with hard wrapped lines.")
    assert article.lang == "en" and article.source == tmp_path.name


def test_title_is_start_of_first_sentence_without_headline(library, tmp_path):
    f = tmp_path / "a.md"
    f.write_text(ENGLISH + " More text follows here.")
    library.add([f])
    assert only(library).title == "The Russian president met his Iranian counterpart in Ashgabat on Friday to discuss trade…"


def test_html_main_text_extraction(library, tmp_path):
    f = tmp_path / "page.html"
    f.write_text(f"""<!doctype html><html><head><title>Putin in Ashgabat | Example News</title>
    <link rel="canonical" href="https://example.org/news/putin-ashgabat"></head><body>
    <nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Putin in Ashgabat</h1><p>{ENGLISH}</p><p>{ENGLISH.replace('Friday', 'Thursday')}</p></article>
    <footer>Copyright Example News. All rights reserved.</footer></body></html>""")
    report = library.add([f])
    assert not report.problems
    article = only(library)
    assert "Putin in Ashgabat" in article.title
    assert ENGLISH in article.paragraphs
    assert not any("Home" == p or "rights reserved" in p for p in article.paragraphs)
    assert article.source == "example.org"


def test_jsonl_keeps_given_id_and_lang_and_reports_bad_lines(library, tmp_path):
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "wn:1", "lang": "it", "title": "Titolo", "text": ENGLISH, "source": "wikinews", "date": "2024-10-11"}),
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": TURKISH, "url": "https://www.hurriyet.com.tr/x"}),
        json.dumps(["a list"]),
        json.dumps({"id": "wn:1", "text": "duplicate id"}),
    ]
    f.write_text("\n".join(lines) + "\n")
    report = library.add([f])
    assert "wn:1" in report.added and len(report.added) == 2
    assert [p.line for p in report.problems] == [2, 3, 5, 6]
    assert all(str(p).startswith(f"{f}:") for p in report.problems)
    given = library.get("wn:1")
    assert given.lang == "it" and given.title == "Titolo" and given.source == "wikinews" and given.date == "2024-10-11"
    other = library.get(next(i for i in report.added if i != "wn:1"))
    assert other.lang == "tr" and other.source == "hurriyet.com.tr"


RSS = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Daily Sabah</title>
<item><title>Putin ve Pezeşkiyan görüştü</title><link>https://example.com.tr/a</link><guid>a-1</guid>
<pubDate>Fri, 11 Oct 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;{0}&lt;/p&gt;&lt;p&gt;İkinci paragraf burada yer alıyor ve devam ediyor.&lt;/p&gt;</description></item>
<item><title>İkinci haber</title><link>https://example.com.tr/b</link><description>{0}</description></item>
</channel></rss>""".format(TURKISH)

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>
<entry><title>Meeting in Ashgabat</title><id>urn:x:1</id><updated>2024-10-11T10:00:00Z</updated>
<link href="https://atom.example.org/1"/><content type="html">&lt;p&gt;{0}&lt;/p&gt;</content></entry></feed>""".format(ENGLISH)


def test_rss_and_atom_entries_become_articles(library, tmp_path):
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "sabah.rss").write_text(RSS)
    (tmp_path / "feeds" / "news.atom").write_text(ATOM)
    report = library.add([tmp_path / "feeds"])
    assert len(report.added) == 3 and not report.problems
    first = next(a for a in library.articles() if a.title == "Putin ve Pezeşkiyan görüştü")
    article = library.get(first.id)
    assert article.date == "2024-10-11" and article.url == "https://example.com.tr/a" and article.lang == "tr"
    assert len(article.paragraphs) == 2 and article.source == "Daily Sabah"
    atom = next(a for a in library.articles() if a.title == "Meeting in Ashgabat")
    assert atom.lang == "en" and atom.date == "2024-10-11"


@pytest.mark.parametrize("encoding, text, lang", [
    ("cp1254", TURKISH * 3, "tr"),
    ("cp1256", ARABIC * 3, "ar"),
    ("iso-8859-2", "Prezydent Rosji Władysław spotkał się z prezydentem Iranu w Aszchabadzie, gdzie rozmawiali o handlu i bezpieczeństwie. " * 2, "pl"),
])
def test_legacy_encodings_are_detected(library, tmp_path, encoding, text, lang):
    f = tmp_path / f"legacy-{encoding}.txt"
    f.write_bytes(text.encode(encoding))
    report = library.add([f])
    assert not report.problems
    article = only(library)
    assert article.paragraphs[0].startswith(text.split()[0])
    assert article.paragraphs[0] == text.strip()
    assert article.lang == lang


def test_bad_files_get_one_line_each_and_the_rest_is_indexed(library, tmp_path, monkeypatch):
    import newsreader.index.decoding as decoding

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text(ENGLISH)
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "big.txt").write_text("x" * 2000)
    (folder / "blank.md").write_text("   \n\n  ")
    (folder / "broken.rss").write_text("<rss><channel><item>")
    monkeypatch.setattr(decoding, "MAX_FILE_BYTES", 1000)
    report = library.add([folder, tmp_path / "missing.txt"])
    assert report.added == ["good"]
    messages = {str(p).split(": ", 1)[0].rsplit("/", 1)[-1]: str(p) for p in report.problems}
    assert set(messages) == {"empty.txt", "binary.txt", "big.txt", "blank.md", "broken.rss", "missing.txt"}
    assert "binary" in messages["binary.txt"] and "too large" in messages["big.txt"]
    assert "no such file" in messages["missing.txt"]
    assert all("\n" not in m for m in messages.values())


def test_unreadable_file_is_reported(library, tmp_path, monkeypatch):
    # Root (CI) can read mode-000 files, so simulate the permission error the OS would raise.
    from pathlib import Path

    f = tmp_path / "secret.txt"
    f.write_text(ENGLISH)
    real = Path.open
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: (_ for _ in ()).throw(PermissionError(13, "denied"))
                        if self.name == "secret.txt" else real(self, *a, **k))
    report = library.add([f])
    assert str(report.problems[0]) == f"{f}: permission denied; check the file's permissions"
    assert library.is_empty()


def test_control_sequences_and_markup_are_stored_as_inert_text(library, tmp_path):
    f = tmp_path / "evil.txt"
    f.write_text("Title \x1b]0;pwned\x07here\n\n[bold]not bold[/bold] \x1b[31mred\x1b[0m and \x07bell " + ENGLISH)
    library.add([f])
    article = only(library)
    text = article.title + article.body
    assert "\x1b" not in text and "\x07" not in text
    assert "[bold]not bold[/bold]" in article.body


def test_jsonl_line_separators_inside_strings_do_not_split_an_article(tmp_path):
    """Issue 9, defect 11: raw U+2028/U+2029/U+0085 in a JSON string are not line ends."""
    import json as json_module

    from newsreader.index import Library

    f = tmp_path / "wire.jsonl"
    rows = [{"id": "a", "text": "First part.\u2028Second part\u2029 and a third\u0085 of the same article."},
            {"id": "b", "text": "Another article entirely, on its own line."}]
    f.write_bytes(("\r\n".join(json_module.dumps(r, ensure_ascii=False) for r in rows) + "\r\n").encode("utf-8"))
    with Library(tmp_path / "library") as library:
        report = library.add([f])
        assert sorted(report.added) == ["a", "b"] and not report.problems
        assert "Second part" in library.get("a").body
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json_module.dumps(rows[0], ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
    with Library(tmp_path / "library2") as library:
        assert [str(p).rsplit(":", 2)[1] for p in library.add([bad]).problems] == ["2"]  # the right line number


def test_pipes_devices_and_undecodable_names_in_a_folder_are_skipped_with_a_line(tmp_path):
    """Issue 9, defects 3 and 5: a FIFO hung the add, a link to /dev/zero read without bound, a
    non-UTF-8 file name aborted the whole add."""
    import os

    from newsreader.index import Library

    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "good.txt").write_text("The presidents met in Ashgabat on Friday to discuss trade and energy.")
    os.mkfifo(folder / "p.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink(folder / "loop.txt", folder / "loop.txt")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w") as handle:
        handle.write("Un article dont le nom de fichier n'est pas en UTF-8, mais le texte oui.")
    with Library(tmp_path / "library") as library:
        report = library.add([folder])
    assert report.added == ["good"]
    lines = sorted(str(p) for p in report.problems)
    assert len(lines) == 4, lines
    assert any("p.txt: is not a regular file" in line for line in lines)
    assert any("zero.txt: is not a regular file" in line for line in lines)
    assert any("loop.txt: is a symlink loop" in line for line in lines)
    assert any("caf\\xe9.txt: its name is not valid UTF-8" in line for line in lines)  # escaped, not raw


def test_markdown_is_read_as_text_not_markup(library, tmp_path):
    """Issue 12, item 7: emphasis, links, code and headings lose their marks; a list is one
    paragraph, one item a line (tight or loose), not one paragraph an item."""
    (tmp_path / "a.md").write_text(
        "# Leaders meet in Ashgabat\n\n"
        "The presidents met in **Ashgabat** on Friday, says [the agency](https://example.com/x).\n\n"
        "- energy and *trade*\n- the `North–South` corridor\n\n- a loose item\n\n"
        "1. first\n2. second\n\n> A quote from the _summit_.\n\n---\nEscaped \\*stars\\* stay.\n",
        encoding="utf-8")
    library.add([tmp_path / "a.md"])
    article = only(library)
    assert article.title == "Leaders meet in Ashgabat"
    assert article.paragraphs == (
        "The presidents met in Ashgabat on Friday, says the agency.",
        "• energy and trade\n• the North–South corridor\n• a loose item",
        "1. first\n2. second",
        "A quote from the summit.",
        "Escaped *stars* stay.",
    )
