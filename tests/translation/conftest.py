"""Fixtures for the translation tests: the tiny real Argos packages in tests/fixtures/models."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from newsreader.index.translation import Translator, install_package
from newsreader.index.translation.engine import CTranslate2Backend

MODELS = Path(__file__).resolve().parent.parent / "fixtures" / "models"
PAIRS = ("tr_en", "sq_en", "ar_en", "en_de")


def model_file(pair: str) -> Path:
    return MODELS / f"translate-{pair}-1_0.argosmodel"


def pairs(pair: str) -> list[tuple[str, str]]:
    data = json.loads((MODELS / f"translate-{pair}-1_0.pairs.json").read_text(encoding="utf-8"))
    return [(item["source"], item["target"]) for item in data]


def pivot_pairs() -> list[tuple[str, str, str]]:
    """(Turkish, English, German) triples: tr->en targets that en->de translates exactly."""
    german = dict(pairs("en_de"))
    return [(tr, en, german[en]) for tr, en in pairs("tr_en") if en in german]


def leftovers(packages_dir: Path) -> list[str]:
    """Anything an install may have left: temp folders beside or inside the packages folder."""
    names = [p.name for p in packages_dir.parent.iterdir() if p.name.startswith(".newsreader-")]
    if packages_dir.exists():
        names += [p.name for p in packages_dir.iterdir()]
    return sorted(names)


def rezip(source: Path, dest: Path, rename=None, drop=(), add=()) -> Path:
    """Copy an .argosmodel, renaming (name -> new name or None to drop) members and adding some."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            name = rename(info.filename) if rename else info.filename
            if name is None or any(info.filename.endswith(d) for d in drop):
                continue
            data = src.read(info)
            new = zipfile.ZipInfo(name, date_time=info.date_time)
            new.external_attr = info.external_attr
            out.writestr(new, data)
        for item in add:
            out.writestr(*item)
    return dest


class SpyBackend(CTranslate2Backend):
    """The real backend, counting the sentences it is asked to translate."""

    def __init__(self):
        super().__init__()
        self.sentences: list[str] = []

    def translate_sentences(self, package, sentences):
        self.sentences.extend(sentences)
        return super().translate_sentences(package, sentences)


@pytest.fixture(scope="session")
def installed_dir(tmp_path_factory) -> Path:
    """All four fixture packages installed once (read-only for tests)."""
    folder = tmp_path_factory.mktemp("argos") / "packages"
    for pair in PAIRS:
        install_package(model_file(pair), folder)
    return folder


@pytest.fixture
def packages_dir(tmp_path, installed_dir) -> Path:
    """A private copy of the installed packages that a test may change."""
    folder = tmp_path / "argos" / "packages"
    shutil.copytree(installed_dir, folder)
    return folder


@pytest.fixture
def spy() -> SpyBackend:
    return SpyBackend()


@pytest.fixture
def translator(installed_dir, tmp_path, spy):
    t = Translator(installed_dir, tmp_path / "cache", backend=spy)
    yield t
    t.close()
