"""packaging/windows/installer.nsi compiles with makensis (warnings are errors), its
/CHANNEL= switches included. The Wine lane (tests/test_windows_lane.py, slow) runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (NSIS) is not installed")
def test_the_installer_script_builds_with_its_channel_switches(tmp_path):
    app = tmp_path / "app"
    (app / "_internal").mkdir(parents=True)
    (app / "taixin-kiosk.exe").write_bytes(b"MZ")  # makensis only packs it
    (app / "_internal" / "base_library.zip").write_bytes(b"")
    run = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "windows" / "make_installer.py"),
         "--app", str(app), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert list((tmp_path / "out").glob("taixin-kiosk-*-setup.exe"))
    script = (ROOT / "packaging" / "windows" / "installer.nsi").read_text("utf-8")
    # The switch runs the app's own command: the installer writes no TOML itself.
    for switch in ("/CHANNEL=", "/CHANNELNAME=", "/CHANNELROOT="):
        assert f'GetOptions}} $R0 "{switch}"' in script
    assert "channel join" in script and "config.toml\"" not in script
