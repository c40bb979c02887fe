"""Installing, listing and removing Argos packages: safe, atomic, argostranslate's layout."""

from __future__ import annotations

import json
import stat
import zipfile

import pytest

from newsreader.index import NewsreaderError, NotFound
from newsreader.index.translation import (
    PackageError,
    TranslationError,
    Translator,
    install_package,
    list_packages,
    read_package,
    remove_package,
)

from .conftest import PAIRS, leftovers, model_file, pairs, rezip


def test_install_all_fixture_packages_into_an_empty_dir(tmp_path):
    folder = tmp_path / "packages"
    for pair in PAIRS:
        info = install_package(model_file(pair), folder)
        assert info.path == folder / f"translate-{pair}-1_0"  # the zip's top folder, like argospm
        assert (info.path / "metadata.json").is_file() and (info.path / "model" / "model.bin").is_file()
    listed = list_packages(folder)
    assert [(p.name, p.from_code, p.to_code, p.version) for p in listed] == [
        ("translate-ar_en", "ar", "en", "1.0"), ("translate-en_de", "en", "de", "1.0"),
        ("translate-sq_en", "sq", "en", "1.0"), ("translate-tr_en", "tr", "en", "1.0"),
    ]
    assert leftovers(folder) == sorted(p.path.name for p in listed)  # no temp folders left


def test_reinstall_replaces_in_place(tmp_path):
    folder = tmp_path / "packages"
    first = install_package(model_file("tr_en"), folder)
    (first.path / "stale.txt").write_text("from the old install")
    again = install_package(model_file("tr_en"), folder)
    assert again.path == first.path
    assert not (again.path / "stale.txt").exists()  # swapped, not merged
    assert leftovers(folder) == ["translate-tr_en-1_0"]


def test_newer_version_replaces_the_older_folder(tmp_path):
    folder = tmp_path / "packages"
    install_package(model_file("tr_en"), folder)

    def bump(name):
        return name.replace("translate-tr_en-1_0", "translate-tr_en-1_1")

    newer = rezip(model_file("tr_en"), tmp_path / "translate-tr_en-1_1.argosmodel", rename=bump)
    _set_metadata(newer, tmp_path / "v11.argosmodel", package_version="1.1")
    info = install_package(tmp_path / "v11.argosmodel", folder)
    assert info.version == "1.1"
    assert [p.path.name for p in list_packages(folder)] == ["translate-tr_en-1_1"]


def _set_metadata(source, dest, **changes):
    def drop_meta(name):
        return None if name.endswith("/metadata.json") else name

    with zipfile.ZipFile(source) as z:
        meta_name = next(n for n in z.namelist() if n.endswith("/metadata.json"))
        meta = json.loads(z.read(meta_name))
    meta.update(changes)
    meta = {k: v for k, v in meta.items() if v is not None}
    return rezip(source, dest, rename=drop_meta, add=[(meta_name, json.dumps(meta))])


@pytest.mark.parametrize("make, expected", [
    (lambda d: (d / "x.argosmodel").write_bytes(b"not a zip at all") and d / "x.argosmodel", "not a zip"),
    (lambda d: (d / "empty.argosmodel").write_bytes(b"") or d / "empty.argosmodel", "not a zip"),
])
def test_non_zip_is_refused(tmp_path, make, expected):
    folder = tmp_path / "packages"
    with pytest.raises(PackageError, match=expected):
        install_package(make(tmp_path), folder)
    assert not folder.exists() or leftovers(folder) == []


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(PackageError, match="no such package file"):
        install_package(tmp_path / "nope.argosmodel", tmp_path / "packages")


@pytest.mark.parametrize("offset, width", [(5, 1), (100, 300), (50_000, 1)])
def test_corrupt_zip_is_refused_and_nothing_is_left(tmp_path, offset, width):
    data = bytearray(model_file("tr_en").read_bytes())
    with zipfile.ZipFile(model_file("tr_en")) as z:
        info = z.getinfo("translate-tr_en-1_0/model/model.bin")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + offset, start + offset + width):  # damage the compressed model weights
        data[i] ^= 0x01  # (a deflate error at 5, bad CRCs further on)
    bad = tmp_path / "corrupt.argosmodel"
    bad.write_bytes(bytes(data))
    folder = tmp_path / "packages"
    folder.mkdir()
    with pytest.raises(PackageError, match="corrupt"):
        install_package(bad, folder)
    assert leftovers(folder) == []


def test_truncated_zip_is_refused(tmp_path):
    bad = tmp_path / "cut.argosmodel"
    bad.write_bytes(model_file("tr_en").read_bytes()[:50_000])
    with pytest.raises(PackageError):
        install_package(bad, tmp_path / "packages")
    assert leftovers(tmp_path / "packages") == []


@pytest.mark.parametrize("evil", ["../evil.txt", "translate-tr_en-1_0/../../evil.txt", "/tmp/evil.txt",
                                  "translate-tr_en-1_0/model/../../../evil.txt", "C:/evil.txt",
                                  "translate-tr_en-1_0\\..\\..\\evil.txt"])
