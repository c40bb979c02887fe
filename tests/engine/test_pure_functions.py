"""The pure functions everything else rests on (issue 12, "tests that can fail"): folding,
name skeletons, titles, paragraphs, snippets, and the app's right-to-left mode. Each
assertion names the exact value, so a change in behaviour shows here first."""

from __future__ import annotations

import pytest

from newsreader.index import highlight, names, text_cleanup, titles


@pytest.mark.parametrize("word, folded", [
    ("Pezeşkiyan", "pezeskiyan"), ("ERDOĞAN", "erdogan"), ("بوتين", "bwtyn"), ("Putin", "putin"),
])
def test_fold_drops_case_and_accents_and_transliterates(word, folded):
    assert names.fold(word) == folded


@pytest.mark.parametrize("spellings", [
    ("Pezeşkiyan", "Pezeshkian", "بيزشكيان"),
    ("Putin", "بوتين"),
    ("Erdoğan", "ERDOGAN"),
])
def test_one_name_has_one_skeleton_across_spellings_and_scripts(spellings):
    assert len({names.outline(word) for word in spellings}) == 1
    assert len({names.script_key(word) for word in spellings}) == 1


def test_different_names_have_different_skeletons():
    assert names.outline("Putin") != names.outline("Pezeshkian")
    assert names.outline("Putin") == "btn" and names.outline("Pezeshkian") == "bskn"


def test_title_is_the_headline_line_or_the_first_sentence():
    assert titles.split_title(("Putin-Reisi görüşmesi", "Body.")) == ("Putin-Reisi görüşmesi", ("Body.",))
    # no headline: the first sentence is the title and the paragraph stays in the body
    assert titles.split_title(("Putin met Raisi. More text.",)) == ("Putin met Raisi", ("Putin met Raisi. More text.",))
    assert titles.split_title(()) == ("", ())
    assert titles.shorten("word " * 40, 30) == "word word word word word word…"
    assert titles.is_headline("Leaders meet in Ashgabat") and not titles.is_headline("They met on Friday.")


def test_paragraphs_split_on_blank_lines_and_join_hard_wrapped_prose():
    text = "one\ntwo\n\n- a\n- b\n\nthis is a long hard wrapped line of prose that goes on\nand continues here"
    assert text_cleanup.paragraphs(text) == (
        "one two", "- a", "- b", "this is a long hard wrapped line of prose that goes on and continues here")
    assert text_cleanup.paragraphs("\n\n  \n") == ()


def test_snippet_is_centred_on_the_match_and_keeps_its_span():
    text = "a " * 100 + "Putin met Pezeshkian in Ashgabat. " + "b " * 100
    found = highlight.snippet(text, [(200, 205)], 60)
    assert found.text.startswith("…") and found.text.endswith("…") and len(found.text) <= 62
    (start, end), = found.spans
    assert found.text[start:end] == "Putin"


@pytest.mark.parametrize("setting, env, mode", [
    ("visual", {"VTE_VERSION": "7000"}, "visual"),
    ("logical", {}, "logical"),
    ("auto", {}, "visual"),
    ("auto", {"VTE_VERSION": "7000"}, "logical"),
    ("auto", {"VTE_VERSION": "5000"}, "visual"),
    ("auto", {"VTE_VERSION": "7000", "TMUX": "/tmp/tmux"}, "visual"),  # a multiplexer in between
    ("auto", {"KONSOLE_VERSION": "230800"}, "logical"),
    ("auto", {"TERM": "mlterm-256color"}, "logical"),
    ("auto", {"TERM_PROGRAM": "Apple_Terminal", "STY": "1.pts"}, "visual"),
    ("auto", {"VTE_VERSION": "not a number"}, "visual"),
])
def test_rtl_mode_resolution(setting, env, mode):
    from newsreader.tui import rtl

    assert rtl.resolve(setting, env) == mode


def test_visual_line_reorders_and_shapes_and_keeps_styles():
    from rich.text import Text

    from newsreader.tui import rtl

    line = Text("لقاء في عشق آباد.")
    line.stylize("reverse", 0, 4)  # the first word, highlighted
    shown = rtl.visual_line(line, True)
    assert shown.plain.startswith(".") and len(shown.plain) == len(line.plain)
    assert all(0xFE70 <= ord(ch) <= 0xFEFF or not rtl.has_rtl(ch) for ch in shown.plain)
    (span,) = shown.spans
    assert span.end == len(shown.plain) and span.end - span.start == 4  # the word, now at the right end


def test_event_label_ranks_names_by_how_often_the_reports_name_them():
    from newsreader.index.events.features import Features
    from newsreader.index.events.view import label_of

    def report(**names):
        return Features("en", names=dict(names), shown_names={k: k.title() for k in names})

    members = [report(putin=6, brics=1, kazan=2), report(putin=5, brics=1, kazan=3), report(putin=4, brics=1)]
    assert label_of(members).split(" · ") == ["Putin", "Brics", "Kazan"]  # counts alone tie Brics with Putin
    # a rarer name still outranks a common one named as often
    assert label_of(members, rarity={"putin": 1.0, "brics": 9.0, "kazan": 1.0}.get).startswith("Brics")


def test_content_identity_collapses_exactly_the_whitespace_a_regex_would():
    """Identities are stored: the one-space form must stay what `\\s+` -> " " and strip gave."""
    import re
    import sys

    from newsreader.index.article import content_hash
    from newsreader.index.identity import content_identity

    spaces = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    title = f"{spaces}Putin  met\tPezeşkiyan{spaces}"
    paragraphs = ["in\u00a0Aşkabat\u2028on\u3000Friday.", " \x1c\x1d\x1e\x1f ", "Final\r\nline\x85 "]
    text = " ".join([title, *paragraphs])
    assert content_identity(title, paragraphs) == "text:" + content_hash(re.sub(r"\s+", " ", text).strip().casefold())
    assert content_identity("A  b", ["c"]) == content_identity("A b", [" c "])
