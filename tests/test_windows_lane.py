"""The Windows lane end to end: packaging/windows/build.sh under Wine.

It builds the Windows one-folder app with the embeddable CPython and Windows
wheels, runs the frozen exe's self-test, builds the NSIS installer, installs
it silently, runs the installed exe's self-test, upgrades over it, uninstalls
it silently (keeping, then removing, a planted user-data folder) and checks
that Program Files, the shortcuts and the uninstall key are clean.

About 3-4 minutes warm; a first run also installs Wine, NSIS and mingw-w64
with apt (about 1 minute) and downloads about 110 MB of wheels. Downloads are
kept in ``$TAIXIN_WIN_CACHE`` (default ``~/.cache/taixin-kiosk-win``), so a
rerun is warm; the Wine prefix and the build go to a temporary folder (or
``$TAIXIN_WIN_WORK``).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

MAX_INSTALLER_MB = 45
TOOLS = ("wine", "wineserver", "makensis", "x86_64-w64-mingw32-gcc", "osslsigncode")


def _skip_reason() -> str | None:
    """Why the lane cannot run here, or None. As root on Debian it always
    runs: build.sh installs what is missing with apt-get."""
    system, machine = platform.system(), platform.machine()
    if (system, machine) != ("Linux", "x86_64"):
        return f"the Wine lane runs on Linux x86_64, not {system} {machine}"
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return None
    if os.geteuid() == 0:
        if shutil.which("apt-get") is None:
            return f"{', '.join(missing)} missing and no apt-get to install them"
        return None
    sudo = shutil.which("sudo")
    if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True,
                               check=False).returncode == 0:
        return None
    return (f"{', '.join(missing)} missing, and not root (nor passwordless sudo) to "
            "apt-get install them: run as root, or apt-get install wine wine64 "
            "mingw-w64 osslsigncode nsis locales")


@pytest.mark.slow
def test_windows_lane_builds_installs_upgrades_and_uninstalls(tmp_path_factory):
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from taixin_kiosk import __version__

    given_work = os.environ.get("TAIXIN_WIN_WORK")
    work = Path(given_work) if given_work else tmp_path_factory.mktemp("windows-lane")
    cache = Path(os.environ.get("TAIXIN_WIN_CACHE")
                 or Path.home() / ".cache" / "taixin-kiosk-win")
    env = dict(os.environ, TAIXIN_WIN_WORK=str(work), TAIXIN_WIN_CACHE=str(cache),
               # This environment's Python downloads and unpacks the wheels.
               PYTHON=sys.executable)
    # The tests' own app folder (conftest) is not the Windows app's.
    env.pop("TAIXIN_KIOSK_HOME", None)
    log = work / "build.sh.log"
    with log.open("w", encoding="utf-8") as out:
        run = subprocess.run(["bash", str(ROOT / "packaging" / "windows" / "build.sh")],
                             stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                             timeout=2700, check=False)
    output = log.read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, f"build.sh exited {run.returncode} (log: {log}):\n{output[-6000:]}"

    setup = work / "out" / f"taixin-kiosk-{__version__}-setup.exe"
    assert setup.is_file(), output[-3000:]
    size_mb = setup.stat().st_size / 1_048_576
    assert size_mb <= MAX_INSTALLER_MB, f"{setup}: {size_mb:.1f} MB"
    for name in ("frozen", "installed", "installed-elsewhere"):
        report = json.loads((work / "reports" / f"{name}.json").read_text(encoding="ascii"))
        assert report["ok"] is True and report["frozen"] is True, (name, report)
        assert report["version"] == __version__
    print(output[output.rfind("Windows lane passed"):])
    if not given_work:
        # About 1.2 GB (Wine prefix, Windows Python, build); kept when it failed.
        shutil.rmtree(work, ignore_errors=True)