def test_path_escaping_members_are_refused(tmp_path, evil):
    bad = rezip(model_file("tr_en"), tmp_path / "evil.argosmodel", add=[(evil, b"owned")])
    folder = tmp_path / "deep" / "packages"
    with pytest.raises(PackageError, match="unsafe path"):
        install_package(bad, folder)
    assert leftovers(folder) == []
    assert not list(tmp_path.rglob("evil.txt"))
    assert not (folder.parent.parent / "evil.txt").exists()


def test_symlink_member_is_refused(tmp_path):
    link = zipfile.ZipInfo("translate-tr_en-1_0/sentencepiece.link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    bad = rezip(model_file("tr_en"), tmp_path / "link.argosmodel", add=[(link, "/etc/passwd")])
    folder = tmp_path / "packages"
    with pytest.raises(PackageError, match="link"):
        install_package(bad, folder)
    assert leftovers(folder) == []


@pytest.mark.parametrize("change, expected", [
    ({"drop": ("/model/model.bin",)}, "no model/model.bin"),
    ({"drop": ("/sentencepiece.model",)}, "no sentencepiece.model or bpe.model"),
    ({"drop": ("/metadata.json",)}, "no metadata.json"),
    ({"add": [("other-folder/readme.txt", b"x")]}, "one top folder"),
    ({"add": [("loose.txt", b"x")]}, "not inside the package folder"),
])
def test_wrong_layout_is_refused(tmp_path, change, expected):
    bad = rezip(model_file("tr_en"), tmp_path / "bad.argosmodel", drop=change.get("drop", ()),
                add=change.get("add", ()))
    folder = tmp_path / "packages"
    with pytest.raises(PackageError, match=expected):
        install_package(bad, folder)
    assert leftovers(folder) == []


@pytest.mark.parametrize("changes, expected", [
    ({"from_code": None}, "no valid from_code"),
    ({"to_code": "English!"}, "no valid to_code"),
    ({"package_version": None}, "no package_version"),
    ({"type": "sbd"}, "not a translation package"),
])
def test_bad_metadata_is_refused(tmp_path, changes, expected):
    bad = _set_metadata(model_file("tr_en"), tmp_path / "bad.argosmodel", **changes)
    folder = tmp_path / "packages"
    with pytest.raises(PackageError, match=expected):
        install_package(bad, folder)
    assert leftovers(folder) == []


def test_metadata_that_is_not_json_is_refused(tmp_path):
    bad = rezip(model_file("tr_en"), tmp_path / "bad.argosmodel", drop=("/metadata.json",),
                add=[("translate-tr_en-1_0/metadata.json", b"{not json")])
    with pytest.raises(PackageError, match="not valid JSON"):
        install_package(bad, tmp_path / "packages")


def test_failed_reinstall_keeps_the_working_package(tmp_path):
    folder = tmp_path / "packages"
    good = install_package(model_file("tr_en"), folder)
    bad = rezip(model_file("tr_en"), tmp_path / "bad.argosmodel", drop=("/model/model.bin",))
    with pytest.raises(PackageError):
        install_package(bad, folder)
    assert read_package(good.path).version == "1.0"
    assert (good.path / "model" / "model.bin").is_file()


def test_errors_are_newsreader_errors():
    assert issubclass(PackageError, TranslationError) and issubclass(TranslationError, NewsreaderError)


def test_remove_by_pair_and_by_name(packages_dir):
    removed = remove_package(packages_dir, "tr-en")
    assert [p.name for p in removed] == ["translate-tr_en"]
    assert not (packages_dir / "translate-tr_en-1_0").exists()
    assert [p.name for p in remove_package(packages_dir, "translate-en_de")] == ["translate-en_de"]
    assert [p.name for p in remove_package(packages_dir, "translate-sq_en-1_0")] == ["translate-sq_en"]
    assert [p.pair for p in list_packages(packages_dir)] == ["ar-en"]
    assert leftovers(packages_dir) == ["translate-ar_en-1_0"]


def test_remove_unknown_names_what_is_installed(packages_dir):
    with pytest.raises(NotFound, match=r"'tr-de'.*ar-en, en-de, sq-en, tr-en"):
        remove_package(packages_dir, "tr-de")


def test_list_skips_broken_folders_and_says_why(packages_dir):
    (packages_dir / "half").mkdir()
    (packages_dir / "half" / "metadata.json").write_text("{}")
    problems: list[str] = []
    assert len(list_packages(packages_dir, problems)) == 4
    assert problems and "half" in problems[0]


def test_bpe_package_installs_and_the_builtin_engine_says_what_to_do(tmp_path):
    bpe = rezip(model_file("tr_en"), tmp_path / "bpe.argosmodel",
                rename=lambda n: n.replace("sentencepiece.model", "bpe.model"))
    folder = tmp_path / "packages"
    info = install_package(bpe, folder)
    assert info.tokenizer == "bpe.model"
    with Translator(folder, None) as translator:
        route = translator.route("tr", "en")
        with pytest.raises(TranslationError, match=r"bpe\.model.*engine = \"argos\".*newsreader\[argos\]"):
            list(translator.translate([pairs("tr_en")[0][0]], route))
