"""One resolver finds the built-in content in every layout the app ships in."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from taixin_kiosk.content import builtin


def _fake_content(root: Path) -> None:
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "deck.json").write_text("{}", encoding="utf-8")
    (root / "i18n").mkdir()


def test_source_checkout():
    found = builtin.find_builtin()
    assert found.assets == ROOT / "assets"
    assert found.i18n == ROOT / "i18n"
    assert (found.fonts / "TaixinSans-Regular.otf").is_file()
    assert found.schema.is_file()


def test_installed_package_layout(tmp_path):
    package = tmp_path / "site-packages" / "taixin_kiosk"
    _fake_content(package)
    found = builtin.find_builtin(package)
    assert found.assets == package / "assets"


def test_frozen_layout(tmp_path, monkeypatch):
    bundle = tmp_path / "bundle"
    _fake_content(bundle / "taixin_kiosk")
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    found = builtin.find_builtin(tmp_path / "elsewhere" / "lib" / "taixin_kiosk")
    assert found.assets == bundle / "taixin_kiosk" / "assets"


def test_missing_content_names_every_place(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        builtin.find_builtin(tmp_path / "a" / "b" / "pkg")
    assert str(tmp_path / "a" / "b" / "pkg") in str(info.value)


@pytest.mark.slow
def test_wheel_ships_content_and_finds_it(tmp_path):
    """Builds the wheel, installs it into a bare folder and resolves from there."""
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w",
                            str(tmp_path / "dist"), str(ROOT)], capture_output=True, text=True,
                           timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("taixin_kiosk-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("taixin_kiosk/assets/deck.json", "taixin_kiosk/assets/deck.schema.json",
                   "taixin_kiosk/assets/fonts/TaixinSans-Regular.otf",
                   "taixin_kiosk/assets/fonts/OFL.txt", "taixin_kiosk/i18n/zh-CN.json",
                   "taixin_kiosk/assets/fonts/TaixinSansLatin-Bold.otf",
                   "taixin_kiosk/assets/fonts/TaixinSans.coverage.txt",
                   "taixin_kiosk/assets/fonts/TaixinSansTC-Regular.otf",
                   "taixin_kiosk/assets/fonts/TaixinSansTC-Bold.otf",
                   "taixin_kiosk/assets/fonts/TaixinSansTC.coverage.txt",
                   "taixin_kiosk/i18n/en.json", "taixin_kiosk/assets/images/cover.png"):
        assert needed in names
    target = tmp_path / "target"
    zipfile.ZipFile(wheel).extractall(target)
    probe = subprocess.run(
        [sys.executable, "-c", "from taixin_kiosk.content.builtin import find_builtin;"
         "print(find_builtin().assets)"],
        capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(target),
                                                            "PATH": "/usr/bin:/bin"},
        timeout=120)
    assert probe.returncode == 0, probe.stderr
    assert Path(probe.stdout.strip()) == target / "taixin_kiosk" / "assets"


def test_app_folders_follow_the_home_override(app_home):
    from taixin_kiosk.system.paths import app_paths

    paths = app_paths()
    assert paths.config_file == app_home / "config" / "config.toml"
    assert paths.data_dir == app_home / "data" and paths.log_dir == app_home / "logs"
    assert paths.packs_dir.parent == paths.data_dir


def test_app_folders_default_to_the_platform_ones(monkeypatch):
    import platformdirs

    from taixin_kiosk.system.paths import app_paths

    monkeypatch.delenv("TAIXIN_KIOSK_HOME")
    paths = app_paths()
    assert str(paths.config_dir) == platformdirs.user_config_dir("taixin-kiosk", appauthor=False)
    assert str(paths.log_dir) == platformdirs.user_log_dir("taixin-kiosk", appauthor=False)


def test_the_version_is_the_installed_package_version():
    from importlib.metadata import version

    import taixin_kiosk

    assert taixin_kiosk.__version__ == version("taixin-kiosk")
