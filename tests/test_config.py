"""The configuration file: loading, problems, ``taixin-kiosk config``, ``set_value``."""

from __future__ import annotations

import json
import math
import os
import re
import tomllib
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from taixin_kiosk.config.commands import cmd_config, describe
from taixin_kiosk.config.hours import OpeningHours, parse_hours
from taixin_kiosk.config.load import Config, load_config
from taixin_kiosk.config.pin import hash_pin, is_pin_hash
from taixin_kiosk.config.settings import OPTIONS, OPTIONS_BY_NAME
from taixin_kiosk.config.values import CODES, render_value
from taixin_kiosk.config.write import ConfigWriteError, set_value
from taixin_kiosk.content.builtin import app_catalogue
from taixin_kiosk.content.catalogue import LOCALE_RE, flatten, placeholders
from taixin_kiosk.system.paths import app_paths

EN = app_catalogue("en")
DEFAULTS = {o.name: o.default for o in OPTIONS}


def write(folder: Path, text: str | bytes) -> Path:
    path = folder / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def values(config: Config) -> dict[str, object]:
    return {o.name: config.value(o.name) for o in OPTIONS}


def codes(config: Config) -> list[tuple[str, str]]:
    return [(p.path, p.code) for p in config.problems]


def assert_valid(config: Config) -> None:
    """Every value is what its option allows, checked independently of config/values.py."""
    for option in OPTIONS:
        value = config.value(option.name)
        if value is None:
            assert option.optional, option.name
            continue
        expected = {"bool": bool, "int": int, "float": float, "str": str, "choice": str,
                    "path": Path, "hours": OpeningHours}[option.kind]
        if expected is Path:
            assert isinstance(value, Path), option.name
        else:
            assert type(value) is expected, (option.name, value)
        if option.kind in ("int", "float"):
            assert math.isfinite(value)
            assert option.minimum is None or value >= option.minimum, option.name
            assert option.maximum is None or value <= option.maximum, option.name
        if option.kind == "choice":
            assert value in option.choices
        if option.form == "locale":
            assert LOCALE_RE.fullmatch(value)
        if option.form == "clock":
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value), value
        if option.name == "pin":
            assert value == "" or is_pin_hash(value)
    for problem in config.problems:
        assert problem.code in CODES and problem.code != "internal_error", problem
        template = EN.strings[f"config.problem.{problem.code}"]
        assert placeholders(template) == set(problem.params), problem
        line = problem.format(EN.text)
        assert "\n" not in line
        # No catalogue key left unresolved; a value from the file may say anything.
        words = line
        for value in problem.params.values():
            words = words.replace(value, "")
        assert "config.problem." not in words and "config.where." not in words, line
        assert str(config.path) in line


# --- the registry and its documentation -----------------------------------------------


def test_every_default_is_a_valid_value(tmp_path):
    given_values = {name: value for name, value in DEFAULTS.items() if value is not None}
    config = load_config(tmp_path / "none.toml", given_values)
    assert config.problems == ()
    assert values(config) == DEFAULTS
    for option in OPTIONS:
        if option.kind == "int":
            assert all(isinstance(b, int) for b in (option.minimum, option.maximum)
                       if b is not None), option.name
        if option.kind == "float":
            assert all(isinstance(b, float) for b in (option.minimum, option.maximum)
                       if b is not None), option.name
        assert (option.kind == "choice") == bool(option.choices)


def catalogue(locale: str) -> dict[str, object]:
    return flatten(json.loads((ROOT / "i18n" / f"{locale}.json").read_text(encoding="utf-8")))


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_every_option_and_problem_has_its_catalogue_text(locale):
    strings = catalogue(locale)
    for option in OPTIONS:
        text = strings.get(option.description_key)
        assert isinstance(text, str) and text.strip(), option.name
        assert "\n" not in text  # one comment line in `taixin-kiosk config`
    for code in CODES:
        assert f"config.problem.{code}" in strings, code
    for key in ("where.file", "where.key", "where.line", "where.command_line",
                "where.fallback", "value.unset", "source.default", "source.file",
                "source.command_line"):
        assert f"config.{key}" in strings, key


