"""The fleet drill (benchmarks/fleet.py): kiosks following one channel all move to a new
publication by themselves, and the server's bytes are counted."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_every_kiosk_of_a_small_fleet_shows_the_new_publication(tmp_path):
    # The drill (and the kiosks it starts) run this checkout's app.
    path = os.pathsep.join(p for p in (str(ROOT / "src"), os.environ.get("PYTHONPATH")) if p)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TAIXIN_KIOSK_HOME=str(tmp_path),
               PYTHONPATH=path)
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fleet.py"), "--kiosks", "5",
         "--poll-seconds", "2"],
        capture_output=True, text=True, timeout=900, env=env, cwd=ROOT / "benchmarks")
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, run.stdout + run.stderr
    result = json.loads(lines[-1][len("RESULT "):])
    assert result["kiosks"] == 5 and result["moved"] == 5, result
    assert all(seconds is not None for seconds in result["seconds_per_kiosk"]), result
    assert result["dead"] == []
    # Every kiosk fetched the new pack from the server: at least its zip each.
    assert result["bytes_second_publication"] >= 5 * result["pack_zip_bytes"] > 0, result
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize(("given", "expected_ms"), [
    (None, 15 * 60_000), ("2", 2000), ("0.25", 1000), ("soon", 15 * 60_000),
    ("0", 15 * 60_000), ("nan", 15 * 60_000), ("inf", 15 * 60_000)])
def test_only_the_drills_variable_polls_faster_than_the_config_allows(monkeypatch, given,
                                                                      expected_ms):
    from taixin_kiosk.kiosk.channel import POLL_SECONDS_ENV, poll_interval_ms

    if given is None:
        monkeypatch.delenv(POLL_SECONDS_ENV, raising=False)
    else:
        monkeypatch.setenv(POLL_SECONDS_ENV, given)
    assert poll_interval_ms(15) == expected_ms
