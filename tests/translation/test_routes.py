"""Routes: direct, pivot through English, clear messages when there is none."""

from __future__ import annotations

import dataclasses

import pytest

from newsreader.index.translation import NoRoute, TranslationError, Translator, find_route, list_packages


def test_direct_route(installed_dir):
    route = find_route(list_packages(installed_dir), "tr", "en")
    assert (route.from_code, route.to_code) == ("tr", "en")
    assert [s.name for s in route.steps] == ["translate-tr_en"]
    assert route.description == "tr→en (translate-tr_en 1.0)"


def test_pivot_route_through_english(installed_dir):
    route = find_route(list_packages(installed_dir), "tr", "de")
    assert [s.name for s in route.steps] == ["translate-tr_en", "translate-en_de"]
    assert route.description == "tr→en→de via en (translate-tr_en 1.0, translate-en_de 1.0)"
    assert route.to_json()["steps"][1] == {"name": "translate-en_de", "version": "1.0", "from": "en", "to": "de"}


@pytest.mark.parametrize("code", ["TR", "tr_TR", "tr-TR", " tr "])
def test_codes_are_normalized(installed_dir, code):
    assert find_route(list_packages(installed_dir), code, "EN").description == "tr→en (translate-tr_en 1.0)"


def test_no_route_names_the_packages_and_the_command(installed_dir):
    with pytest.raises(NoRoute) as err:
        find_route(list_packages(installed_dir), "tr", "sq")
    message = str(err.value)
    assert message.startswith("no tr→sq model installed")
    assert "translate-tr_sq" in message and "translate-en_sq" in message
    assert "translate-tr_en is installed" in message
    assert "`newsreader models install" in message


def test_no_route_with_nothing_installed(tmp_path):
    with pytest.raises(NoRoute) as err:
        find_route([], "tr", "de")
    assert str(err.value) == ("no translation models installed; install translate-tr_de or translate-tr_en + "
                              "translate-en_de with `newsreader models install FILE.argosmodel`")


def test_no_route_into_english_names_the_direct_package(installed_dir):
    with pytest.raises(NoRoute, match=r"no fr→en model installed; install translate-fr_en with `newsreader"):
        find_route(list_packages(installed_dir), "fr", "en")


@pytest.mark.parametrize("code", ["und", "", None])
def test_undetermined_language_is_said(installed_dir, code):
    from newsreader.index.translation import UndeterminedLanguage

    with pytest.raises(UndeterminedLanguage, match=r"undetermined") as raised:
        find_route(list_packages(installed_dir), code, "en")
    assert "--from" not in str(raised.value)  # the engine names no flag: the app has keys, the CLI flags


@pytest.mark.parametrize("code", ["klingon!", "1234", "t"])
def test_unknown_language_is_said(installed_dir, code):
    with pytest.raises(TranslationError, match="unknown language"):
        find_route(list_packages(installed_dir), "tr", code)


def test_same_language_needs_no_model(installed_dir, tmp_path):
    with Translator(installed_dir, tmp_path) as translator:
        route = translator.route("en", "en")
        assert route.steps == ()
        assert [p.translation for p in translator.translate(["Hello.", ""], route)] == ["Hello.", ""]


def test_newest_version_wins(installed_dir):
    packages = list_packages(installed_dir)
    old = packages[-1]
    newer = dataclasses.replace(old, version="1.10")
    older = dataclasses.replace(old, version="1.9")
    route = find_route([older, newer], "tr", "en")
    assert route.steps[0].version == "1.10"