def doc_table() -> list[list[str]]:
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    table = text.split("<!-- options:start -->")[1].split("<!-- options:end -->")[0]
    rows = [line for line in table.strip().splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def test_the_documented_table_is_the_registry():
    rows = doc_table()
    assert [row[0] for row in rows] == [f"`{o.name}`" for o in OPTIONS]
    words = {"bool": "boolean", "int": "integer", "float": "number", "str": "text",
             "choice": "text", "path": "path", "hours": "table"}
    for (name, kind, default, allowed, description), option in zip(rows, OPTIONS, strict=True):
        assert kind == words[option.kind] + (", optional" if option.optional else ""), name
        expected = "*not set*" if option.default is None else f"`{render_value(option.default)}`"
        assert default == expected, name
        if option.minimum is not None and option.maximum is not None:
            low, high = render_value(option.minimum), render_value(option.maximum)
            assert allowed == f"`{low}` to `{high}`", name
        elif option.minimum is not None:
            assert allowed == f"`{render_value(option.minimum)}` or more", name
        if option.choices:
            assert allowed == ", ".join(f"`{render_value(c)}`" for c in option.choices), name
        assert description, name


def test_the_documented_example_loads(tmp_path):
    text = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = text.split("```toml\n")[1].split("```")[0]
    config = load_config(write(tmp_path, example))
    # The example's hash is elided, so it cannot be taken for a PIN.
    assert codes(config) == [("pin", "pin_not_hash")]
    s = config.settings
    assert s.kiosk and s.locale == "zh-CN" and s.screen == 1
    assert str(s.content).endswith("exhibits\\taixin-2025")
    assert (s.idle_seconds, s.attract_seconds, s.staff_corner) == (
        120, 30, "bottom-right")


def test_the_config_file_lives_in_the_app_folders(app_home):
    assert app_paths().config_file == app_home / "config" / "config.toml"


# --- loading --------------------------------------------------------------------------


def test_missing_file_means_defaults_and_no_problem(tmp_path):
    config = load_config(tmp_path / "nowhere" / "config.toml")
    assert values(config) == DEFAULTS
    assert config.problems == ()
    assert {config.source(o.name) for o in OPTIONS} == {"default"}
    assert config.path == tmp_path / "nowhere" / "config.toml"
    assert not config.pin_set


def test_a_good_file_applies_every_value(tmp_path):
    stored = hash_pin("1357")
    path = write(tmp_path, f"""
# staff notes stay staff notes
kiosk = true
windowed = true
locale = "zh_cn"
content = "packs/hall"
screen = 0
motion = false
transition_ms = 300
swipe_mm = 20          # a whole number is fine for a number
idle_seconds = 10
attract_seconds = 86400
attract_advance_seconds = 3
attract_alternate_languages = false
staff_corner = "Bottom-Right"
staff_hold_seconds = 1.5
pin = "{stored}"
keep_awake = false
opening_hours = {{ mon = "09:00-17:00", sun = "" }}
daily_restart = "4:00"
stats_retention_days = 3650
channel_url = "https://kiosk.example.org/repo"
channel = "hall-a"
channel_poll_minutes = 5
metrics = true
metrics_address = "[::1]:9100"
log_level = "debug"
present = true
notes_locale = "en"
talk_minutes = 25
large_text = true
contrast = "High"
low_reach = "on"
""")
    config = load_config(path)
    assert config.problems == ()
    assert values(config) == {
        "kiosk": True, "windowed": True, "locale": "zh-CN", "content": tmp_path / "packs/hall",
        "screen": 0, "motion": False, "transition_ms": 300, "swipe_mm": 20.0,
        "idle_seconds": 10, "attract_seconds": 86400, "attract_advance_seconds": 3,
        "attract_alternate_languages": False, "staff_corner": "bottom-right",
        "staff_hold_seconds": 1.5, "pin": stored, "keep_awake": False,
        "opening_hours": parse_hours({"mon": "09:00-17:00", "sun": ""})[0],
        "daily_restart": "04:00",
        "channel_url": "https://kiosk.example.org/repo", "channel": "hall-a",
        "channel_poll_minutes": 5, "metrics": True, "metrics_address": "[::1]:9100",
        "stats_retention_days": 3650, "log_level": "DEBUG",
        "present": True, "notes_locale": "en", "talk_minutes": 25,
        "large_text": True, "contrast": "high", "low_reach": "on",
    }
    assert type(config.settings.swipe_mm) is float
    assert {config.source(o.name) for o in OPTIONS} == {"file"}
    assert config.pin_set


def test_unset_optionals_and_absolute_and_home_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "home"))
    config = load_config(write(tmp_path, 'locale = ""\nscreen = ""\ncontent = "~/packs"\n'))
    assert config.problems == ()
    assert config.settings.locale is None and config.settings.screen is None
    assert config.settings.content == tmp_path / "home" / "packs"
    absolute = tmp_path / "elsewhere"
    config = load_config(write(tmp_path, f"content = {json.dumps(str(absolute))}\n"))
    assert config.settings.content == absolute


