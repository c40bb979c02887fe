"""`models available` and `models install NAME` on the default install (no argostranslate):
the package index and the fixture packages served by a real HTTP server on 127.0.0.1,
including an interrupted download that is resumed, or restarted cleanly."""

from __future__ import annotations

import hashlib
import json

import pytest

from .conftest import PAIRS, model_file, pairs
from helpers.cli import run
from local_http import Route, Server


@pytest.fixture
def served(tmp_path, monkeypatch):
    """An index of the four fixture packages, with size and sha256, served from 127.0.0.1."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    monkeypatch.setenv("NEWSREADER_CACHE", str(tmp_path / "cache"))
    with Server() as server:
        index = []
        for pair in PAIRS:
            data = model_file(pair).read_bytes()
            path = f"/files/translate-{pair}-1_0.argosmodel"
            server.routes[path] = Route(data, support_ranges=True)
            from_code, to_code = pair.split("_")
            index.append({"package_version": "1.0", "argos_version": "1.9", "from_code": from_code,
                          "to_code": to_code, "from_name": from_code.upper(), "to_name": to_code.upper(),
                          "type": "translate", "links": [server.url(path)], "size": len(data),
                          "sha256": hashlib.sha256(data).hexdigest()})
        index.append({"type": "sbd", "from_code": "xx", "links": ["http://127.0.0.1:9/x"]})  # not a translation
        server.routes["/index.json"] = Route(json.dumps(index).encode())
        monkeypatch.setenv("NEWSREADER_PACKAGE_INDEX", server.url("/index.json"))
        yield server


def installed(tmp_path) -> list[str]:
    folder = tmp_path / "packages"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_available_marks_installed_and_pivots(capsys, tmp_path, served):
    code, out, err = run(capsys, "models", "install", model_file("tr_en"))
    assert code == 0, err
    code, out, _ = run(capsys, "models", "available", "--json")
    listed = {p["name"]: p for p in json.loads(out)}
    assert code == 0 and sorted(listed) == sorted(f"translate-{p}" for p in PAIRS)
    assert listed["translate-tr_en"]["installed"] == "1.0" and listed["translate-en_de"]["installed"] is None
    assert listed["translate-en_de"]["pivots"] == ["tr→de"]  # with tr→en installed, it adds tr→de
    assert listed["translate-sq_en"]["pivots"] == []
    code, out, _ = run(capsys, "models", "available")
    assert code == 0 and "translate-en_de" in out and "tr→de" in out


def test_install_by_name_downloads_checks_and_installs(capsys, tmp_path, served):
    code, out, err = run(capsys, "models", "install", "translate-tr_en", "en-de")
    assert code == 0, err
    assert installed(tmp_path) == ["translate-en_de-1_0", "translate-tr_en-1_0"]
    assert not list((tmp_path / "cache" / "downloads").iterdir())  # nothing left behind
    assert served.hits("/files/translate-tr_en-1_0.argosmodel")[0]["user-agent"].startswith("newsreader/")
    tr, en = pairs("tr_en")[0]
    (tmp_path / "tr.txt").write_text(tr + "\n", encoding="utf-8")
    assert run(capsys, "translate", tmp_path / "tr.txt", "--to", "en")[1] == en + "\n"
    code, _, err = run(capsys, "models", "install", "translate-xx_yy")
    assert code == 2 and "no package 'translate-xx_yy' in the package index" in err


def test_an_interrupted_download_resumes(capsys, tmp_path, served):
    path = "/files/translate-sq_en-1_0.argosmodel"
    route = served.routes[path]
    route.cut_after = len(route.body) // 2
    code, _, err = run(capsys, "models", "install", "sq-en")
    assert code == 2 and "was interrupted" in err and "run the same command again" in err
    assert err.count("\n") == 1 and installed(tmp_path) == []
    (part,) = (tmp_path / "cache" / "downloads").glob("*.part")
    assert 0 < part.stat().st_size < len(route.body)
    route.cut_after = None
    code, out, err = run(capsys, "models", "install", "sq-en")
    assert code == 0, err
    assert served.hits(path)[-1]["range"] == f"bytes={part_size(served, path)}-"
    assert installed(tmp_path) == ["translate-sq_en-1_0"]
    assert not list((tmp_path / "cache" / "downloads").iterdir())


def part_size(server, path) -> int:
    return int(server.hits(path)[-1]["range"][6:-1])


def test_a_server_that_cannot_resume_gets_a_clean_retry(capsys, tmp_path, served):
    path = "/files/translate-ar_en-1_0.argosmodel"
    route = served.routes[path]
    route.support_ranges = False
    route.cut_after = 1000
    assert run(capsys, "models", "install", "ar-en")[0] == 2
    route.cut_after = None
    code, _, err = run(capsys, "models", "install", "ar-en")
    assert code == 0, err  # the whole file came again and replaced the partial one
    assert installed(tmp_path) == ["translate-ar_en-1_0"]


def test_a_wrong_checksum_or_size_installs_nothing(capsys, tmp_path, served):
    index = json.loads(served.routes["/index.json"].body)
    index[0]["sha256"] = "0" * 64
    index[1]["size"] = 10
    served.routes["/index.json"] = Route(json.dumps(index).encode())
    name0, name1 = (f"{i['from_code']}-{i['to_code']}" for i in index[:2])
    code, _, err = run(capsys, "models", "install", name0)
    assert code == 2 and "does not match the index's checksum" in err
    code, _, err = run(capsys, "models", "install", name1)
    assert code == 2 and "sent more than the index says" in err
    assert installed(tmp_path) == []


def test_an_unreachable_or_broken_index_is_one_line(capsys, tmp_path, served, monkeypatch):
    monkeypatch.setenv("NEWSREADER_PACKAGE_INDEX", served.url("/missing.json"))
    code, _, err = run(capsys, "models", "available")
    assert code == 2 and "cannot download the package index" in err and "HTTP 404" in err
    served.routes["/bad.json"] = Route(b"<html>")
    monkeypatch.setenv("NEWSREADER_PACKAGE_INDEX", served.url("/bad.json"))
    code, _, err = run(capsys, "models", "available")
    assert code == 2 and "is not JSON" in err and err.count("\n") == 1
