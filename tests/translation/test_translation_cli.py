"""`newsreader models ...`, `newsreader translate`, `newsreader cache ...` through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from .conftest import MODELS, PAIRS, model_file, pairs, pivot_pairs
from helpers.cli import run

ARGOS_HINT = "pip install 'newsreader[argos]'"


@pytest.fixture
def env(tmp_path, monkeypatch):
    """Empty packages dir and cache dir, through the environment variables the CLI honours."""
    paths = types.SimpleNamespace(packages=tmp_path / "argos" / "packages", cache=tmp_path / "cache",
                                  library=tmp_path / "library", tmp=tmp_path)
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(paths.packages))
    monkeypatch.setenv("NEWSREADER_CACHE", str(paths.cache))
    return paths


def install_all(capsys):
    code, out, err = run(capsys, "models", "install", *[model_file(p) for p in PAIRS])
    assert code == 0, err
    return out


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_must_show_install_then_translate_a_file(env, capsys):
    out = install_all(capsys)
    assert out.count("Installed translate-") == 4
    code, out, _ = run(capsys, "models", "list", "--json")
    listed = json.loads(out)
    assert listed["packages_dir"] == str(env.packages)
    assert sorted(p["name"] for p in listed["packages"]) == sorted(f"translate-{p}" for p in PAIRS)
    for pair in ("tr_en", "sq_en", "ar_en"):
        for source, target in pairs(pair):
            file = write(env.tmp, f"{pair}.txt", source + "\n")
            code, out, err = run(capsys, "translate", file, "--to", "en", "--from", pair[:2])
            assert (code, out) == (0, target + "\n"), err


def test_must_show_with_detected_language_and_pivot(env, capsys):
    install_all(capsys)
    tr, en = pairs("tr_en")[0]
    file = write(env.tmp, "tr.txt", tr + "\n")
    code, out, err = run(capsys, "translate", file, "--to", "en")
    assert (code, out) == (0, en + "\n")
    assert "tr→en (translate-tr_en 1.0)" in err
    for tr, _, de in pivot_pairs():
        file = write(env.tmp, "tr.txt", tr + "\n")
        code, out, err = run(capsys, "translate", file, "--to", "de", "--from", "tr")
        assert (code, out) == (0, de + "\n")
        assert "tr→en→de via en (translate-tr_en 1.0, translate-en_de 1.0)" in err


def test_translate_json_carries_route_and_paragraphs(env, capsys):
    install_all(capsys)
    (tr1, en1), (tr2, en2) = pairs("tr_en")[:2]
    file = write(env.tmp, "two.txt", f"{tr1}\n\n{tr2}\n")
    code, out, _ = run(capsys, "translate", file, "--to", "en", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["route"]["description"] == "tr→en (translate-tr_en 1.0)"
    assert data["route"]["steps"] == [{"name": "translate-tr_en", "version": "1.0", "from": "tr", "to": "en"}]
    assert (data["from"], data["to"], data["engine"]) == ("tr", "en", "ctranslate2")
    assert [(p["source"], p["translation"], p["cached"]) for p in data["paragraphs"]] == [
        (tr1, en1, False), (tr2, en2, False)]
    # a second run reads the persistent cache: no model call needed
    data = json.loads(run(capsys, "translate", file, "--to", "en", "--json")[1])
    assert [(p["translation"], p["cached"]) for p in data["paragraphs"]] == [(en1, True), (en2, True)]
    code, out, _ = run(capsys, "cache", "clear")
    assert code == 0 and "2 paragraphs" in out
    data = json.loads(run(capsys, "translate", file, "--to", "en", "--json")[1])
    assert [p["cached"] for p in data["paragraphs"]] == [False, False]


def test_translate_a_library_article_by_id(env, capsys):
    install_all(capsys)
    sq_pairs = pairs("sq_en")
    file = write(env.tmp, "lajm.txt", "\n\n".join(s for s, _ in sq_pairs[:3]) + "\n")
    assert run(capsys, "--library", env.library, "add", file)[0] == 0
    [article] = json.loads(run(capsys, "--library", env.library, "list", "--json")[1])
    assert article["lang"] == "sq"
    code, out, err = run(capsys, "--library", env.library, "translate", article["id"], "--to", "en", "--json")
    data = json.loads(out)
    assert data["source"] == article["id"]
    assert [p["translation"] for p in data["paragraphs"]] == [t for _, t in sq_pairs[:3]]
    code, out, err = run(capsys, "--library", env.library, "translate", article["id"])  # target_lang: en
    assert code == 0 and out == "\n\n".join(t for _, t in sq_pairs[:3]) + "\n"


def test_with_no_models_translate_exits_2_naming_models_install(env, capsys):
    file = write(env.tmp, "tr.txt", pairs("tr_en")[0][0] + "\n")
    code, out, err = run(capsys, "translate", file, "--to", "en")
    assert code == 2 and out == ""
    assert err.startswith("newsreader: error: no translation models installed")
    assert "`newsreader models install FILE.argosmodel`" in " ".join(err.split())
    assert "Traceback" not in err


def test_no_route_names_what_to_install(env, capsys):
    run(capsys, "models", "install", model_file("tr_en"))
    file = write(env.tmp, "tr.txt", pairs("tr_en")[0][0] + "\n")
    code, _, err = run(capsys, "translate", file, "--to", "de")
    err = " ".join(err.split())
    assert code == 2
    assert "no tr→de model installed; install translate-tr_de, or translate-en_de" in err
    assert "newsreader models install" in err


def test_bad_inputs_give_one_line_errors(env, capsys):
    install_all(capsys)
    empty = write(env.tmp, "empty.txt", "  \n")
    code, _, err = run(capsys, "translate", empty)
    assert code == 2 and "empty: nothing to translate" in err
    numbers = write(env.tmp, "numbers.txt", "2024 10 11 12:30\n")
    code, _, err = run(capsys, "translate", numbers)
    assert code == 2 and "undetermined" in err and "--from" in err
    code, _, err = run(capsys, "translate", numbers, "--from", "xx!")
    assert code == 2 and "'xx!' is not a language code" in err
    code, _, err = run(capsys, "--library", env.library, "translate", "no-such-id")
    assert code == 2 and "no article with id" in err
    arabic = write(env.tmp, "ar.txt", pairs("ar_en")[0][0] + "\n")
    code, out, err = run(capsys, "translate", arabic, "--from", "tr")  # wrong language given
    assert code == 2 and "script" in err and "really tr" in err
    for text in (err,):
        assert "Traceback" not in text


def test_models_install_refuses_bad_files_without_leftovers(env, capsys):
    bad = write(env.tmp, "bad.argosmodel", "not a zip")
    code, _, err = run(capsys, "models", "install", bad)
    assert code == 2 and "not a zip archive" in err
    code, out, err = run(capsys, "models", "install", model_file("tr_en"), bad)
    assert code == 1 and "Installed translate-tr_en 1.0" in out and "not a zip archive" in err
    assert sorted(p.name for p in env.packages.iterdir()) == ["translate-tr_en-1_0"]
    assert not [p for p in env.packages.parent.iterdir() if p.name.startswith(".newsreader-")]


def test_models_list_and_remove(env, capsys):
    code, _, err = run(capsys, "models", "list")
    assert code == 0 and "No translation models installed" in err and "newsreader models install" in err
    install_all(capsys)
    code, out, _ = run(capsys, "models", "list")
    assert code == 0 and all(f"translate-{p}" in out for p in PAIRS)
    code, out, _ = run(capsys, "models", "remove", "tr-en")
    assert code == 0 and "Removed translate-tr_en 1.0" in out
    code, _, err = run(capsys, "models", "remove", "tr-en")
    assert code == 2 and "no installed translation package 'tr-en'" in err
    code, _, err = run(capsys, "models")
    assert code == 2 and "models list" in err


def test_cache_info_and_clear(env, capsys):
    code, out, _ = run(capsys, "cache", "info", "--json")
    assert code == 0 and json.loads(out)["entries"] == 0
    code, out, _ = run(capsys, "cache", "clear", "--json")
    assert code == 0 and json.loads(out)["cleared"] == 0
    assert Path(json.loads(out)["path"]).parent == env.cache


def test_installed_command_must_show_flow(tmp_path):
    """The real `newsreader` executable: install into an empty dir, translate, pivot, no models."""
    exe = Path(sys.executable).with_name("newsreader")
    if not exe.exists():
        pytest.skip("the newsreader command is not installed next to this Python")
    env = dict(os.environ, ARGOS_PACKAGES_DIR=str(tmp_path / "packages"), NEWSREADER_CACHE=str(tmp_path / "cache"),
               HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("NEWSREADER_CONFIG", None)

    def newsreader(*args):
        return subprocess.run([str(exe), *map(str, args)], capture_output=True, text=True, env=env, timeout=120)

    tr, en = pairs("tr_en")[0]
    file = tmp_path / "tr.txt"
    file.write_text(tr + "\n", encoding="utf-8")
    none = newsreader("translate", file, "--to", "en")
    assert none.returncode == 2 and "newsreader models install" in none.stderr and "Traceback" not in none.stderr
    installed = newsreader("models", "install", *sorted(MODELS.glob("*.argosmodel")))
    assert installed.returncode == 0, installed.stderr
    done = newsreader("translate", file, "--to", "en")
    assert (done.returncode, done.stdout) == (0, en + "\n"), done.stderr
    _, _, de = pivot_pairs()[0]
    pivot = newsreader("translate", file, "--to", "de")
    assert (pivot.returncode, pivot.stdout) == (0, de + "\n"), pivot.stderr
    assert "via en" in pivot.stderr


def damaged_cache(folder: Path) -> Path:
    """A cache file of many pages whose pages after the first are garbage ("database disk image
    is malformed" shows only when one of them is read)."""
    from newsreader.index.translation.cache import FILENAME, TranslationCache

    cache = TranslationCache(folder)
    for i in range(300):
        cache.put("ns", f"paragraph {i}", "x" * 900)
    cache.close()
    path = folder / FILENAME
    data = bytearray(path.read_bytes())
    for start in range(4096, len(data), 4096):
        data[start:start + 4096] = b"\x5a" * min(4096, len(data) - start)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("command", [["cache", "info"], ["cache", "info", "--json"], ["cache", "clear"]])
def test_a_damaged_cache_is_reset_and_the_command_works(env, capsys, command):
    path = damaged_cache(env.cache)
    code, out, err = run(capsys, *command)
    assert code == 0 and "Traceback" not in err, err
    assert f"the translation cache {path} was damaged" in err and "has been reset" in err
    code, out, err = run(capsys, "cache", "info", "--json")  # and it is sound now
    assert code == 0 and json.loads(out)["entries"] == 0 and err == ""


def test_translate_with_a_damaged_cache_translates_and_says_the_cache_was_reset(env, capsys):
    install_all(capsys)
    path = damaged_cache(env.cache)
    source, target = pairs("tr_en")[0]
    file = write(env.tmp, "tr.txt", source + "\n")
    code, out, err = run(capsys, "translate", file, "--to", "en", "--from", "tr")
    assert (code, out) == (0, target + "\n"), err
    assert f"the translation cache {path} was damaged" in err
    code, out, err = run(capsys, "translate", file, "--to", "en", "--from", "tr", "--json")
    assert code == 0 and json.loads(out)["paragraphs"][0]["cached"] is True  # the new cache works


def test_installing_an_installed_package_says_so(env, capsys):
    """Issue 12, item 24."""
    code, out, _ = run(capsys, "models", "install", model_file("tr_en"))
    assert code == 0 and out.startswith("Installed ")
    code, out, _ = run(capsys, "models", "install", model_file("tr_en"))
    assert code == 0 and out.startswith("Already installed: ") and out.count("\n") == 1


def test_translate_a_jsonl_file_names_each_line_it_skipped(env, capsys):
    install_all(capsys)
    tr, en = pairs("tr_en")[0]
    file = write(env.tmp, "wire.jsonl", json.dumps({"title": "", "text": tr}) + "\nnot json\n"
                 + json.dumps({"title": "no text"}) + "\n")
    code, out, err = run(capsys, "translate", file, "--to", "en", "--from", "tr")
    assert out == en + "\n"
    assert f"{file}:2: not valid JSON" in err and f"{file}:3: \"text\" is missing" in err
    assert code == 1  # the article is translated; the lines it skipped make it partial, like `add`


def test_set_lang_changes_what_translation_translates_from(env, capsys):
    """An article whose language is undetermined cannot be translated; once the reader sets its
    language (issue 12, item 14) the translation uses it, and the message said how."""
    install_all(capsys)
    sq_pairs = pairs("sq_en")[:2]
    file = write(env.tmp, "wire.jsonl", json.dumps({"id": "w1", "title": "", "lang": "und",
                                                    "text": "\n\n".join(s for s, _ in sq_pairs)}) + "\n")
    assert run(capsys, "--library", env.library, "add", file)[0] == 0
    code, out, err = run(capsys, "--library", env.library, "translate", "w1", "--to", "en")
    assert code == 2 and "undetermined" in err and "newsreader set-lang w1 LANG" in " ".join(err.split())
    assert run(capsys, "--library", env.library, "set-lang", "w1", "sq")[0] == 0
    code, out, err = run(capsys, "--library", env.library, "translate", "w1", "--to", "en", "--json")
    data = json.loads(out)
    assert code == 0 and data["route"]["from"] == "sq"
    assert [p["translation"] for p in data["paragraphs"]] == [t for _, t in sq_pairs]


def _sq_article(env, capsys, count=3):
    """Three Albanian paragraphs added to the library; their id, sources and translations."""
    sq_pairs = pairs("sq_en")[:count]
    file = write(env.tmp, "lajm.txt", "\n\n".join(s for s, _ in sq_pairs) + "\n")
    assert run(capsys, "--library", env.library, "add", file)[0] == 0
    [article] = json.loads(run(capsys, "--library", env.library, "list", "--json")[1])
    return article["id"], sq_pairs


def test_cached_translations_show_after_the_model_is_removed(env, capsys):
    install_all(capsys)
    article, sq_pairs = _sq_article(env, capsys)
    translation = "\n\n".join(t for _, t in sq_pairs) + "\n"
    code, out, _ = run(capsys, "--library", env.library, "translate", article, "--to", "en")
    assert code == 0 and out == translation
    assert run(capsys, "models", "remove", "sq-en")[0] == 0
    code, out, err = run(capsys, "--library", env.library, "translate", article, "--to", "en")
    assert code == 0, err
    assert out == translation  # the second showing needs no model
    assert "from the translation cache (no sq→en model installed)" in " ".join(err.split())
    data = json.loads(run(capsys, "--library", env.library, "translate", article, "--to", "en", "--json")[1])
    assert data["from_cache"] is True and data["route"] is None and "no sq→en model installed" in data["no_model"]
    assert [(p["translation"], p["cached"]) for p in data["paragraphs"]] == [(t, True) for _, t in sq_pairs]


def test_paragraphs_not_in_the_cache_are_named_with_the_model_that_would_translate_them(env, capsys):
    install_all(capsys)
    article, sq_pairs = _sq_article(env, capsys)
    assert run(capsys, "--library", env.library, "translate", article)[0] == 0
    run(capsys, "models", "remove", "sq-en")
    (a, a_en), (b, b_en), (new, _) = sq_pairs[0], sq_pairs[1], pairs("sq_en")[4]
    file = write(env.tmp, "other.txt", f"{a}\n\n{new}\n\n{b}\n")
    code, out, err = run(capsys, "translate", file, "--from", "sq", "--to", "en")
    err = " ".join(err.split())
    assert code == 1
    assert out == f"{a_en}\n\n[paragraph 2 is not in the translation cache]\n\n{b_en}\n"
    assert "1 paragraph (2) of " in err and "not in the translation cache" in err
    assert "no sq→en model installed; install translate-sq_en" in err
    # nothing cached at all: the plain error, as before
    code, out, err = run(capsys, "translate", write(env.tmp, "new.txt", new + "\n"), "--from", "sq", "--to", "en")
    assert code == 2 and out == "" and "no sq→en model installed" in err


def test_cached_translations_show_with_the_argos_engine_missing(env, capsys, monkeypatch):
    install_all(capsys)
    article, sq_pairs = _sq_article(env, capsys)
    assert run(capsys, "--library", env.library, "translate", article)[0] == 0  # ctranslate2 made these
    config = write(env.tmp, "config.toml", '[translation]\nengine = "argos"\n')
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    monkeypatch.setitem(sys.modules, "argostranslate", None)  # as if not installed
    code, out, err = run(capsys, "--library", env.library, "translate", article)
    assert code == 0, err
    assert out == "\n\n".join(t for _, t in sq_pairs) + "\n"
    assert ARGOS_HINT in err and "from the translation cache" in err
    # a paragraph that needs the model: named, with what is missing
    new = pairs("sq_en")[4][0]
    code, out, err = run(capsys, "translate", write(env.tmp, "more.txt", f"{sq_pairs[0][0]}\n\n{new}\n"),
                         "--from", "sq")
    assert code == 1 and "[paragraph 2 is not in the translation cache]" in out and ARGOS_HINT in err
