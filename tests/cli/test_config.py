"""The config file's schema: sections, 0.1.0's flat keys, one-line errors, precedence, sources."""

from pathlib import Path

import pytest

from newsreader.tui.config import ConfigError, Settings, default_library, load, parse

WHERE = "/home/me/.config/newsreader/config.toml"


def refused(text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        parse(text, WHERE)
    message = str(caught.value)
    assert message.startswith(f"{WHERE}: ") and "\n" not in message, message
    return message


def test_sections_are_parsed():
    settings = parse("""
[library]
dir = "~/news"

[translation]
target = "de"
engine = "argos"
cache_mb = 8
show = false

[ui]
rtl = "logical"

[keys]
search = "ctrl+f"

[events]
[feeds]
""", WHERE)
    assert settings.library.dir == "~/news"
    assert settings.library_dir == Path("~/news").expanduser() and not settings.library_is_default
    assert (settings.translation.target, settings.translation.engine) == ("de", "argos")
    assert (settings.translation.cache_mb, settings.translation.show) == (8, False)
    assert settings.ui.rtl == "logical"
    assert settings.keys == {"search": "ctrl+f"}


def test_defaults_when_nothing_is_set():
    settings = parse("", WHERE)
    assert settings.library.dir is None and settings.library_is_default
    assert settings.library_dir == default_library()
    assert settings.translation.target == "en" and settings.translation.engine == "ctranslate2"
    assert settings.translation.cache_mb == 64 and settings.translation.show is True
    assert settings.ui.rtl == "auto" and settings.keys == {}


def test_flat_keys_from_0_1_0_are_read_into_their_sections():
    settings = parse("""
library = "~/old"
target_lang = "fr"
rtl = "visual"
engine = "argos"
translation_cache_mb = 16
show_translation = false

[keys]
search = "ctrl+f"
""", WHERE)
    assert settings.library.dir == "~/old"
    assert settings.translation.target == "fr" and settings.translation.engine == "argos"
    assert settings.translation.cache_mb == 16 and settings.translation.show is False
    assert settings.ui.rtl == "visual" and settings.keys == {"search": "ctrl+f"}


def test_a_key_given_both_ways_is_refused_naming_both():
    message = refused('target_lang = "fr"\n[translation]\ntarget = "de"\n')
    assert "target_lang and translation.target are both set" in message


def test_unknown_section_lists_the_known_sections():
    message = refused("[colours]\nbackground = 1\n")
    assert "unknown section [colours]; known sections: events, feeds, follow, keys, library, translation, ui" in message


def test_unknown_key_lists_the_known_keys_of_its_section():
    message = refused('[translation]\ntarget = "en"\ncache = 5\n')
    assert "unknown key translation.cache; known keys in [translation]: cache_mb, engine, package_index, show, target" in message
    assert "unknown key events.on; known keys in [events]: translate_leads" in refused("[events]\non = true\n")
    assert "events.translate_leads = 1: expected true or false" in refused("[events]\ntranslate_leads = 1\n")


def test_a_bool_is_not_a_number():
    message = refused("[translation]\ncache_mb = true\n")
    assert message == f"{WHERE}: translation.cache_mb = true: expected a whole number of megabytes from 1 to 1048576"
    assert "translation_cache_mb = 0: expected a whole number" in refused("translation_cache_mb = 0\n")


def test_a_choice_outside_the_allowed_values_names_them():
    message = refused('[ui]\nrtl = "sideways"\n')
    assert message == f"{WHERE}: ui.rtl = 'sideways': expected one of auto, visual, logical"
    assert "translation.engine = 'google': expected one of ctranslate2, argos" in refused(
        '[translation]\nengine = "google"\n')


def test_wrong_types_say_what_is_expected():
    assert "translation.show = 'yes': expected true or false" in refused('[translation]\nshow = "yes"\n')
    assert "library = 5: expected a folder path in quotes" in refused("library = 5\n")
    assert "keys.search = 1: expected keys in quotes" in refused('[keys]\nquit = "q"\nsearch = 1\n')
    assert "ui = 5: expected a section: [ui]" in refused("ui = 5\n")


def test_a_binding_id_with_a_dot_may_be_written_with_or_without_quotes():
    for text in ('[keys]\ncompare.next = "n"\n', '[keys]\n"compare.next" = "n"\n', '[keys.compare]\nnext = "n"\n'):
        assert parse(text, WHERE).keys == {"compare.next": "n"}, text
    assert "unknown key binding id 'compare.nxt'" in refused('[keys]\ncompare.nxt = "n"\n')


def test_target_must_be_a_language_code_and_is_normalised():
    message = refused('[translation]\ntarget = "../../xx"\n')
    assert "translation.target = '../../xx': '../../xx' is not a language code" in message
    assert parse('[translation]\ntarget = "TR"\n', WHERE).translation.target == "tr"
    assert parse('target_lang = "pt_BR"\n', WHERE).translation.target == "pt"


def test_toml_syntax_error_names_its_line():
    message = refused('[translation]\ntarget = "en"\ncache_mb = = 5\n')
    assert message.startswith(f"{WHERE}: not valid TOML: ") and "line 3" in message


def test_file_then_environment_then_command_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[library]\ndir = "/from/file"\n[ui]\nrtl = "visual"\n')
    from_file = load(config, env={})
    assert from_file.library_dir == Path("/from/file")
    from_env = load(config, env={"NEWSREADER_LIBRARY": "/from/env"})
    assert from_env.library_dir == Path("/from/env") and from_env.ui.rtl == "visual"
    from_option = from_env.with_library("/from/option")
    assert from_option.library_dir == Path("/from/option") and not from_option.library_is_default
    assert from_env.library_dir == Path("/from/env")  # with_library returns a new Settings


def test_config_file_comes_from_the_environment(tmp_path):
    config = tmp_path / "elsewhere.toml"
    config.write_text('[translation]\ntarget = "tr"\n')
    assert load(env={"NEWSREADER_CONFIG": str(config)}).translation.target == "tr"
    assert load(env={"NEWSREADER_CONFIG": str(tmp_path / "missing.toml")}).translation.target == "en"


def test_sources_say_where_each_value_came_from(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('target_lang = "de"\n[keys]\nsearch = "ctrl+f"\n')
    settings = load(config, env={"NEWSREADER_LIBRARY": "/from/env"})
    sources = settings.sources()
    assert sources["translation.target"] == str(config)
    assert sources["keys.search"] == str(config)
    assert sources["library.dir"] == "NEWSREADER_LIBRARY"
    assert sources["translation.cache_mb"] == "default" and sources["ui.rtl"] == "default"
    assert settings.with_library("/x").sources()["library.dir"] == "--library"
    assert set(Settings().sources()) == {"library.dir", "translation.target", "translation.engine",
                                         "translation.cache_mb", "translation.show", "translation.package_index", "ui.rtl",
                                         "ui.browser", "ui.bell", "events.translate_leads",
                                         "feeds.timeout_s", "feeds.parallel", "feeds.max_mb",
                                         "feeds.mark_read_on_open", "feeds.fetch_pages", "feeds.refresh_minutes",
                                         "follow.notify"}


def test_feed_settings_and_their_errors():
    settings = parse("[feeds]\ntimeout_s = 2.5\nparallel = 8\nmax_mb = 3\nmark_read_on_open = false\n", WHERE)
    options = settings.fetch_options()
    assert (options.timeout, options.parallel, options.max_bytes) == (2.5, 8, 3 * 1024 * 1024)
    assert settings.feeds.mark_read_on_open is False
    assert refused("[feeds]\nparallel = 0\n") == f"{WHERE}: feeds.parallel = 0: expected a whole number from 1 to 32"
    assert "feeds.timeout_s = -1: expected a number of seconds" in refused("[feeds]\ntimeout_s = -1\n")
    assert "feeds.mark_read_on_open = 'yes': expected true or false" in refused('[feeds]\nmark_read_on_open = "yes"\n')
    assert options.fetch_pages is False and parse("[feeds]\nfetch_pages = true\n", WHERE).fetch_options().fetch_pages
    assert "feeds.fetch_pages = 1: expected true or false" in refused("[feeds]\nfetch_pages = 1\n")