@pytest.mark.parametrize(("line", "code", "words"), [
    ('idle_seconds = "ten"', "type_int", ["whole number", '"ten"']),
    ("idle_seconds = true", "type_int", ["whole number", "true"]),
    ("idle_seconds = 90.0", "type_int", ["whole number", "90.0"]),
    ("swipe_mm = true", "type_float", ["a number", "true"]),
    ('swipe_mm = "12"', "type_float", ["a number", '"12"']),
    ("kiosk = 1", "type_bool", ["true or false", "1"]),
    ('kiosk = "yes"', "type_bool", ["true or false", '"yes"']),
    ("kiosk = [true]", "type_bool", ["true or false", "[true]"]),
    ("kiosk = { on = true }", "type_bool", ["true or false", "{ on = true }"]),
    ("[kiosk]\non = true", "type_bool", ["true or false"]),
    ("kiosk.on = true", "type_bool", ["true or false"]),
    ("screen = 1.0", "type_int_optional", ["whole number", '""', "1.0"]),
    ("locale = 7", "type_str_optional", ["text", "7"]),
    ("content = false", "type_path_optional", ["path", "false"]),
    ("log_level = 10", "type_choice", ['"DEBUG"', '"ERROR"', "10"]),
    ("when = 1979-05-27", "unknown_key", ["no such setting"]),
    ("transition_ms = 301", "out_of_range", ["301", "0", "300"]),
    ("transition_ms = -1", "out_of_range", ["-1", "0", "300"]),
    ("swipe_mm = 2.5", "out_of_range", ["2.5", "3.0", "60.0"]),
    ("swipe_mm = inf", "not_finite", ["inf"]),
    ("swipe_mm = nan", "not_finite", ["nan"]),
    (f"idle_seconds = {10**30}", "out_of_range", ["10", "86400"]),
    ("screen = -2", "too_small", ["-2", "0"]),
    ('staff_corner = "middle"', "not_choice", ['"middle"', '"top-left"', '"bottom-right"']),
    ('locale = "English"', "not_locale", ['"English"', "zh-CN"]),
    ('locale = "en\\n"', "not_locale", ["zh-CN"]),
    ('content = "a\\u0000b"', "path_invalid", ["a\\u0000b"]),
    ('metrics_address = "9464"', "not_address", ['"9464"', "127.0.0.1:9464"]),
    ('metrics_address = "127.0.0.1:99999"', "not_address", ['"127.0.0.1:99999"']),
    ('metrics_address = "http://0.0.0.0:9464"', "not_address", ['"http://0.0.0.0:9464"']),
    ('metrics_address = "[nope]:9464"', "not_address", ['"[nope]:9464"']),
    ("metrics_address = 9464", "type_str_optional", ["text", "9464"]),
])
def test_a_bad_value_is_named_and_only_that_key_falls_back(tmp_path, line, code, words):
    path = write(tmp_path, f"motion = false\n{line}\n")
    # motion comes first so the table of the [kiosk] case cannot swallow it.
    config = load_config(path)
    assert config.settings.motion is False and config.source("motion") == "file"
    [problem] = config.problems
    assert problem.code == code
    key = re.match(r"\[?([a-z_]+)", line).group(1)
    assert problem.path == key
    # A wrong kiosk value is a kiosk (fail closed); any other key, its default.
    in_effect = True if key == "kiosk" else DEFAULTS.get(key)
    if key in OPTIONS_BY_NAME:
        assert config.value(key) == in_effect
        assert config.source(key) == ("file" if key == "kiosk" else "default")
    message = problem.format(EN.text)
    assert message.startswith(f"{path}: {key}: "), message
    for word in words:
        assert word in message, (word, message)
    if code != "unknown_key":
        shown = "not set" if in_effect is None else render_value(in_effect)
        assert message.endswith(f"(in effect: {shown})"), message
    assert_valid(config)


def test_several_problems_keep_every_good_value(tmp_path):
    config = load_config(write(tmp_path, """
kiosk = true
idle_seconds = "ten"
transition_ms = 100
staff_cornr = "top-right"
log_level = "LOUD"
attract_seconds = 30
"""))
    assert codes(config) == [("idle_seconds", "type_int"),
                             ("staff_cornr", "unknown_key_suggest"),
                             ("log_level", "not_choice")]
    s = config.settings
    assert (s.kiosk, s.transition_ms, s.attract_seconds) == (True, 100, 30)
    assert (s.idle_seconds, s.log_level, s.staff_corner) == (90, "INFO", "top-left")
    suggestion = config.problems[1].format(EN.text)
    assert "did you mean staff_corner?" in suggestion


def test_unknown_keys_get_a_suggestion_only_when_close(tmp_path):
    config = load_config(write(tmp_path, 'Kiosk = true\nidle_secs = 5\ncolour = "red"\n'
                                         '"odd key" = 1\n'))
    assert codes(config) == [("Kiosk", "unknown_key_suggest"), ("idle_secs", "unknown_key_suggest"),
                             ("colour", "unknown_key"), ("odd key", "unknown_key")]
    assert [p.params.get("suggestion") for p in config.problems] == [
        "kiosk", "idle_seconds", None, None]
    assert config.problems[3].format(EN.text).startswith(f'{config.path}: "odd key": ')
    assert values(config) == DEFAULTS


def test_a_syntax_error_gives_line_and_column_and_keeps_the_lines_that_parse(tmp_path):
    path = write(tmp_path, "kiosk = true\nidle_seconds = 30\nmotion = fals\n")
    config = load_config(path)
    [problem] = config.problems
    assert (problem.path, problem.code, problem.line, problem.column) == ("", "syntax", 3, 10)
    # Only the broken line falls back; nothing is remembered from a broken file.
    assert values(config) == DEFAULTS | {"kiosk": True, "idle_seconds": 30}
    assert config.accepted is None
    message = problem.format(EN.text)
    assert message.startswith(f"{path}: line 3, column 10: not valid TOML: ")
    zh = problem.format(app_catalogue("zh-CN").text)
    assert "3" in zh and "10" in zh and str(path) in zh


