"""The kiosk's Prometheus endpoint, scraped as Prometheus would: over HTTP on
127.0.0.1, parsed with prometheus_client's own parser, after real key presses
through the real window; and nothing listening when metrics are off."""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from channel_server import free_port, make_pack, serve
from taixin_kiosk.cli.main import main
from taixin_kiosk.content.choice import choose_for
from taixin_kiosk.kiosk import channel as follower_module
from taixin_kiosk.system.paths import app_paths
from taixin_kiosk.system.supervisor import RESTARTS_FILE

Key = Qt.Key
Samples = dict[str, list[tuple[dict[str, str], float]]]


@pytest.fixture
def now(monkeypatch):  # type: ignore[no-untyped-def]
    """The recorder's clock, moved on by the test instead of waiting."""
    from taixin_kiosk.stats import recorder as stats

    clock = [1000.0]

    class HandClockRecorder(stats.ViewRecorder):
        def __init__(self, sink, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(sink, clock=lambda: clock[0], **kwargs)

    monkeypatch.setattr(stats, "ViewRecorder", HandClockRecorder)
    return clock


def scrape(port: int) -> Samples:
    """Every sample the endpoint serves, by its name, as Prometheus parses them."""
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = response.read().decode("utf-8")
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((dict(sample.labels), sample.value))
    return found


def value(samples: Samples, name: str, **labels: str) -> float | None:
    matching = [v for got, v in samples.get(name, []) if got == labels]
    assert len(matching) <= 1, (name, labels, samples.get(name))
    return matching[0] if matching else None


def kiosk(make_app, port: int | None, **settings):  # type: ignore[no-untyped-def]
    if port is not None:
        settings["metrics_address"] = f"127.0.0.1:{port}"
    return make_app(kiosk=True, keep_awake=False, idle_seconds=600.0, attract_seconds=600.0,
                    **settings)


def test_the_endpoint_reports_content_views_languages_and_the_window(make_app, now):
    port = free_port()
    built = kiosk(make_app, port)
    deck = built.session.content.pack.deck
    first = scrape(port)
    assert value(first, "taixin_kiosk_content_info", pack=deck.id, version=deck.version,
                 checksum=built.session.content.pack.checksum) == 1
    assert value(first, "taixin_kiosk_window_shown") == 1
    assert value(first, "taixin_kiosk_window_full_screen") == 0  # make_app: a window
    [(build_labels, one)] = first["taixin_kiosk_build_info"]
    assert one == 1 and build_labels["version"] == __import__("taixin_kiosk").__version__
    assert value(first, "taixin_kiosk_restarts_total") == 0
    assert 0 <= value(first, "taixin_kiosk_heartbeat_age_seconds") < 60
    # No slide looked at yet, and no channel configured: no channel metrics.
    assert "taixin_kiosk_slide_views_total" not in first
    assert not any(name.startswith("taixin_kiosk_channel") for name in first)

    # A visitor reads the second slide for 12 s, the third for 30 s, then
    # switches the language and reads the third again for 8 s.
    start_locale = built.localizer.locale
    QTest.keyClick(built.window, Key.Key_Right)
    now[0] += 12
    QTest.keyClick(built.window, Key.Key_Right)
    now[0] += 30
    QTest.keyClick(built.window, Key.Key_L)
    other_locale = built.localizer.locale
    assert other_locale != start_locale
    now[0] += 8
    QTest.keyClick(built.window, Key.Key_Left)
    second, third = deck.slides[1].id, deck.slides[2].id
    after = scrape(port)
    views = "taixin_kiosk_slide_views_total"
    assert value(after, views, slide=second, locale=start_locale) == 1
    assert value(after, views, slide=third, locale=start_locale) == 1
    assert value(after, views, slide=third, locale=other_locale) == 1
    dwell = "taixin_kiosk_slide_dwell_seconds_sum"
    assert value(after, dwell, slide=second, locale=start_locale) == pytest.approx(12)
    assert value(after, dwell, slide=third, locale=start_locale) == pytest.approx(30)
    assert value(after, dwell, slide=third, locale=other_locale) == pytest.approx(8)
    assert value(after, "taixin_kiosk_language_choices_total", locale=other_locale) == 1
    # No personal data: no label beyond slide ids, languages and the pack's.
    labels = {key for samples in after.values() for got, _ in samples for key in got}
    assert labels <= {"version", "python", "qt", "pack", "checksum", "slide", "locale",
                      "area"}
    built.localizer.set_locale("en")  # staff read the panel in English here
    lines = built.kiosk_mode.diagnostics.lines()
    assert f"Monitoring metrics served at http://127.0.0.1:{port}/metrics" in lines


def test_a_window_the_guard_cannot_bring_back_shows_as_not_shown(make_app, qtbot):
    port = free_port()
    built = kiosk(make_app, port)
    built.window.showFullScreen()
    guard = built.kiosk_mode.keep_window_up()
    qtbot.waitUntil(lambda: guard.shown and built.window.isFullScreen())
    qtbot.waitUntil(lambda: value(scrape(port), "taixin_kiosk_window_full_screen") == 1)
    assert value(scrape(port), "taixin_kiosk_window_shown") == 1
    # A window manager that will not give the window back: the guard tries in vain.
    repair = guard.repair
    guard.repair = lambda fault: None
    built.window.showMinimized()
    qtbot.waitUntil(lambda: value(scrape(port), "taixin_kiosk_window_shown") == 0)
    # It lets the guard work again: the window is back, and so is the metric.
    guard.repair = repair
    qtbot.waitUntil(lambda: value(scrape(port), "taixin_kiosk_window_shown") == 1,
                    timeout=10000)
    samples = scrape(port)
    assert value(samples, "taixin_kiosk_window_full_screen") == 1
    assert value(samples, "taixin_kiosk_window_restores_total") >= 1
    guard.stop()


def test_restarts_and_errors_are_read_at_each_scrape(make_app, tmp_path):
    from taixin_kiosk.system.logs import close_logging, setup_logging

    port = free_port()
    kiosk(make_app, port)
    before = value(scrape(port), "taixin_kiosk_errors_total", area="stats") or 0
    state = app_paths().state_dir
    state.mkdir(parents=True, exist_ok=True)
    (state / RESTARTS_FILE).write_text(json.dumps(
        {"total": 3, "last_time": "2026-12-07T10:00:00+00:00", "last_reason": "hang",
         "last_exit_code": None}), "utf-8")
    setup_logging(tmp_path / "logs")
    try:
        logging.getLogger("taixin_kiosk.stats").error("the disk is full")
    finally:
        close_logging()
    after = scrape(port)
    assert value(after, "taixin_kiosk_restarts_total") == 3
    assert value(after, "taixin_kiosk_last_restart_timestamp_seconds") == datetime(
        2026, 12, 7, 10, tzinfo=UTC).timestamp()
    assert value(after, "taixin_kiosk_errors_total", area="stats") == before + 1


def test_a_port_in_use_is_logged_and_told_to_staff_and_the_kiosk_runs_on(make_app, caplog):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with caplog.at_level(logging.ERROR, logger="taixin_kiosk.metrics"):
            built = kiosk(make_app, port, locale="en")
        metrics = built.kiosk_mode.metrics
        assert metrics is not None and metrics.port is None
        assert f"cannot listen on 127.0.0.1:{port}" in caplog.text
        lines = built.kiosk_mode.diagnostics.lines()
        assert any(line.startswith("Monitoring metrics are off: nothing can listen on "
                                   f"127.0.0.1:{port}") for line in lines), lines
        QTest.keyClick(built.window, Key.Key_Right)
        assert built.navigator.index == 1


def test_without_prometheus_client_the_kiosk_runs_on_and_says_why(make_app, monkeypatch,
                                                                 caplog):
    # A build that left it out: importing it fails.
    for name in [m for m in sys.modules if m.split(".")[0] == "prometheus_client"]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.delitem(sys.modules, "taixin_kiosk.kiosk.metrics", raising=False)
    monkeypatch.setitem(sys.modules, "prometheus_client", None)
    with caplog.at_level(logging.ERROR, logger="taixin_kiosk.kiosk"):
        built = kiosk(make_app, free_port())
    assert built.kiosk_mode.metrics is None
    assert "no metrics: " in caplog.text and "prometheus_client" in caplog.text
    QTest.keyClick(built.window, Key.Key_Right)
    assert built.navigator.index == 1


def listening_ports() -> set[int]:
    """The TCP ports this process listens on (Linux: its sockets' inodes in /proc)."""
    inodes = set()
    for fd in Path("/proc/self/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not Path(table).exists():
            continue
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


@pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="needs Linux's /proc/net/tcp")
def test_nothing_listens_unless_metrics_are_configured(make_app):
    before = listening_ports()  # the test run's own, if any
    built = kiosk(make_app, None)
    assert built.kiosk_mode.metrics is None
    assert listening_ports() == before
    assert not any("Monitoring metrics" in line for line in built.kiosk_mode.diagnostics.lines())
    # The same look finds the endpoint of a kiosk that has one, and only it.
    port = free_port()
    on = kiosk(make_app, port)
    assert listening_ports() == before | {port}
    on.unbind_input()
    assert listening_ports() == before


def test_metrics_true_alone_means_this_machine_only():
    from taixin_kiosk.config.settings import Settings
    from taixin_kiosk.kiosk.mode import metrics_address

    assert metrics_address(Settings()) is None
    assert metrics_address(Settings(metrics=True)) == "127.0.0.1:9464"
    assert metrics_address(Settings(metrics_address="0.0.0.0:9100")) == "0.0.0.0:9100"


def test_a_kiosk_without_metrics_does_not_load_prometheus_client(tmp_path):
    """Built for real in a fresh interpreter: without metrics, no prometheus_client
    (and, as the contrast, with them it is there)."""
    code = """
import sys
from taixin_kiosk.app.root import build
from taixin_kiosk.config.settings import Settings
from taixin_kiosk.content.choice import choose
loaded = lambda: sorted(m for m in sys.modules if m.split('.')[0] == 'prometheus_client')
built = build(Settings(kiosk=True, windowed=True, keep_awake=False), choose(None))
print(loaded())
build(Settings(kiosk=True, windowed=True, keep_awake=False, metrics=True), choose(None))
print(bool(loaded()))
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TAIXIN_KIOSK_HOME=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, env=env, timeout=120).stdout.split("\n")
    assert out[:2] == ["[]", "True"]


def test_after_a_channel_switch_the_metrics_report_the_new_content(make_app, qtbot, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setattr(follower_module, "FIRST_POLL_MS", 50)
    repo = tmp_path / "repo"
    assert main(["channel", "init", str(repo)]) == 0
    publish = ["--repo", str(repo)]
    assert main(["channel", "publish", str(make_pack(tmp_path / "p1", "1.0.0", "Hall one")),
                 *publish]) == 0
    with serve(repo / "public", tmp_path) as server:
        paths = app_paths()
        paths.config_dir.mkdir(parents=True, exist_ok=True)
        paths.config_file.write_text(f'channel_url = "{server.url}"\n', "utf-8")
        shutil.copyfile(repo / "root.json", paths.config_dir / "channel-root.json")
        assert main(["sync"]) == 0
        assert main(["channel", "publish", str(make_pack(tmp_path / "p2", "2.0.0", "Hall two")),
                     *publish]) == 0
        port = free_port()
        built = kiosk(make_app, port, channel_url=server.url, choice=choose_for(None))
        before = scrape(port)
        assert value(before, "taixin_kiosk_content_info", pack="hall", version="1.0.0",
                     checksum=built.session.content.pack.checksum) == 1
        assert value(before, "taixin_kiosk_channel_last_success_timestamp_seconds") == 0
        follower = built.kiosk_mode.channel
        qtbot.waitUntil(lambda: follower.last is not None, timeout=30000)
        pulled = scrape(port)
        assert value(pulled, "taixin_kiosk_channel_last_outcome", channel="stable",
                     outcome="installed") == 1
        assert value(pulled, "taixin_kiosk_channel_pending") == 1
        assert value(pulled, "taixin_kiosk_channel_last_success_timestamp_seconds") == \
            pytest.approx(follower.last_ok)
        assert value(pulled, "taixin_kiosk_channel_last_failure_timestamp_seconds") == 0
        # Still the old content until nobody is at the screen.
        [(labels, _)] = pulled["taixin_kiosk_content_info"]
        assert labels["version"] == "1.0.0"
        idle = built.kiosk_mode.idle
        idle._idle.setInterval(10)
        idle._idle.start()
        qtbot.waitUntil(lambda: built.session.content.pack.deck.version == "2.0.0",
                        timeout=10000)
        after = scrape(port)
        [(labels, one)] = after["taixin_kiosk_content_info"]
        assert labels == {"pack": "hall", "version": "2.0.0",
                          "checksum": built.session.content.pack.checksum} and one == 1
        assert value(after, "taixin_kiosk_channel_pending") == 0
