"""ranking.py scores with Whoosh's BM25F as Whoosh does (through its public interface;
tests/engine/test_ranking.py compares the two), so the Whoosh newsreader runs with is pinned to
the exact version those tests passed with."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_whoosh_is_pinned_to_the_version_installed():
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = [d for d in dependencies if re.match(r"whoosh-reloaded\b", d, re.IGNORECASE)]
    assert pins == [f"whoosh-reloaded=={version('whoosh-reloaded')}"]
