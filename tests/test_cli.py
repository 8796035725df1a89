"""The command line as a user runs it: real processes, real exit codes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def run(*args: str, env: dict[str, str] | None = None, timeout: int = 240):
    full_env = dict(os.environ)
    full_env.pop("DISPLAY", None)
    full_env.pop("QT_QPA_PLATFORM", None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "taixin_kiosk", *args], capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, env=full_env)


def test_version_and_help():
    from taixin_kiosk import __version__

    out = run("--version")
    assert out.returncode == 0 and __version__ in out.stdout
    helped = run("--help")
    assert helped.returncode == 0
    for option in ("--windowed", "--lang", "--content", "--screen", "validate", "export"):
        assert option in helped.stdout


def test_validate_builtin_ok():
    out = run("validate")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("OK")
    assert "zh-CN" in out.stdout and "en" in out.stdout


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(ROOT / "assets", pack, ignore=shutil.ignore_patterns("fonts"))
    shutil.copytree(ROOT / "i18n", pack / "i18n")
    return pack


def test_validate_copy_ok(pack_copy):
    out = run("validate", str(pack_copy))
    assert out.returncode == 0, out.stderr


def test_validate_reports_every_problem(pack_copy):
    deck = json.loads((pack_copy / "deck.json").read_text(encoding="utf-8"))
    deck["slides"][0]["titel"] = deck["slides"][0].pop("title")
    deck["slides"][1]["image"] = "../outside.png"
    (pack_copy / "deck.json").write_text(json.dumps(deck), encoding="utf-8")
    out = run("validate", str(pack_copy))
    assert out.returncode == 1
    assert "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith("deck.json: ")]
    assert any(line.startswith("deck.json: slides[0].titel: ") and "'title'" in line
               for line in lines), out.stderr
    assert any(line.startswith("deck.json: slides[0]: ") for line in lines), out.stderr
    assert any(line.startswith("deck.json: slides[1]") for line in lines), out.stderr


def test_validate_broken_json_names_line(pack_copy):
    (pack_copy / "i18n" / "en.json").write_text('{\n  "meta": {\n}', encoding="utf-8")
    out = run("validate", str(pack_copy))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "i18n/en.json: " in out.stderr and "3" in out.stderr


def test_export_png_and_pdf_headless(tmp_path):
    out_dir = tmp_path / "out"
    result = run("export", "--out", str(out_dir), "--lang", "en", "--size", "640x360", "--pdf")
    assert result.returncode == 0, result.stderr
    pngs = sorted((out_dir / "en").glob("*.png"))
    deck = json.loads((ROOT / "assets" / "deck.json").read_text(encoding="utf-8"))
    assert [p.name for p in pngs] == [f"{i + 1:02d}-{s['id']}.png"
                                      for i, s in enumerate(deck["slides"])]
    assert "[1/" in result.stderr  # progress
    from PIL import Image

    with Image.open(pngs[0]) as image:
        assert image.size == (640, 360)
        histogram = image.convert("L").histogram()
        assert sum(1 for count in histogram if count) > 16  # not a blank picture
    pdf = (out_dir / "en.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page\n") + pdf.count(
        b"/Type /Page ") + pdf.count(b"/Type/Page") >= 1


def test_export_in_high_contrast_and_large_text(tmp_path):
    """The files show what a visitor who chose them sees: a black ground."""
    from PIL import Image

    plain, styled = tmp_path / "plain", tmp_path / "styled"
    for out, extra in ((plain, ()), (styled, ("--high-contrast", "--large-text"))):
        result = run("export", "--out", str(out), "--lang", "en", "--size", "640x360", *extra)
        assert result.returncode == 0, result.stderr
    first = sorted((styled / "en").glob("*.png"))[1]
    with Image.open(first) as image, Image.open(plain / "en" / first.name) as before:
        assert image.convert("RGB").getpixel((2, 2)) == (0, 0, 0)
        assert before.convert("RGB").getpixel((2, 2)) != (0, 0, 0)


def test_export_invalid_pack_exits_1(pack_copy, tmp_path):
    (pack_copy / "deck.json").write_text("{", encoding="utf-8")
    result = run("export", "--out", str(tmp_path / "x"), "--content", str(pack_copy))
    assert result.returncode == 1
    assert "deck.json: " in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "x").exists()


def test_validate_missing_folder_says_so(tmp_path):
    out = run("validate", str(tmp_path / "nowhere"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    lines = [line for line in out.stderr.splitlines() if line.startswith(str(tmp_path))]
    assert len(lines) == 1 and "folder" in lines[0]


def test_content_before_the_subcommand_is_honoured(pack_copy):
    (pack_copy / "deck.json").write_text("[", encoding="utf-8")
    out = run("--content", str(pack_copy), "validate")
    assert out.returncode == 1, "the given pack, not the built-in one, was checked"
    assert "deck.json: " in out.stderr


def test_bad_export_size_is_refused_in_plain_words(tmp_path):
    out = run("export", "--out", str(tmp_path / "x"), "--size", "10x00")
    assert out.returncode == 2 and "10x00" in out.stderr and "Traceback" not in out.stderr
    assert not (tmp_path / "x").exists()


def test_a_mistyped_command_names_the_real_ones():
    out = run("valdate")
    assert out.returncode == 2
    assert "validate" in out.stderr and "export" in out.stderr
    assert "Traceback" not in out.stderr


def test_presentation_without_a_display_explains(tmp_path):
    out = run()
    assert out.returncode == 1
    assert "DISPLAY" in out.stderr and "Traceback" not in out.stderr


def test_output_survives_a_non_utf8_console(tmp_path):
    out_dir = tmp_path / "导出"
    result = run("export", "--out", str(out_dir), "--lang", "en", "--size", "640x360",
                 env={"PYTHONIOENCODING": "cp1252"})
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


def test_a_new_language_file_adds_a_language_and_warns_about_the_font(pack_copy):
    zh = json.loads((pack_copy / "i18n" / "zh-CN.json").read_text(encoding="utf-8"))
    zh["meta"]["language_name"] = "繁體中文"
    # Traditional Chinese is in the bundled fonts (Taixin Sans TC); the
    # Mongolian word is in none of them.
    zh["deck"]["cover"]["title"] = "太忻一體化經濟區建設中的陽曲 ᠶᠠᠩ"
    (pack_copy / "i18n" / "zh-TW.json").write_text(json.dumps(zh, ensure_ascii=False),
                                                   encoding="utf-8")
    out = run("validate", str(pack_copy))
    assert out.returncode == 0, out.stderr
    assert "zh-TW" in out.stdout
    warnings = [line for line in out.stderr.splitlines() if line.startswith("i18n/zh-TW.json")]
    assert len(warnings) == 1 and "3 characters" in warnings[0], warnings
    assert ": ᠠ ᠩ ᠶ." in warnings[0], warnings
    assert "陽" not in warnings[0] and "經" not in warnings[0]
    assert not any(line.startswith("i18n/zh-CN.json") for line in out.stderr.splitlines())


# -- the staff commands ------------------------------------------------------------


def test_help_lists_the_staff_commands():
    out = run("--help")
    for command in ("--kiosk", "--supervise", "config", "set-pin", "stats", "install-pack",
                    "rollback-pack", "list-packs", "install-autostart", "uninstall-autostart"):
        assert command in out.stdout, command


def test_config_shows_values_sources_and_problems(app_home):
    config = app_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("# the hall's settings\nidle_seconds = 45\nmotion = \"yes\"\n",
                      encoding="utf-8")
    out = run("--no-motion", "config")
    assert out.returncode == 0, out.stderr
    assert str(config) in out.stdout
    lines = out.stdout.splitlines()
    assert any(line.startswith("idle_seconds = 45") and "file" in line for line in lines)
    assert any(line.startswith("motion = false") and "command line" in line for line in lines)
    assert any(line.startswith("attract_seconds = 60") and "default" in line for line in lines)
    assert "motion" in out.stderr and "Traceback" not in out.stderr


def test_set_pin_from_a_pipe_then_clear(app_home):
    from taixin_kiosk.config.pin import verify_pin

    config = app_home / "config" / "config.toml"
    piped = subprocess.run([sys.executable, "-m", "taixin_kiosk", "set-pin"],
                           input="2468\n2468\n", capture_output=True, text=True,
                           timeout=120, start_new_session=True)
    assert piped.returncode == 0, piped.stderr
    stored = config.read_text(encoding="utf-8")
    assert "2468" not in stored
    pin = stored.split('"')[1]
    assert verify_pin("2468", pin) and not verify_pin("1357", pin)
    assert run("set-pin", "--clear").returncode == 0
    assert "pin" not in config.read_text(encoding="utf-8")


def test_install_list_and_roll_back_packs(pack_copy, tmp_path):
    first = run("install-pack", str(pack_copy))
    assert first.returncode == 0, first.stderr
    deck = json.loads((pack_copy / "deck.json").read_text(encoding="utf-8"))
    deck["version"] = "2.0.0"
    (pack_copy / "deck.json").write_text(json.dumps(deck, ensure_ascii=False), "utf-8")
    second = run("install-pack", str(pack_copy))
    assert second.returncode == 0 and "2.0.0" in second.stdout, second.stderr
    listed = run("list-packs")
    assert listed.returncode == 0 and "2.0.0" in listed.stdout and "1.0.0" in listed.stdout
    back = run("rollback-pack")
    assert back.returncode == 0, back.stderr
    from taixin_kiosk.content.choice import choose_for

    assert choose_for(None).pack.deck.version == "1.0.0"


def test_a_broken_pack_is_not_installed(pack_copy):
    (pack_copy / "deck.json").write_text("{ not json", encoding="utf-8")
    out = run("install-pack", str(pack_copy))
    assert out.returncode == 1
    assert "deck.json" in out.stderr and "Traceback" not in out.stderr
    assert "2.0.0" not in run("list-packs").stdout


def test_stats_without_any_use_yet():
    out = run("stats")
    assert out.returncode == 0 and out.stdout.strip(), out.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux autostart entry")
def test_autostart_on_linux_goes_into_the_users_folders(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)}
    installed = run("install-autostart", env=env)
    assert installed.returncode == 0, installed.stderr
    entry = tmp_path / "xdg" / "autostart" / "taixin-kiosk.desktop"
    text = entry.read_text(encoding="utf-8")
    assert "--kiosk" in text and "--supervise" in text
    removed = run("uninstall-autostart", env=env)
    assert removed.returncode == 0 and not entry.exists()


def test_home_keeps_everything_in_one_folder(tmp_path):
    home = tmp_path / "portable"
    out = run("--home", str(home), "config")
    assert out.returncode == 0 and str(home / "config" / "config.toml") in out.stdout


def test_home_after_the_command_as_before_it(pack_copy, tmp_path, app_home):
    """README's commands with --home written last, as people type them."""
    home = tmp_path / "portable"
    installed = run("install-pack", str(pack_copy), "--home", str(home))
    assert installed.returncode == 0, installed.stderr
    assert str(home / "data" / "packs") in installed.stdout
    listed = run("list-packs", "--home", str(home))
    assert listed.returncode == 0 and "taixin-yangqu 1.0.0" in listed.stdout
    assert "taixin-yangqu" not in run("list-packs").stdout  # the default home has none
    piped = subprocess.run([sys.executable, "-m", "taixin_kiosk", "set-pin", "--home", str(home)],
                           input="2468\n2468\n", capture_output=True, text=True,
                           timeout=120, start_new_session=True)
    assert piped.returncode == 0, piped.stderr
    assert "pin" in (home / "config" / "config.toml").read_text(encoding="utf-8")
    assert not (app_home / "config" / "config.toml").exists()
    stats = run("stats", "--home", str(home))
    assert stats.returncode == 0 and str(home / "data") in stats.stdout, stats.stderr
    checked = run("validate", str(pack_copy), "--home", str(home))
    assert checked.returncode == 0 and checked.stdout.startswith("OK"), checked.stderr
    config = run("config", "--home", str(home), "--kiosk")
    assert config.returncode == 0 and str(home / "config" / "config.toml") in config.stdout
    assert any(line.startswith("kiosk = true") and "command line" in line
               for line in config.stdout.splitlines())