def test_duplicate_keys_are_a_syntax_error(tmp_path):
    config = load_config(write(tmp_path, "kiosk = true\nkiosk = false\n"))
    assert codes(config) == [("", "syntax")]
    assert config.settings.kiosk is True  # the locked one of the two


def test_not_utf8_and_byte_order_mark(tmp_path):
    config = load_config(write(tmp_path, b'kiosk = true\nlocale = "\xc4\xe3"\n'))
    [problem] = config.problems
    assert problem.code == "not_utf8" and problem.params["offset"] == "23"
    assert (problem.line, problem.column) == (2, 11)
    assert problem.format(EN.text).startswith(f"{config.path}: line 2, column 11: ")
    assert "UTF-8" in problem.format(EN.text)
    # The line that is text still applies; the one with the bad byte falls back.
    assert values(config) == DEFAULTS | {"kiosk": True}
    bom = load_config(write(tmp_path, b"\xef\xbb\xbfkiosk = true\r\nscreen = 2\r\n"))
    assert bom.problems == () and bom.settings.kiosk and bom.settings.screen == 2


def test_an_unreadable_file_gives_one_problem(tmp_path):
    folder = tmp_path / "config.toml"
    folder.mkdir()
    config = load_config(folder)
    assert codes(config) == [("", "unreadable")]
    assert config.problems[0].format(EN.text).startswith(f"{folder}: the file cannot be read")
    assert values(config) == DEFAULTS


def test_too_deep_or_too_long_is_a_problem_not_a_crash(tmp_path):
    deep = load_config(write(tmp_path, "kiosk = " + "[" * 20000 + "]" * 20000 + "\n"))
    assert codes(deep) == [("", "too_deep")]
    long = load_config(write(tmp_path, "screen = 1" + "0" * 5000 + "\n"))
    assert codes(long) == [("", "syntax")]
    assert_valid(deep)
    assert_valid(long)


def test_a_plain_pin_is_never_shown(tmp_path):
    for line in ('pin = "482913"', "pin = 482913", 'pin = ["482913"]', "pin = 482913.5"):
        config = load_config(write(tmp_path, line + "\n"))
        [problem] = config.problems
        assert problem.code == "pin_not_hash"
        assert config.settings.pin == "" and not config.pin_set
        everything = "\n".join([problem.format(EN.text), *describe(config, EN.text)])
        assert "482913" not in everything
        assert "(in effect" not in problem.format(EN.text)


def test_command_line_wins_and_is_checked_the_same_way(tmp_path):
    path = write(tmp_path, 'windowed = false\nidle_seconds = 45\nscreen = 1\nlocale = "en"\n')
    config = load_config(path, {"windowed": True, "idle_seconds": 5, "screen": None,
                                "content": Path("rel/pack"), "locale": "zh-cn",
                                "swipe_mm": 20, "kiosk": 1})
    assert config.settings.windowed is True and config.source("windowed") == "command line"
    # Out of range on the command line: the file's value stays in effect.
    assert config.settings.idle_seconds == 45 and config.source("idle_seconds") == "file"
    # None is "not given".
    assert config.settings.screen == 1 and config.source("screen") == "file"
    # Command-line paths are relative to where the command was given.
    assert config.settings.content == Path("rel/pack")
    assert config.settings.locale == "zh-CN" and config.source("locale") == "command line"
    assert config.settings.swipe_mm == 20.0 and type(config.settings.swipe_mm) is float
    assert config.settings.kiosk is False
    assert codes(config) == [("idle_seconds", "out_of_range"), ("kiosk", "type_bool")]
    assert all(p.origin == "command line" for p in config.problems)
    message = config.problems[0].format(EN.text)
    assert message == ("command line: idle_seconds: 5 is out of range: the allowed values are"
                       " 10 to 86400 (in effect: 45)")
    with pytest.raises(ValueError, match="no_such"):
        load_config(path, {"no_such": 1})


def test_value_and_source_refuse_unknown_names(tmp_path):
    config = load_config(tmp_path / "config.toml")
    with pytest.raises(KeyError):
        config.value("path")
    with pytest.raises(KeyError):
        config.source("nothing")


# --- never another exception: fuzzing -------------------------------------------------

keys = st.one_of(st.sampled_from([o.name for o in OPTIONS]),
                 st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12))
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
    st.sampled_from(["", "en", "zh-CN", "top-right", "debug", "~/x", "packs", hash_pin("1234")]),
    st.datetimes(), st.dates(), st.times(),
)
toml_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12)
documents = st.dictionaries(keys, toml_values, max_size=10)


