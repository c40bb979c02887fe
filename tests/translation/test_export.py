"""`newsreader export`: an article beside its translation and a whole event's coverage, as
Markdown, with translations from the tiny fixture models (ctranslate2 engine)."""

from __future__ import annotations

import json

import pytest

from newsreader.index.export import md

from .conftest import pairs
from helpers.cli import run

TR, SQ = pairs("tr_en"), pairs("sq_en")


@pytest.fixture
def lib(tmp_path, monkeypatch, installed_dir, capsys):
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(installed_dir))
    monkeypatch.setenv("NEWSREADER_CACHE", str(tmp_path / "cache"))
    files = tmp_path / "files"
    files.mkdir()
    (files / "tr_meeting.txt").write_text(" date 2024-10 https://example.org/tr/askabat\n\nPutin ve Pezeşkiyan "
                                          "Aşkabat'ta\n\n" + "\n\n".join(s for s, _ in TR[:4]), encoding="utf-8")
    (files / "sq_meeting.txt").write_text(" date 2024-10 https://example.org/sq/ashgabat\n\nTakimi në Ashgabat\n\n"
                                          + "\n\n".join(s for s, _ in SQ[:3]), encoding="utf-8")
    library = ["--library", str(tmp_path / "library")]
    run(capsys, *library, "add", "--lang", "tr", files / "tr_meeting.txt")
    run(capsys, *library, "add", "--lang", "sq", files / "sq_meeting.txt")
    return library


def test_an_article_beside_its_translation(capsys, lib, tmp_path):
    code, out, err = run(capsys, *lib, "export", "tr_meeting", "--format", "md", "--to", "en")
    assert code == 0, err
    assert out.startswith("# Putin ve Pezeşkiyan Aşkabat'ta\n")
    assert "- language: tr" in out and "- url: <https://example.org/tr/askabat>" in out
    assert "| tr | en |" in out
    for source, target in TR[:4]:
        assert f"| {md(source)} | {md(target)} |" in out
    # -o writes the same document to a file
    target_file = tmp_path / "out.md"
    assert run(capsys, *lib, "export", "tr_meeting", "--to", "en", "-o", target_file)[0] == 0
    assert target_file.read_text(encoding="utf-8") == out


def test_a_whole_event_with_translations_and_what_each_adds(capsys, lib):
    events = json.loads(run(capsys, *lib, "events", "--json")[1])
    (event,) = [e for e in events if set(e["members"]) == {"tr_meeting", "sq_meeting"}]
    code, out, err = run(capsys, *lib, "export", event["id"], "--to", "en")
    assert code == 0, err
    assert out.startswith("# ") and "2 reports" in out and f"event `{event['id']}`" in out
    assert out.count("### What it adds") == 2
    for source, target in TR[:4] + SQ[:3]:
        assert f"| {md(source)} | {md(target)} |" in out
    sections = out.split("\n## ")[1:]
    assert {s.splitlines()[0].split(". ", 1)[1] for s in sections} == {"Putin ve Pezeşkiyan Aşkabat'ta",
                                                                        "Takimi në Ashgabat"}
    assert "- language: sq" in out and "- date: 2024-10" in out


def test_no_model_for_a_language_exports_untranslated_and_says_why(capsys, lib):
    code, out, err = run(capsys, *lib, "export", "sq_meeting", "--to", "ar")
    assert code == 1 and "sq_meeting: no translation to ar" in err
    assert "| sq |" not in out and md(SQ[0][0]) in out
    code, out, err = run(capsys, *lib, "export", "nope")
    assert code == 2 and "no article or event with id 'nope'" in err


def test_article_text_is_literal_markdown():
    assert md("[click](http://evil) <script> # not a heading | cell") == \
        r"\[click\]\(http://evil\) \<script\> \# not a heading \| cell"
    assert md("- item\n1. first") == r"\- item 1. first"  # one line: "1." is no longer a list item
    assert md("1. first") == r"1\. first"