def test_every_command_takes_home_and_content_where_it_means_something():
    from taixin_kiosk.cli.parser import parser
    from taixin_kiosk.content.builtin import app_catalogue

    p = parser(app_catalogue("en"))
    commands = next(a for a in p._actions if a.dest == "command").choices
    assert commands
    needs = {"export": ["--out", "o"], "install-pack": ["pack.zip"], "new-pack": ["d"],
             "channel": ["status", "r"]}
    for command in commands:
        rest = needs.get(command, [])
        before = vars(p.parse_args(["--home", "h", command, *rest]))
        after = vars(p.parse_args([command, *rest, "--home", "h"]))
        assert before == after and str(after["home"]) == "h", command
    for command in ("validate", "export"):
        rest = needs.get(command, [])
        before = vars(p.parse_args(["--content", "c", command, *rest]))
        after = vars(p.parse_args([command, *rest, "--content", "c"]))
        assert before == after and str(after["content"]) == "c", command
    # config shows the settings as the options given would make them, wherever written.
    assert vars(p.parse_args(["--kiosk", "--minutes", "5", "config"])) == vars(
        p.parse_args(["config", "--kiosk", "--minutes", "5"]))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux autostart entry")
def test_autostart_keeps_a_portable_home(tmp_path):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path)}
    home = tmp_path / "portable"
    assert run("--home", str(home), "install-autostart", env=env).returncode == 0
    entry = (tmp_path / "xdg" / "autostart" / "taixin-kiosk.desktop").read_text("utf-8")
    assert f"--home {home}" in entry


