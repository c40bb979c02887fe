"""The whole hostile corpus (tools/hostile_inputs.py) through the real `newsreader` command:
add, list, list --json, search, show and stats. Exit status 0/1 (never a crash), no traceback,
every good file indexed, each bad file (and each broken JSONL line) named in exactly one
problem line, nothing read through a link out of the folder, and no ESC, C1 or bidi override
in anything printed."""


import pytest

import hostile_inputs


@pytest.mark.slow
def test_the_hostile_corpus_through_the_real_command(tmp_path):
    corpus = hostile_inputs.generate(tmp_path / "hostile")
    figures = hostile_inputs.check(corpus, tmp_path / "library")
    assert figures["failures"] == []
    assert figures["tracebacks"] == 0 and figures["leaks"] == 0
    assert figures["inputs"] >= 70 and figures["articles"] >= 30
