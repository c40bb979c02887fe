"""newsreader writes Whoosh's on-disk format itself (bulk_segment.py) and reads its private
parts (ranking.py, search_view.py, segment_writers.py): the Whoosh it runs with is pinned to the
exact version that was checked, and an index the bulk writer wrote with that version must read,
through Whoosh's own reader, as Whoosh's own writer's index of the same documents does
(tests/fixtures/whoosh-bulk, written by tools/make_whoosh_fixture.py)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURE = REPO / "tests" / "fixtures" / "whoosh-bulk"


@pytest.fixture(scope="module")
def maker():
    spec = importlib.util.spec_from_file_location("make_whoosh_fixture", REPO / "tools" / "make_whoosh_fixture.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads((FIXTURE / "expected.json").read_text(encoding="utf-8"))


def test_whoosh_is_pinned_to_the_version_the_fixture_was_checked_with(expected):
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [d for d in dependencies if re.match(r"whoosh-reloaded\b", d, re.IGNORECASE)]
    assert pins == [f"whoosh-reloaded=={expected['whoosh']}"]
    assert version("whoosh-reloaded") == expected["whoosh"]


def test_whooshs_own_reader_reads_what_the_bulk_writer_wrote(maker, expected, tmp_path):
    copy = tmp_path / "index"
    shutil.copytree(FIXTURE / "index", copy)  # Whoosh never writes to the fixture itself
    found = maker.read(copy)
    assert found["segments"] == 2 and found["doc_count"] == 172  # two adds, three deletions
    for key in expected:
        assert found[key] == expected[key], key


def test_the_bulk_writer_still_writes_what_whoosh_reads_as_its_own(maker, expected, tmp_path):
    from newsreader.index.bulk_segment import BulkSegmentWriter

    maker.write(tmp_path, BulkSegmentWriter)
    assert maker.read(tmp_path) == expected