def test_no_arguments_means_the_parsers_defaults():
    from taixin_kiosk.cli.parser import DEFAULTS, parser
    from taixin_kiosk.content.builtin import app_catalogue

    assert vars(parser(app_catalogue()).parse_args([])) == DEFAULTS


def test_handouts_have_a_page_per_slide_with_real_text(tmp_path):
    from pypdf import PdfReader

    out_dir = tmp_path / "out"
    result = run("export", "--out", str(out_dir), "--lang", "en", "--size", "640x360",
                 "--notes", "--side-by-side")
    assert result.returncode == 0, result.stderr
    deck = json.loads((ROOT / "assets" / "deck.json").read_text(encoding="utf-8"))
    en = json.loads((ROOT / "i18n" / "en.json").read_text(encoding="utf-8"))
    zh = json.loads((ROOT / "i18n" / "zh-CN.json").read_text(encoding="utf-8"))

    def lookup(tree, key):  # type: ignore[no-untyped-def]
        for part in key.split("."):
            tree = tree[part]
        return tree

    notes = PdfReader(out_dir / "en-notes.pdf")
    assert len(notes.pages) == len(deck["slides"])
    for page, slide in zip(notes.pages, deck["slides"], strict=True):
        text = " ".join(page.extract_text().split())
        first_words = " ".join(lookup(en, slide["notes"]).split()[:4])
        assert first_words in text, (slide["id"], first_words)
    both = PdfReader(out_dir / "side-by-side.pdf")
    assert len(both.pages) == len(deck["slides"])
    page = "".join(both.pages[0].extract_text().split())
    assert "".join(lookup(zh, deck["slides"][0]["notes"]).split())[:6] in page
    assert "".join(lookup(en, deck["slides"][0]["notes"]).split())[:12] in page


