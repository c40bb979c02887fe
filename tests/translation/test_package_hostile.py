"""Hostile translation packages (issue 9, defects 17-19): zip bombs, stale staging folders of a
killed install, a zip whose folder names one pair and metadata another, deep metadata,
duplicate entries, and metadata that would drive the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile

import pytest

from newsreader.index.translation import PackageError, install_package, list_packages
from newsreader.index.translation import packages as packages_module

import hostile_inputs
from .conftest import leftovers, model_file, rezip


def _with_metadata(source, dest, text: str):
    def drop_meta(name):
        return None if name.endswith("/metadata.json") else name

    with zipfile.ZipFile(source) as z:
        meta_name = next(n for n in z.namelist() if n.endswith("/metadata.json"))
    return rezip(source, dest, rename=drop_meta, add=[(meta_name, text)])


def _metadata(pair: str) -> dict:
    with zipfile.ZipFile(model_file(pair)) as z:
        return json.loads(z.read(next(n for n in z.namelist() if n.endswith("/metadata.json"))))


def test_a_zip_bomb_is_refused_before_anything_is_written(tmp_path):
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(model_file("tr_en")) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        top = src.namelist()[0].split("/")[0]
        out.writestr(f"{top}/padding.bin", b"\0" * (64 * 1024 * 1024))  # 64 MB from ~64 KB
    assert bomb.stat().st_size < 2 * 1024 * 1024
    folder = tmp_path / "packages"
    with pytest.raises(PackageError, match=r"unpacks to .* times its size; refusing \(a zip bomb\?\)"):
        install_package(bomb, folder)
    assert leftovers(folder) == []


def test_more_than_the_free_space_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(packages_module, "_free_bytes", lambda folder: 1024)
    folder = tmp_path / "packages"
    with pytest.raises(PackageError, match="needs .* free; only .* free"):
        install_package(model_file("tr_en"), folder)
    assert leftovers(folder) == []


def _staging(folder, pid: int, name: str = "abc", marker: str | None = None, age_s: float = 0):
    """A staging folder as an install makes it (marker recording its own name), made `age_s` old."""
    staging = folder / f".newsreader-staging-{pid}-{name}"
    (staging / "translate-tr_en-1_0" / "model").mkdir(parents=True)
    (staging / "translate-tr_en-1_0" / "model" / "model.bin").write_bytes(b"x" * 1000)
    if marker is not None:
        (staging / packages_module.STAGING_MARKER).write_text(json.dumps({"folder": marker, "pid": pid}))
    if age_s:
        os.utime(staging, (time.time() - age_s, time.time() - age_s))
    return staging


def test_stale_staging_folders_of_a_killed_install_are_cleaned_at_the_next(tmp_path):
    folder = tmp_path / "packages"
    folder.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = _staging(folder, dead.pid, marker=f".newsreader-staging-{dead.pid}-abc")
    old = _staging(folder, os.getpid(), "old", marker=f".newsreader-staging-{os.getpid()}-old", age_s=7200)
    busy = _staging(folder, os.getpid(), "xyz", marker=f".newsreader-staging-{os.getpid()}-xyz")  # running
    install_package(model_file("tr_en"), folder)
    assert not stale.exists() and not old.exists()
    assert busy.exists()


def test_defect13_install_deletes_nothing_it_cannot_prove_is_its_own_staging_folder(tmp_path, monkeypatch):
    """Issue 19, defect 13: with ARGOS_PACKAGES_DIR=~/argos-packages, an install deleted
    ~/.newsreader-backup/ (an hour old, `.newsreader-` prefix) with the catalog inside."""
    home = tmp_path / "home"
    folder, backup = hostile_inputs.backup_beside_packages(home)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    legacy = home / f".newsreader-install-{dead.pid}-abc"  # looks like an old version's leftover: outside
    legacy.mkdir()
    no_marker = _staging(folder, dead.pid, "nomark")  # the name alone proves nothing
    lying = _staging(folder, dead.pid, "lying", marker="something-else")  # a marker naming another folder
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / packages_module.STAGING_MARKER).write_text(json.dumps({"folder": f".newsreader-staging-{dead.pid}-lnk"}))
    (folder / f".newsreader-staging-{dead.pid}-lnk").symlink_to(target)  # a link is never followed
    for path in (backup, legacy, no_marker, lying, target):
        os.utime(path, (time.time() - 7200, time.time() - 7200))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    install_package(model_file("tr_en"), folder)
    assert (backup / "catalog.sqlite").read_bytes() == b"the reader's marks"
    assert legacy.exists() and no_marker.exists() and lying.exists() and (target / packages_module.STAGING_MARKER).exists()
    assert [p.path.name for p in list_packages(folder)] == ["translate-tr_en-1_0"]


def test_defect13_staging_folders_live_inside_the_packages_folder(tmp_path, monkeypatch):
    folder = tmp_path / "packages"
    seen = []
    real = packages_module._extract

    def spy(archive, dest, where):
        seen.append(dest)
        marker = json.loads((dest / packages_module.STAGING_MARKER).read_text())
        assert marker["folder"] == dest.name
        real(archive, dest, where)

    monkeypatch.setattr(packages_module, "_extract", spy)
    install_package(model_file("tr_en"), folder)
    assert [d.parent for d in seen] == [folder] and not seen[0].exists()
    assert [p.name for p in tmp_path.iterdir()] == ["packages"]  # nothing beside it


def test_a_killed_install_leaves_nothing_after_the_next_one(tmp_path):
    """SIGKILL an install while it extracts (its staging folder exists), then install again."""
    folder = tmp_path / "packages"
    script = (
        "import sys, time\n"
        "from newsreader.index.translation import packages as p\n"
        "real = p._extract\n"
        "def slow(*a):\n"
        "    real(*a); print('extracted', flush=True); time.sleep(60)\n"
        "p._extract = slow\n"
        "p.install_package(sys.argv[1], sys.argv[2])\n"
    )
    child = subprocess.Popen([sys.executable, "-c", script, str(model_file("tr_en")), str(folder)],
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "extracted"
    child.kill()
    child.wait()
    assert [n for n in leftovers(folder) if n.startswith(".newsreader-")]  # the kill left one
    install_package(model_file("ar_en"), folder)
    assert leftovers(folder) == ["translate-ar_en-1_0"]


def test_folder_naming_another_pair_than_the_metadata_is_refused(tmp_path):
    folder = tmp_path / "packages"
    installed = install_package(model_file("tr_en"), folder)

    def rename(name):  # the ar->en package dressed as the tr->en folder
        return name.replace("translate-ar_en-1_0", "translate-tr_en-1_0")

    liar = rezip(model_file("ar_en"), tmp_path / "liar.argosmodel", rename=rename)
    with pytest.raises(PackageError, match=r"folder translate-tr_en-1_0 names tr→en but its metadata.json says ar→en"):
        install_package(liar, folder)
    assert [(p.from_code, p.to_code, p.path) for p in list_packages(folder)] == [("tr", "en", installed.path)]


def test_a_folder_of_another_pair_is_never_replaced(tmp_path):
    """A folder name that names no pair: the installed package there decides."""
    folder = tmp_path / "packages"
    installed = install_package(model_file("tr_en"), folder)
    os.rename(installed.path, folder / "mymodel")
    unnamed = rezip(model_file("ar_en"), tmp_path / "u.argosmodel",
                    rename=lambda n: n.replace("translate-ar_en-1_0", "mymodel"))
    with pytest.raises(PackageError, match=r"would replace the installed tr→en package in mymodel with ar→en"):
        install_package(unnamed, folder)
    assert [(p.from_code, p.to_code) for p in list_packages(folder)] == [("tr", "en")]


def test_deeply_nested_metadata_is_one_clear_error(tmp_path):
    folder = tmp_path / "packages"
    deep = _with_metadata(model_file("tr_en"), tmp_path / "deep.argosmodel", '{"a": ' * 100_000 + "1" + "}" * 100_000)
    with pytest.raises(PackageError, match="metadata.json is nested too deeply"):
        install_package(deep, folder)
    assert leftovers(folder) == []


def test_a_duplicate_zip_entry_says_damaged_package(tmp_path):
    folder = tmp_path / "packages"
    dup = tmp_path / "dup.argosmodel"
    with zipfile.ZipFile(model_file("tr_en")) as src:
        meta_name = next(n for n in src.namelist() if n.endswith("/metadata.json"))
        with pytest.warns(UserWarning, match="Duplicate name"):
            rezip(model_file("tr_en"), dup, add=[(meta_name, src.read(meta_name))])
    with pytest.raises(PackageError, match=r"damaged package: .*metadata.json' appears twice"):
        install_package(dup, folder)
    assert leftovers(folder) == []


def test_package_metadata_never_reaches_the_terminal_raw(tmp_path, capsys, monkeypatch):
    from newsreader.tui.cli import main

    meta = _metadata("tr_en")
    meta["package_version"] = "1.0\x1b]2;PWNED\x07\u202e"
    meta["name"] = "Turkish\x9b2J [bold]x[/]"
    evil = _with_metadata(model_file("tr_en"), tmp_path / "evil.argosmodel", json.dumps(meta))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "packages"))
    code = main(["--library", str(tmp_path / "lib"), "models", "install", str(evil)])
    out, err = capsys.readouterr()
    code2 = main(["--library", str(tmp_path / "lib"), "models", "list"])
    out2, err2 = capsys.readouterr()
    main(["--library", str(tmp_path / "lib"), "models", "list", "--json"])
    out3, _ = capsys.readouterr()
    assert code == 0 and code2 == 0, err
    for text in (out, err, out2, err2, out3):
        assert not any(ch in text for ch in "\x1b\x07\x9b\u202e"), text
    # cleaned as it comes in, like every field from outside (issue 19): the sequences are gone whole
    assert json.loads(out3)["packages"][0]["version"] == "1.0" and "Turkish" in out3