def _dump(document: dict) -> str:
    try:
        return tomlkit.dumps(document)
    except Exception:  # a value tomlkit cannot write is no document to test with
        assume(False)
        raise


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300))
def test_fuzz_random_bytes(tmp_path_factory, data):
    folder = tmp_path_factory.mktemp("bytes")
    assert_valid(load_config(write(folder, data)))


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents)
# Found by hypothesis: a weekday key holding a line break was printed raw.
@example(document={"opening_hours": {"\n": False}})
def test_fuzz_random_documents(tmp_path_factory, document):
    folder = tmp_path_factory.mktemp("doc")
    text = _dump(document)
    config = load_config(write(folder, text))
    assert_valid(config)
    parsed = tomllib.loads(text)
    for key in parsed:
        if key not in OPTIONS_BY_NAME:
            assert key in {p.path for p in config.problems}


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents, cut=st.integers(min_value=0), junk=st.text(max_size=5))
def test_fuzz_damaged_documents(tmp_path_factory, document, cut, junk):
    folder = tmp_path_factory.mktemp("damaged")
    text = _dump(document)
    at = cut % (len(text) + 1)
    assert_valid(load_config(write(folder, text[:at] + junk + text[at:])))


@st.composite
def good_values(draw: st.DrawFn) -> dict[str, object]:
    chosen: dict[str, object] = {}
    for option in OPTIONS:
        if not draw(st.booleans()):
            continue
        if option.kind == "bool":
            value: object = draw(st.booleans())
        elif option.kind == "int":
            value = draw(st.integers(int(option.minimum or 0),
                                     int(option.maximum) if option.maximum else 10**6))
        elif option.kind == "float":
            value = draw(st.floats(option.minimum, option.maximum))
        elif option.kind == "choice":
            value = draw(st.sampled_from(option.choices))
        elif option.form == "locale":
            value = draw(st.sampled_from(["en", "zh-CN", "zh-Hant-TW", "fr"]))
        elif option.name == "pin":
            value = hash_pin("2580")
        elif option.form == "address":
            value = draw(st.sampled_from(["127.0.0.1:9464", "0.0.0.0:1", "[::]:65535",
                                          "kiosk-7.hall.example:9100"]))
        elif option.kind == "hours":
            value = draw(st.sampled_from([{}, {"mon": "09:00-17:30", "sun": ""},
                                          {"sat": ["10:00-12:00", "13:00-16:00"],
                                           "fri": "22:00-02:00"}]))
        elif option.form == "clock":
            value = draw(st.sampled_from(["04:00", "00:00", "23:59"]))
        else:
            value = str(draw(st.sampled_from(["packs", "a/b", "/abs/pack"])))
        chosen[option.name] = value
    return chosen


