"""The optional newsreader[argos] path, against the real argostranslate (skipped without it).

Nothing here reaches the network: argostranslate's package index and downloads are served by
a local HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from newsreader.index.translation import Translator
from newsreader.tui.cli import main

from .conftest import PAIRS, model_file, pairs, pivot_pairs

argostranslate = pytest.importorskip("argostranslate")


@pytest.mark.parametrize("pair", PAIRS)
def test_argos_engine_translates_the_fixtures_exactly(installed_dir, tmp_path, pair):
    source, target = pair.split("_")
    expected = pairs(pair)
    with Translator(installed_dir, tmp_path / "cache", engine="argos") as translator:
        assert translator.backend.name == "argos"
        items = list(translator.translate([s for s, _ in expected], translator.route(source, target)))
    assert [i.translation for i in items] == [t for _, t in expected]


def test_argos_engine_pivots_and_agrees_with_the_builtin_engine(installed_dir, tmp_path):
    triples = pivot_pairs()
    paragraph = " ".join(tr for tr, _, _ in triples)
    results = {}
    for engine in ("argos", "ctranslate2"):
        with Translator(installed_dir, tmp_path / engine, engine=engine) as translator:
            route = translator.route("tr", "de")
            results[engine] = [i.translation for i in translator.translate([paragraph], route)]
    assert results["argos"] == results["ctranslate2"] == [" ".join(de for _, _, de in triples)]


@pytest.fixture
def local_index(tmp_path, monkeypatch):
    """argostranslate's package index and package files served from 127.0.0.1."""
    from argostranslate import settings

    served = tmp_path / "served"
    served.mkdir()
    for pair in PAIRS:
        shutil.copy(model_file(pair), served)
    handler = functools.partial(_QuietHandler, directory=str(served))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    index = []
    for pair in PAIRS:
        from_code, to_code = pair.split("_")
        index.append({"package_version": "1.0", "argos_version": "1.9", "from_code": from_code,
                      "to_code": to_code, "from_name": from_code, "to_name": to_code, "type": "translate",
                      "links": [f"{base}/translate-{pair}-1_0.argosmodel"]})
    (served / "index.json").write_text(json.dumps(index))
    monkeypatch.setattr(settings, "remote_package_index", f"{base}/index.json")
    monkeypatch.setenv("NEWSREADER_PACKAGE_INDEX", f"{base}/index.json")  # newsreader's own reader of it
    monkeypatch.setattr(settings, "local_package_index", tmp_path / "index.json")
    monkeypatch.setattr(settings, "downloads_dir", tmp_path / "downloads")
    (tmp_path / "downloads").mkdir()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path
    server.shutdown()
    server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_models_available_and_install_by_name_with_argostranslate(local_index, tmp_path, monkeypatch, capsys):
    packages_dir = tmp_path / "argos" / "packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    monkeypatch.setenv("NEWSREADER_CACHE", str(tmp_path / "cache"))
    assert main(["models", "available", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert sorted(p["name"] for p in listed) == sorted(f"translate-{p}" for p in PAIRS)
    assert main(["models", "install", "translate-tr_en"]) == 0
    assert "Installed translate-tr_en 1.0" in capsys.readouterr().out
    assert [p.name for p in packages_dir.iterdir()] == ["translate-tr_en-1_0"]
    tr, en = pairs("tr_en")[0]
    file = tmp_path / "tr.txt"
    file.write_text(tr + "\n", encoding="utf-8")
    assert main(["translate", str(file), "--to", "en"]) == 0
    assert capsys.readouterr().out == en + "\n"