def test_an_unknown_tour_is_refused_with_the_list():
    out = run("--tour", "grand-tour", env={"QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 2
    assert "grand-tour" in out.stderr and "briefing-10" in out.stderr


def test_a_reader_that_goes_away_ends_a_command_quietly(tmp_path, monkeypatch, capsys):
    """``taixin-kiosk config | head -1``: the pipe closes under the command;
    it ends with exit 1 and no traceback, its stdout pointed at nothing."""
    import io

    from taixin_kiosk.cli.main import main

    monkeypatch.setenv("TAIXIN_KIOSK_HOME", str(tmp_path))
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (head) has gone

    class ClosedPipe(io.TextIOWrapper):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    stream = ClosedPipe(io.FileIO(write_end, "w"))
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["config", "--home", str(tmp_path)]) == 1
    # stdout's descriptor now leads nowhere: a flush at exit cannot fail again.
    assert os.readlink(f"/proc/self/fd/{write_end}") == os.devnull


def test_present_in_the_config_file_of_a_kiosk_is_ignored_not_fatal(app_home, tmp_path):
    # "present = true" in a kiosk's config file made the app refuse to start
    # (exit 2); the supervisor took that for a bad command line and stopped
    # too, leaving the desktop on the hall's screen. The kiosk stays a kiosk.
    import time

    from taixin_kiosk.system.supervisor import HEARTBEAT_ENV

    config = app_home / "config" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("kiosk = true\npresent = true\n", encoding="utf-8")
    beat = tmp_path / "heartbeat"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", HEARTBEAT_ENV: str(beat)}
    app = subprocess.Popen([sys.executable, "-m", "taixin_kiosk"], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120  # a bound on a wait, not a measure
        while not beat.exists() and app.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert app.poll() is None, app.stderr.read().decode() if app.stderr else ""
        assert beat.exists()  # the first slide was painted, as a kiosk
        log = (app_home / "logs" / "taixin-kiosk.log")
        deadline = time.monotonic() + 30
        while "present is ignored" not in (log.read_text("utf-8") if log.exists() else "") \
                and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "present is ignored: this is a kiosk" in log.read_text("utf-8")
    finally:
        app.kill()
        app.wait(30)
    # Both typed on the command line: that is still refused, as documented.
    done = subprocess.run([sys.executable, "-m", "taixin_kiosk", "--kiosk", "--present"],
                          env={**env, "TAIXIN_KIOSK_HOME": str(tmp_path / "other")},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2


def test_a_kiosk_starts_on_a_pack_without_its_language_or_tour(app_home, tmp_path):
    # The autostart line names a language and a tour (--lang en --tour
    # investors); the pack installed later has neither. Refusing to start
    # (exit 2) stopped the supervisor and left the desktop on the screen.
    import time

    from taixin_kiosk.system.supervisor import HEARTBEAT_ENV

    beat = tmp_path / "heartbeat"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", HEARTBEAT_ENV: str(beat)}
    args = ["--lang", "fr", "--tour", "no-such-tour"]
    app = subprocess.Popen([sys.executable, "-m", "taixin_kiosk", "--kiosk", *args], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120  # a bound on a wait, not a measure
        while not beat.exists() and app.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert app.poll() is None, app.stderr.read().decode() if app.stderr else ""
        assert beat.exists()  # the first slide was painted
    finally:
        app.kill()
        app.wait(30)
    # A presentation given them is still told what is wrong.
    done = subprocess.run([sys.executable, "-m", "taixin_kiosk", *args], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
