"""Soak: a kiosk driven for a long day in minutes, watching for leaks.

    python benchmarks/soak.py [--navigations N] [--toggles N] [--cycles N] [--json FILE]

Builds the real kiosk (kiosk mode, offscreen unless a display is chosen) and
drives it through the same paths input takes: navigations and language
toggles through the action registry (what keys, swipes and buttons request),
and idle/attract cycles on the real timers with a fast clock (milliseconds
instead of minutes), each woken by a real key event. After a warm-up pass
(every slide in every language, charts built), it measures resident memory
and the number of live QObjects, drives everything, and measures again.

Prints a table and one ``RESULT {json}`` line; exits 1 when a target is
missed: RSS drift <= 5 MB, QObject drift 0. tests/test_soak.py runs it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from rss import rss_mb  # benchmarks/ is the script's folder

MARKER = "RESULT "
RSS_DRIFT_MB = 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--navigations", type=int, default=100_000)
    parser.add_argument("--toggles", type=int, default=10_000)
    parser.add_argument("--cycles", type=int, default=1_000)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # Statistics, logs and state of this run go to a folder of its own.
    with tempfile.TemporaryDirectory(prefix="taixin-soak-") as home:
        os.environ["TAIXIN_KIOSK_HOME"] = home
        return soak(args)


def soak(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QObject, Qt
    from PySide6.QtTest import QTest

    from taixin_kiosk.app.root import build, ensure_app
    from taixin_kiosk.config.settings import Settings
    from taixin_kiosk.content.choice import choose
    from taixin_kiosk.core.actions import Action
    from taixin_kiosk.core.modes import Mode

    app = ensure_app()
    fast = 0.002  # seconds: the idle, attract and advance timers
    settings = Settings(windowed=True, motion=False, kiosk=True, keep_awake=False,
                        idle_seconds=fast, attract_seconds=fast, attract_advance_seconds=fast)
    built = build(settings, choose(None), app)
    window = built.window
    window.resize(1920, 1080)
    window.show()
    QTest.qWaitForWindowExposed(window)
    deadline = time.monotonic() + 10
    while not built.input_bound and time.monotonic() < deadline:
        app.processEvents()
    if not built.input_bound:
        print("the kiosk never painted its first slide", file=sys.stderr)
        return 2
    idle = built.kiosk_mode.idle if built.kiosk_mode is not None else None
    assert idle is not None
    # Nobody is idle during the navigation and toggle phases.
    idle.stop()
    actions, navigator = built.actions, built.navigator
    count = navigator.count

    def objects() -> list[QObject]:
        return [*window.findChildren(QObject), *app.findChildren(QObject)]

    def live_objects() -> int:
        return len(objects())

    def kinds() -> dict[str, int]:
        out: dict[str, int] = {}
        for obj in objects():
            name = f"{type(obj).__name__}:{obj.objectName()}"
            out[name] = out.get(name, 0) + 1
        return out

    def settle() -> None:
        for _ in range(3):
            app.processEvents()
        gc.collect()
        app.processEvents()

    # Warm-up: every slide in every language, charts and thumbnails built.
    window.stage.prebuild()
    for _ in built.localizer.locales:
        for _ in range(count):
            actions.trigger(Action.NEXT)
            app.processEvents()
        actions.trigger(Action.FIRST)
        actions.trigger(Action.LANGUAGE)
        app.processEvents()
    actions.trigger(Action.OVERVIEW)
    app.processEvents()
    actions.trigger(Action.OVERVIEW)
    # Key events as the wake-ups below send them (QTest makes its keyboard
    # device once, at the first one).
    QTest.keyClick(window, Qt.Key.Key_Right)
    QTest.keyClick(window, Qt.Key.Key_Left)
    settle()

    def idle_cycle() -> bool:
        """Idle into attract mode, one slide advanced, a key wakes it: True if woken."""
        deadline = time.monotonic() + 5
        while built.modes.mode is not Mode.ATTRACT and time.monotonic() < deadline:
            app.processEvents()
        advanced = navigator.index
        deadline = time.monotonic() + 5
        while navigator.index == advanced and time.monotonic() < deadline:
            app.processEvents()
        QTest.keyClick(window, Qt.Key.Key_Right)  # the visitor's first key only wakes
        return built.modes.mode is Mode.INTERACTIVE

    # Two idle cycles in the warm-up too: attract mode shows the slide without
    # the control bar, so the picture drawn ahead (ui.ahead) is made again at
    # the other size, and the C allocator keeps the one freed for the next
    # (RSS one picture higher after the second cycle, then flat: 6.75 MB
    # after 2, 3, 6, 30 and 1000 cycles at 1920x1080). That is the steady
    # state a long day runs in; the drift measured from it is what leaks.
    built.activity.user_input.emit()  # starts the idle timer
    for _ in range(2):
        idle_cycle()
    idle.stop()
    settle()
    rss_before, objects_before = rss_mb(), live_objects()
    kinds_before = kinds()
    started = time.monotonic()

    forward = True
    for i in range(args.navigations):
        if navigator.index == count - 1:
            forward = False
        elif navigator.index == 0:
            forward = True
        actions.trigger(Action.NEXT if forward else Action.PREVIOUS)
        if i % 50 == 0:
            app.processEvents()  # paint now and then, as a screen would
    nav_s = time.monotonic() - started

    for i in range(args.toggles):
        actions.trigger(Action.LANGUAGE)
        if i % 10 == 0:
            app.processEvents()
    toggle_s = time.monotonic() - started - nav_s

    built.activity.user_input.emit()  # starts the idle timer again
    woken = sum(idle_cycle() for _ in range(args.cycles))
    cycle_s = time.monotonic() - started - nav_s - toggle_s

    settle()
    rss_after, objects_after = rss_mb(), live_objects()
    kinds_after = kinds()
    changed = {k: kinds_after.get(k, 0) - kinds_before.get(k, 0)
               for k in set(kinds_before) | set(kinds_after)
               if kinds_after.get(k, 0) != kinds_before.get(k, 0)}
    result = {
        "navigations": args.navigations,
        "toggles": args.toggles,
        "idle_attract_cycles": args.cycles,
        "cycles_woken": woken,
        "seconds": {"navigations": round(nav_s, 1), "toggles": round(toggle_s, 1),
                    "cycles": round(cycle_s, 1)},
        "rss_mb_before": round(rss_before, 1),
        "rss_mb_after": round(rss_after, 1),
        "rss_drift_mb": round(rss_after - rss_before, 2),
        "qobjects_before": objects_before,
        "qobjects_after": objects_after,
        "qobject_drift": objects_after - objects_before,
        "qobjects_changed": changed,
    }
    ok = result["rss_drift_mb"] <= RSS_DRIFT_MB and result["qobject_drift"] == 0\
        and woken == args.cycles
    rows = [
        ("navigations", f"{args.navigations:,} in {nav_s:.0f} s"),
        ("language toggles", f"{args.toggles:,} in {toggle_s:.0f} s"),
        ("idle/attract cycles woken", f"{woken:,} of {args.cycles:,} in {cycle_s:.0f} s"),
        ("RSS before / after", f"{rss_before:.1f} / {rss_after:.1f} MB"),
        ("RSS drift", f"{rss_after - rss_before:+.2f} MB (target <= {RSS_DRIFT_MB:g} MB)"),
        ("live QObjects before / after", f"{objects_before} / {objects_after} (target: equal)"),
    ]
    for name, value in rows:
        print(f"{name:30s} {value}")
    print("PASS" if ok else "FAIL")
    print(MARKER + json.dumps(result), flush=True)
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    built.shutdown()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
