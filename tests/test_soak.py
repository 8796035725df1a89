"""The soak: a long day of a kiosk in minutes (benchmarks/soak.py), for leaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


@pytest.mark.slow
def test_a_long_day_leaks_neither_memory_nor_objects(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TAIXIN_KIOSK_HOME=str(tmp_path))
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "soak.py")],
        capture_output=True, text=True, timeout=1800, env=env, cwd=ROOT / "benchmarks")
    lines = [line for line in run.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, run.stdout + run.stderr
    result = json.loads(lines[-1][len("RESULT "):])
    assert result["navigations"] >= 100_000 and result["toggles"] >= 10_000
    assert result["idle_attract_cycles"] >= 1_000
    assert result["cycles_woken"] == result["idle_attract_cycles"]
    assert result["rss_drift_mb"] <= 5.0, result
    assert result["qobject_drift"] == 0, result["qobjects_changed"]
    assert run.returncode == 0, run.stdout + run.stderr
