"""`newsreader config path|show` and the state file of the app's remembered choices."""

from __future__ import annotations

import json

from newsreader.tui import remembered

from helpers.cli import run


def test_config_path_follows_the_environment(capsys, tmp_path, monkeypatch, isolated_home):
    code, out, err = run(capsys, "config", "path")
    assert code == 0 and out.strip() == str(isolated_home / "config" / "newsreader" / "config.toml")
    assert "no file there yet" in err
    monkeypatch.setenv("NEWSREADER_CONFIG", str(tmp_path / "mine.toml"))
    (tmp_path / "mine.toml").write_text("")
    assert json.loads(run(capsys, "config", "path", "--json")[1]) == {"path": str(tmp_path / "mine.toml"),
                                                                      "exists": True}


def test_config_show_says_where_each_value_came_from(capsys, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[translation]\ntarget = "de"\n[feeds]\nparallel = 2\n[keys]\nsearch = "ctrl+f"\n')
    monkeypatch.setenv("NEWSREADER_CONFIG", str(config))
    monkeypatch.setenv("NEWSREADER_LIBRARY", str(tmp_path / "envlib"))
    shown = json.loads(run(capsys, "config", "show", "--json")[1])
    settings = shown["settings"]
    assert settings["translation.target"] == {"value": "de", "source": f"config file ({config})"}
    assert settings["feeds.parallel"] == {"value": 2, "source": f"config file ({config})"}
    assert settings["keys.search"] == {"value": "ctrl+f", "source": f"config file ({config})"}
    assert settings["library.dir"] == {"value": str(tmp_path / "envlib"), "source": "environment (NEWSREADER_LIBRARY)"}
    assert settings["feeds.timeout_s"] == {"value": 20.0, "source": "default"}
    assert shown["locations"]["config file"] == {"path": str(config), "source": "environment (NEWSREADER_CONFIG)"}
    assert shown["remembered"] == {}
    # the command line wins over the environment
    shown = json.loads(run(capsys, "--library", tmp_path / "cli", "config", "show", "--json")[1])
    assert shown["settings"]["library.dir"] == {"value": str(tmp_path / "cli"), "source": "command line (--library)"}
    code, out, _ = run(capsys, "config", "show")
    assert code == 0 and 'translation.target' in out and '"de"' in out and "Nothing remembered" in out


def test_remembered_choices_round_trip_and_show(capsys, tmp_path, monkeypatch):
    path = tmp_path / "state" / "state.json"
    monkeypatch.setenv("NEWSREADER_STATE", str(path))
    assert remembered.load() == (remembered.Remembered(), None)
    remembered.update(theme="textual-light", target="DE", sort="source")
    remembered.update(show_translation=False, language_filter="tr")
    choices, problem = remembered.load()
    assert problem is None
    assert choices.to_json() == {"theme": "textual-light", "target": "de", "show_translation": False,
                                 "language_filter": "tr", "sort": "source"}
    code, out, _ = run(capsys, "config", "show")
    assert 'theme = "textual-light"' in out and 'sort = "source"' in out
    assert json.loads(run(capsys, "config", "show", "--json")[1])["remembered"]["target"] == "de"
    assert not list(path.parent.glob(".state.*"))  # no temp file left behind


def test_a_damaged_state_file_never_stops_anything(capsys, tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    monkeypatch.setenv("NEWSREADER_STATE", str(path))
    path.write_text("{not json")
    choices, problem = remembered.load()
    assert choices == remembered.Remembered() and "cannot read the remembered settings" in problem
    path.write_text(json.dumps({"theme": "nord", "sort": "sideways", "target": "../../x", "rtl": "visual"}))
    choices, problem = remembered.load()
    assert (choices.theme, choices.sort, choices.target, choices.rtl) == ("nord", None, None, "visual")
    assert problem.endswith("ignored bad remembered values: sort, target")
    code, out, err = run(capsys, "config", "show")
    assert code == 0 and "ignored bad remembered values" in err
    remembered.update(sort="date")  # the next save writes a good file
    assert json.loads(path.read_text()) == {"theme": "nord", "sort": "date", "rtl": "visual"}


def test_the_package_index_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("NEWSREADER_PACKAGE_INDEX", "http://127.0.0.1:9/index.json")
    shown = json.loads(run(capsys, "config", "show", "--json")[1])["settings"]
    assert shown["translation.package_index"] == {"value": "http://127.0.0.1:9/index.json",
                                                  "source": "environment (NEWSREADER_PACKAGE_INDEX)"}
