"""``--self-test``: the installation check the build and IT staff run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def read(path: Path) -> dict:  # type: ignore[type-arg]
    raw = path.read_bytes()
    assert all(b < 128 for b in raw), "the report is ASCII (a Windows console prints it)"
    return json.loads(raw)


def test_self_test_checks_everything_and_passes(tmp_path, qapp):
    from taixin_kiosk.cli.main import main

    report = tmp_path / "deep" / "report.json"
    assert main(["--self-test", str(report)]) == 0
    data = read(report)
    assert data["ok"] is True
    checks = {c["name"]: c for c in data["checks"]}
    assert all(c["ok"] for c in checks.values())
    assert {"built-in content", "font registered", "glyphs for every catalogue character",
            "every slide rendered in every language", "charts built"} <= set(checks)
    deck = json.loads((ROOT / "assets" / "deck.json").read_text(encoding="utf-8"))
    assert data["slides_rendered"] == 2 * len(deck["slides"])
    assert data["qt"] and data["version"]


def test_a_broken_picture_fails_the_self_test_and_says_where(tmp_path, qapp, monkeypatch):
    from taixin_kiosk.content import builtin
    from taixin_kiosk.selftest.run import run

    copy = tmp_path / "app"
    shutil.copytree(ROOT / "assets", copy / "assets")
    shutil.copytree(ROOT / "i18n", copy / "i18n")
    picture = next((copy / "assets" / "images").glob("*.png"))
    picture.write_bytes(picture.read_bytes()[:200])  # truncated, as by a bad copy
    real = builtin.find_builtin
    monkeypatch.setattr(builtin, "find_builtin", lambda *a: real(copy / "src" / "taixin_kiosk"))
    for module in ("taixin_kiosk.content.choice", "taixin_kiosk.content.validate",
                   "taixin_kiosk.app.root"):
        if module in sys.modules:
            monkeypatch.setattr(sys.modules[module], "find_builtin",
                                builtin.find_builtin, raising=False)
    report = tmp_path / "report.json"
    assert run(report) == 1
    data = read(report)
    assert data["ok"] is False
    failed = [c for c in data["checks"] if not c["ok"]]
    assert failed[0]["name"] == "built-in content", data["checks"]
    assert any(picture.name in p for p in failed[0]["problems"])


def test_a_hung_self_test_is_ended_by_its_watchdog(tmp_path):
    report = tmp_path / "report.json"
    code = ("import sys; from pathlib import Path; from taixin_kiosk.selftest.run import run; "
            f"sys.exit(run(Path({str(report)!r}), watchdog_s=0.05))")
    env = dict(os.environ, TAIXIN_KIOSK_HOME=str(tmp_path / "home"))
    done = subprocess.run([sys.executable, "-c", code], env=env, timeout=120,
                          capture_output=True)
    assert done.returncode == 3
    data = read(report)
    assert data["ok"] is False and data["error"].startswith("watchdog")


@pytest.mark.parametrize("argv", [["--self-test"]])
def test_self_test_needs_a_report_file(argv, capsys):
    from taixin_kiosk.cli.main import main

    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
