"""Fixtures shared by every test folder. Tests never touch the user's real library, config or cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    """Point every location newsreader and argostranslate use at a fresh temp dir."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    for name in ("NEWSREADER_LIBRARY", "NEWSREADER_CONFIG", "NEWSREADER_CACHE", "ARGOS_PACKAGES_DIR",
                 "NEWSREADER_STATE", "NEWSREADER_PACKAGE_INDEX"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def server():
    """An HTTP server on 127.0.0.1 for one test (tests/local_http.py): routes set by the test."""
    from local_http import Server

    with Server() as running:
        yield running


@pytest.fixture(scope="session")
def seeded_library_template(tmp_path_factory):
    """A library holding the five bundled seeds, built once per session."""
    from newsreader.index import Library, bundled_seeds

    folder = tmp_path_factory.mktemp("seeded") / "library"
    with Library(folder) as library:
        report = library.add([bundled_seeds()])
        assert len(report.added) == 5, report
    return folder


@pytest.fixture
def seeded_library(seeded_library_template, tmp_path):
    from newsreader.index import Library

    folder = tmp_path / "library"
    shutil.copytree(seeded_library_template, folder)
    with Library(folder) as library:
        yield library