@settings(deadline=None, max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(chosen=good_values())
def test_fuzz_good_documents_load_exactly(tmp_path_factory, chosen):
    folder = tmp_path_factory.mktemp("good")
    config = load_config(write(folder, tomlkit.dumps(chosen)))
    assert config.problems == ()
    for option in OPTIONS:
        expected = chosen.get(option.name, option.default)
        if option.kind == "path" and expected is not None:
            expected = folder / str(expected)
        if option.kind == "hours" and expected is not None:
            expected = parse_hours(expected)[0]
        assert config.value(option.name) == expected, option.name
        assert config.source(option.name) == ("file" if option.name in chosen else "default")


# --- taixin-kiosk config ----------------------------------------------------------------


def test_describe_is_a_toml_file_of_the_effective_values(tmp_path):
    stored = hash_pin("8642")
    path = write(tmp_path, f'kiosk = true\npin = "{stored}"\ncontent = "packs"\n'
                           'idle_seconds = "x"\n')
    config = load_config(path, {"screen": 2})
    lines = describe(config, EN.text)
    text = "\n".join(lines)
    assert stored not in text and stored.split("$")[-1] not in text
    assert lines[0] == f"# Configuration file: {path}"
    reread = tomllib.loads(text)
    for option in OPTIONS:
        if option.secret:
            assert option.name not in reread
            continue
        value = config.value(option.name)
        expected = "" if value is None else str(value) if option.kind == "path" else value
        assert reread[option.name] == expected, option.name
        assert f"# {EN.text(option.description_key)}" in lines
    assert "kiosk = true  # from the file" in lines
    assert "screen = 2  # from the command line" in lines
    assert "motion = true  # default" in lines
    assert f"content = {render_value(tmp_path / 'packs')}  # from the file" in lines
    assert "# pin: a PIN is set (from the file); its hash is not shown" in lines
    assert lines[-1].startswith("# ") and "idle_seconds" in lines[-1]
    assert "# Problems in the configuration: 1." in text


def test_render_value_writes_toml():
    assert [render_value(v) for v in (None, True, False, 0, -3, 12.0, 1e20, "top-left")] == [
        '""', "true", "false", "0", "-3", "12.0", "1e+20", '"top-left"']
    # Backslashes read as typed in a literal string; anything else is escaped.
    assert render_value("C:\\packs\\hall") == "'C:\\packs\\hall'"
    assert render_value(Path("/srv/packs")) == '"/srv/packs"'
    tricky = ["it's \\ here", 'say "hi"', "tab\there", "new\nline", "\x7f\x00", "\u6c49"]
    for text in tricky:
        assert tomllib.loads(f"v = {render_value(text)}")["v"] == text, text


def test_describe_without_a_file_or_a_pin(tmp_path):
    path = tmp_path / "config.toml"
    lines = describe(load_config(path), app_catalogue("zh-CN").text)
    assert str(path) in lines[0] and lines[0] != f"# {path}"
    assert any("taixin-kiosk set-pin" in line for line in lines)
    assert tomllib.loads("\n".join(lines))["idle_seconds"] == 90


def test_cmd_config_prints_values_and_problems_apart(tmp_path, capsys):
    config = load_config(write(tmp_path, "idle_seconds = 5\nkiosk = true\n"))
    assert cmd_config(EN, config) == 0
    out = capsys.readouterr()
    assert "kiosk = true  # from the file" in out.out
    assert "idle_seconds = 90  # default" in out.out
    assert "out of range" not in out.out
    assert f"{config.path}: idle_seconds: 5 is out of range" in out.err
    assert "Problems in the configuration: 1." in out.err
    assert cmd_config(EN, load_config(tmp_path / "none.toml")) == 0
    assert capsys.readouterr().err == ""


# --- set_value ------------------------------------------------------------------------


KEPT = """\
# Hall 3 -- east wall. Ask Li Wei before changing anything.
kiosk = true   # locked down

# how long before the cover comes back
idle_seconds = 120
log_level = "WARNING"  # quiet
"""


def test_set_value_keeps_comments_order_and_other_keys(tmp_path):
    path = write(tmp_path, KEPT)
    set_value(path, "idle_seconds", 300)
    assert path.read_text(encoding="utf-8") == KEPT.replace("120", "300")
    set_value(path, "swipe_mm", 15)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(KEPT.replace("120", "300"))
    assert "swipe_mm = 15.0" in text
    set_value(path, "log_level", None)
    assert "log_level" not in path.read_text(encoding="utf-8")
    assert "# how long before the cover comes back\nidle_seconds = 300\n" in\
        path.read_text(encoding="utf-8")
    config = load_config(path)
    assert config.problems == ()
    s = config.settings
    assert (s.kiosk, s.idle_seconds, s.swipe_mm, s.log_level) == (
        True, 300, 15.0, "INFO")
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temp file left


def test_set_value_creates_folder_and_file(tmp_path):
    path = tmp_path / "a" / "b" / "config.toml"
    set_value(path, "content", Path("C:\\packs\\hall"))
    set_value(path, "locale", "zh_cn")
    set_value(path, "staff_corner", "TOP-RIGHT")
    config = load_config(path)
    assert config.problems == ()
    assert str(config.settings.content).endswith("hall")
    assert (config.settings.locale, config.settings.staff_corner) == ("zh-CN", "top-right")
    if os.name == "posix":
        assert path.stat().st_mode & 0o077 == 0  # the PIN hash is nobody else's business


def test_set_value_removing_from_nothing_writes_nothing(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    set_value(path, "pin", None)
    assert not path.exists() and not path.parent.exists()


def test_set_value_keeps_crlf_and_permissions(tmp_path):
    path = write(tmp_path, b"# notes\r\nkiosk = true\r\n")
    if os.name == "posix":
        path.chmod(0o640)
    set_value(path, "screen", 1)
    assert path.read_bytes() == b"# notes\r\nkiosk = true\r\nscreen = 1\r\n"
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o640


def test_set_value_puts_a_new_key_before_any_table(tmp_path):
    path = write(tmp_path, "kiosk = true\n\n[notes]\nwho = \"staff\"\n")
    set_value(path, "motion", False)
    config = load_config(path)
    assert config.settings.motion is False and config.settings.kiosk is True
    assert tomllib.loads(path.read_text(encoding="utf-8"))["notes"] == {"who": "staff"}


@pytest.mark.parametrize(("name", "value"), [
    ("no_such", 1), ("idle_seconds", "90"), ("idle_seconds", True), ("idle_seconds", 5),
    ("kiosk", 1), ("swipe_mm", math.nan), ("pin", "1234"), ("locale", "English"),
    ("log_level", "LOUD"), ("content", 3),
])
def test_set_value_refuses_bad_names_and_values(tmp_path, name, value):
    path = write(tmp_path, KEPT)
    with pytest.raises(ValueError):
        set_value(path, name, value)
    assert path.read_text(encoding="utf-8") == KEPT


@pytest.mark.parametrize("content", [b"kiosk = tru\n", b"kiosk = \xff\n"])
def test_set_value_leaves_a_broken_file_alone(tmp_path, content):
    path = write(tmp_path, content)
    with pytest.raises(ConfigWriteError) as caught:
        set_value(path, "kiosk", False)
    assert caught.value.problem.file == str(path)
    assert path.read_bytes() == content
    assert re.match(rf"{re.escape(str(path))}: ", caught.value.problem.format(EN.text))


def test_set_value_turns_a_table_into_a_value_cleanly(tmp_path):
    path = write(tmp_path, "[other]\na = 1\n\n[kiosk]\nb = 2\n")
    set_value(path, "kiosk", True)
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"kiosk": True, "other": {"a": 1}}


def test_set_value_writes_nothing_it_cannot_prove(tmp_path, monkeypatch):
    # Should tomlkit ever lose part of a file, the check before writing
    # notices and the file stays as it was.
    path = write(tmp_path, KEPT)
    monkeypatch.setattr(tomlkit, "parse", lambda text: tomlkit.document())
    with pytest.raises(ConfigWriteError) as caught:
        set_value(path, "idle_seconds", 300)
    assert caught.value.problem.code == "not_updatable"
    assert caught.value.problem.format(EN.text).startswith(f"{path}: idle_seconds: ")
    assert path.read_text(encoding="utf-8") == KEPT
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_a_folder_where_the_file_should_be_is_explained(tmp_path):
    from taixin_kiosk.content.builtin import app_catalogue

    folder = tmp_path / "config.toml"
    folder.mkdir()
    config = load_config(folder)
    assert [p.code for p in config.problems] == ["unreadable"]
    text = app_catalogue("en").text
    first = describe(config, text)[0]
    assert first == text("config.describe.file", file=str(folder))


def test_settings_from_the_config_take_every_option(tmp_path):
    config_file = tmp_path / "config.toml"
    config_file.write_text("kiosk = true\nidle_seconds = 45\nstaff_corner = \"bottom-right\"\n",
                           encoding="utf-8")
    config = load_config(config_file, {"motion": False, "locale": "en", "tour": "full"})
    settings = config.settings
    assert settings.kiosk and settings.idle_seconds == 45 and not settings.motion
    assert settings.staff_corner == "bottom-right" and settings.locale == "en"
    assert settings.tour == "full"


# -- fail closed: the last good configuration (issue 15) ---------------------------


def test_a_file_that_parses_is_kept_as_the_last_good_one(tmp_path):
    from taixin_kiosk.config.last_good import last_good_path
    from taixin_kiosk.config.load import remember_last_good

    stored = hash_pin("2468")
    path = write(tmp_path, f'kiosk = true\npin = "{stored}"\nidle_seconds = "ten"\n'
                           "transition_ms = 100\n")
    assert remember_last_good(load_config(path))
    kept = last_good_path(path)
    assert kept.name == "config.last-good.toml"
    assert tomllib.loads(kept.read_text("utf-8")) == {"kiosk": True, "pin": stored,
                                                      "transition_ms": 100}
    if os.name == "posix":
        assert kept.stat().st_mode & 0o077 == 0  # it holds the PIN hash
    # One typo later: the file does not parse, the last good values apply.
    write(tmp_path, f'kiosk = true\npin = "{stored}"\nidle_seconds = 9O\ntransition_ms = 50\n')
    broken = load_config(path)
    assert codes(broken) == [("", "syntax")]
    s = broken.settings
    assert (s.kiosk, s.pin, s.idle_seconds, s.transition_ms) == (True, stored, 90, 50)
    assert broken.source("transition_ms") == "file" and broken.accepted is None
    # Nothing of a broken file is remembered: the last good one stays as it was.
    assert not remember_last_good(broken)
    assert tomllib.loads(kept.read_text("utf-8"))["transition_ms"] == 100


def test_a_broken_file_keeps_the_last_good_pin_and_kiosk_even_on_its_broken_lines(tmp_path):
    from taixin_kiosk.config.load import remember_last_good

    stored = hash_pin("2468")
    path = write(tmp_path, f'kiosk = true\npin = "{stored}"\n')
    remember_last_good(load_config(path))
    write(tmp_path, "kiosk = tru\npin = oops\nidle_seconds = 30\n")
    config = load_config(path)
    assert codes(config) == [("", "syntax")]
    assert config.settings.kiosk is True and config.settings.pin == stored
    assert config.source("pin") == "last good" and config.settings.idle_seconds == 30
    assert any("pin: a PIN is set (from the last good configuration" in line
               for line in describe(config, EN.text))
    # A file made unreadable keeps them too.
    path.unlink()
    path.mkdir()
    unreadable = load_config(path)
    assert codes(unreadable) == [("", "unreadable")]
    assert unreadable.settings.kiosk is True and unreadable.settings.pin == stored


def test_without_a_last_good_file_a_broken_one_still_starts_locked(tmp_path):
    stored = hash_pin("2468")
    # The file: kiosk on, a PIN, one typo.
    path = write(tmp_path, f'kiosk = true\npin = "{stored}"\nidle_seconds = 9O\n')
    config = load_config(path)
    assert config.settings.kiosk is True and config.settings.pin == stored
    assert config.pin_set
    # The kiosk line itself broken: still a kiosk. The PIN line broken around
    # an intact hash: still that hash.
    config = load_config(write(tmp_path, f'kiosk = yes\npin = "{stored}\n'))
    assert config.settings.kiosk is True and config.settings.pin == stored


@pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev/zero")
def test_a_file_swapped_for_a_pipe_a_device_or_a_huge_file_stays_locked(tmp_path):
    # A config file replaced by a named pipe blocked every start (the
    # supervisor's too) for ever; one linked to /dev/zero filled the memory,
    # and the error left every setting at its default: no kiosk, no PIN.
    import threading

    from taixin_kiosk.config.last_good import last_good_path
    from taixin_kiosk.config.load import remember_last_good

    stored = hash_pin("2468")
    path = write(tmp_path, f'kiosk = true\npin = "{stored}"\nidle_seconds = 45\n')
    assert remember_last_good(load_config(path))
    path.unlink()
    os.mkfifo(path)
    loaded: list[Config] = []
    reader = threading.Thread(target=lambda: loaded.append(load_config(path)), daemon=True)
    reader.start()
    reader.join(60)  # a bound on a hang, not a measure of speed
    assert not reader.is_alive() and codes(loaded[0]) == [("", "not_a_file")]
    path.unlink()
    path.symlink_to("/dev/zero")
    endless = load_config(path)
    assert codes(endless) == [("", "not_a_file")]
    path.unlink()
    path.write_text(f'kiosk = true\npin = "{stored}"\n' + "# padding\n" * 200_000,
                    encoding="utf-8")  # 2 MB of valid TOML
    huge = load_config(path)
    assert codes(huge) == [("", "file_too_large")]
    assert huge.problems[0].format(EN.text) == (
        f"{path}: the file is larger than 1 MB, more than any configuration, and is not "
        "read; every setting keeps its last good value, or its default")
    for config in (loaded[0], endless, huge):
        s = config.settings
        assert (s.kiosk, s.pin, s.idle_seconds) == (True, stored, 45)
        assert config.source("pin") == "last good"
    # The last good file made endless too, and a typo in the file: the file's
    # own lines still keep it locked.
    last_good_path(path).unlink()
    last_good_path(path).symlink_to("/dev/zero")
    write(tmp_path, f'kiosk = true\npin = "{stored}"\nidle_seconds = 9O\n')
    both = load_config(path)
    assert codes(both) == [("", "syntax")]
    assert (both.settings.kiosk, both.settings.pin) == (True, stored)


def test_an_error_in_the_app_keeps_kiosk_and_pin_from_the_last_good_file(tmp_path, monkeypatch):
    import taixin_kiosk.config.load as load
    from taixin_kiosk.config.load import remember_last_good

    stored = hash_pin("2468")
    path = write(tmp_path, f'kiosk = true\npin = "{stored}"\nidle_seconds = 45\n')
    assert remember_last_good(load_config(path))

    def broken(option: object, raw: object, base: object) -> object:
        raise MemoryError

    monkeypatch.setattr(load, "check_value", broken)
    config = load_config(path)
    assert codes(config) == [("", "internal_error")]
    assert (config.settings.kiosk, config.settings.pin) == (True, stored)
    assert config.settings.idle_seconds == 90  # everything else is the default
    assert "except kiosk mode and the PIN" in config.problems[0].format(EN.text)


def test_a_wrong_type_is_an_error_and_never_unlocks(tmp_path):
    config = load_config(write(tmp_path, 'kiosk = "yes"\n'))
    assert codes(config) == [("kiosk", "type_bool")]
    assert config.settings.kiosk is True
    assert config.problems[0].format(EN.text).endswith("(in effect: true)")
    config = load_config(write(tmp_path, 'kiosk = "no"\n'))
    assert config.settings.kiosk is True  # an error, never false


def test_a_refused_pin_keeps_the_last_good_one(tmp_path):
    from taixin_kiosk.config.load import remember_last_good

    stored = hash_pin("2468")
    path = write(tmp_path, f'pin = "{stored}"\n')
    remember_last_good(load_config(path))
    config = load_config(write(tmp_path, 'pin = "2468"\nmotion = false\n'))  # typed by hand
    assert codes(config) == [("pin", "pin_not_hash")]
    assert config.settings.pin == stored and config.source("pin") == "last good"
    assert config.settings.motion is False
    message = config.problems[0].format(EN.text)
    assert "2468" not in message and "last good PIN" in message


def test_config_names_the_file_the_key_and_the_problem(tmp_path, capsys, monkeypatch):
    path = write(tmp_path, 'kiosk = true\nidle_seconds = 9O\nstaff_corner = "middle"\n')
    assert cmd_config(EN, load_config(path)) == 0
    err = capsys.readouterr().err
    assert f"{path}: line 2, column 17: not valid TOML" in err
    config = load_config(write(tmp_path, 'kiosk = true\nstaff_corner = "middle"\n'))
    cmd_config(EN, config)
    assert f'{path}: staff_corner: "middle" is not one of the allowed values' \
        in capsys.readouterr().err
