"""Probes that run the real app in a subprocess and time it from the inside.

Run by ``benchmarks/run.py`` (under its own Xvfb), never imported by the app.
Each mode prints exactly one ``RESULT {json}`` line on stdout.

``probe.py startup``
    Runs ``python -m taixin_kiosk`` with default options (``runpy``, so it is
    the very same code path: ``cli.main`` -> ``cmd_run`` -> ``app.run`` ->
    ``ensure_app``/``choose(None)``/``build``/``show``). The only addition is a
    wrapper around ``app.show`` that connects to the first slide view's
    ``painted`` signal before the window is shown. On the first paint it
    records ``time.time()`` and whether pyqtgraph/numpy are already imported,
    then quits.

``probe.py interactive [--passes N]``
    Builds the kiosk with ``Settings(motion=False)``, shows it full screen,
    lets ``Stage.prebuild()`` finish, makes one warm pass through the deck and
    then times slide switches and language toggles driven by real key events
    (``QTest.keyClick`` on the window, which goes through the keyboard
    controller exactly as a key press from a keyboard or clicker does), and
    finally reads VmRSS after every slide has been shown in every language.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from taixin_kiosk.app import Kiosk

MARKER = "RESULT "
# A single awaited repaint that takes longer than this is a failure, not a figure.
WAIT_TIMEOUT_MS = 10_000


def rss_mb() -> float:
    """This process's resident set size in MiB, from /proc/self/status."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmRSS in /proc/self/status")


def emit(result: dict[str, Any]) -> None:
    print(MARKER + json.dumps(result), flush=True)


# -- start-up -----------------------------------------------------------------


def startup(settle_s: float) -> int:
    """``python -m taixin_kiosk``, timed to the first slide's first paint."""
    import runpy

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import taixin_kiosk.app as app_module

    original_show = app_module.show
    result: dict[str, Any] = {}
    paints: list[tuple[float, int, int]] = []

    def finish() -> None:
        result["paints"] = paints
        emit(result)
        QApplication.quit()

    def show(kiosk: Kiosk) -> None:
        view = kiosk.window.stage.current_view

        def on_painted(index: int) -> None:
            paints.append((time.time(), view.width(), view.height()))
            if result:
                return
            result.update(
                t_paint=paints[0][0],
                slide=index,
                size=[view.width(), view.height()],
                window=[kiosk.window.width(), kiosk.window.height()],
                pyqtgraph_before_first_paint="pyqtgraph" in sys.modules,
                numpy_before_first_paint="numpy" in sys.modules,
            )
            # After this paint pass (and its flush to the X server) is over.
            QTimer.singleShot(0, lambda: result.update(rss_mb=rss_mb()))
            # Later paints (a relayout right after the first frame) are recorded too.
            QTimer.singleShot(round(settle_s * 1000), finish)

        view.painted.connect(on_painted)
        original_show(kiosk)

    app_module.show = show
    sys.argv = [sys.argv[0]]  # default options: full screen, default language, motion on
    try:
        runpy.run_module("taixin_kiosk", run_name="__main__", alter_sys=True)
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


# -- switches and toggles -----------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (as numpy's default), q in [0, 100]."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no samples")
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary(samples: list[float]) -> dict[str, float | int]:
    return {
        "n": len(samples),
        "p50": percentile(samples, 50),
        "p95": percentile(samples, 95),
        "max": max(samples),
        "min": min(samples),
    }


class RepaintWaiter:
    """Runs an action and waits, in a nested event loop, for the repaint it causes.

    Done when the slide view ``want_view`` has emitted ``painted`` and, if asked,
    the control bar has received a Paint event. The nested loop is quit from
    inside that paint, so ``exec()`` returns once the whole paint pass (all
    dirty widgets, then the flush to the window) is over.
    """

    def __init__(self, app: QApplication, kiosk: Kiosk) -> None:
        from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

        self._app = app
        self._window = kiosk.window
        self._loop = QEventLoop()
        self._timeout = QTimer()
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(WAIT_TIMEOUT_MS)
        self._timeout.timeout.connect(self._loop.quit)
        self._want_view: int | None = None
        self._want_controls = False
        self._view_done = False
        self._controls_done = False
        for view in kiosk.window.stage.built_views():
            view.painted.connect(self._on_painted)

        waiter = self

        class PaintFilter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint:
                    waiter._on_controls_paint()
                return False

        self._filter = PaintFilter()
        kiosk.window.controls.installEventFilter(self._filter)

    @property
    def done(self) -> bool:
        return self._view_done and self._controls_done

    def _on_painted(self, index: int) -> None:
        if index == self._want_view and not self._view_done:
            self._view_done = True
            if self.done:
                self._loop.quit()

    def _on_controls_paint(self) -> None:
        if self._want_controls and not self._controls_done:
            self._controls_done = True
            if self.done:
                self._loop.quit()

    def run(self, action: Callable[[], None], view: int, controls: bool = False,
            ) -> tuple[float, float]:
        """(total ms, ms spent in ``action`` itself) from action start to repaint end."""
        from PySide6.QtCore import QEventLoop

        # Start from an idle app: nothing left over may be counted in this step.
        settle(self._app, self._window)
        self._app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        self._want_view, self._want_controls = view, controls
        self._view_done, self._controls_done = False, not controls
        start = time.perf_counter()
        action()
        handled = time.perf_counter()
        if not self.done:
            self._timeout.start()
            self._loop.exec()
            self._timeout.stop()
        end = time.perf_counter()
        self._want_view, self._want_controls = None, False
        if not self.done:
            raise TimeoutError(f"no repaint of slide {view + 1} within {WAIT_TIMEOUT_MS} ms")
        return (end - start) * 1000.0, (handled - start) * 1000.0


def pump_until(app: QApplication, condition: Callable[[], bool], timeout_s: float,
               what: str) -> None:
    from PySide6.QtCore import QEventLoop

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.001)


def busy(window: QWidget) -> bool:
    """Idle work pending: an active zero-interval timer under the window (the way
    the app schedules idle work, e.g. ``Stage.prebuild``)."""
    from PySide6.QtCore import QTimer

    return any(t.isActive() and t.interval() == 0 for t in window.findChildren(QTimer))


def settle(app: QApplication, window: QWidget, timeout_s: float = 30.0) -> float:
    """Processes events until no idle work is pending; returns the ms it took."""
    from PySide6.QtCore import QEventLoop

    start = time.perf_counter()
    deadline = time.monotonic() + timeout_s
    while busy(window):
        if time.monotonic() > deadline:
            raise TimeoutError("the app never became idle")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
    return (time.perf_counter() - start) * 1000.0


def pump_for(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    pump_until(app, lambda: time.monotonic() >= end, seconds + 5.0, "idle")


class Profiler:
    """cProfile around a block when a prefix is given (diagnosis only: it slows things)."""

    def __init__(self, prefix: str | None, name: str) -> None:
        self._path = f"{prefix}-{name}.prof" if prefix else None
        self._profile: cProfile.Profile | None = None

    def __enter__(self) -> None:
        if self._path:
            self._profile = cProfile.Profile()
            self._profile.enable()

    def __exit__(self, *exc: object) -> None:
        if self._profile is not None and self._path:
            self._profile.disable()
            self._profile.dump_stats(self._path)


def interactive(passes: int, profile: str | None) -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from taixin_kiosk.app import build, ensure_app, show
    from taixin_kiosk.content import choose
    from taixin_kiosk.settings import Settings

    app = ensure_app()
    kiosk = build(Settings(motion=False), choose(None), app)
    window, stage, navigator = kiosk.window, kiosk.window.stage, kiosk.navigator
    first: list[int] = []
    stage.current_view.painted.connect(first.append)
    show(kiosk)
    pump_until(app, lambda: bool(first), 30.0, "the first slide's first paint")

    # Every slide and chart built, as it is a moment after start-up.
    stage.prebuild()

    def prebuilt() -> bool:
        views = stage.built_views()
        return len(views) == stage.count and all(
            v.chart is not None or v.slide.chart is None for v in views)

    pump_until(app, prebuilt, 60.0, "Stage.prebuild() to finish")
    pump_for(app, 0.3)  # show() calls prebuild() itself 150 ms after showing
    settle(app, window)

    waiter = RepaintWaiter(app, kiosk)
    count = stage.count

    def press(key: Qt.Key) -> Callable[[], None]:
        return lambda: QTest.keyClick(window, key)

    def step(key: Qt.Key) -> tuple[float, float]:
        target = navigator.index + (1 if key == Qt.Key.Key_Right else -1)
        return waiter.run(press(key), target)

    def sweep(record: list[tuple[float, float]] | None) -> None:
        for key in (Qt.Key.Key_Right, Qt.Key.Key_Left):
            for _ in range(count - 1):
                sample = step(key)
                if record is not None:
                    record.append(sample)

    sweep(None)  # warm pass: every slide painted once at full size
    switches: list[tuple[float, float]] = []
    with Profiler(profile, "switch"):
        for _ in range(passes):
            sweep(switches)
    assert navigator.index == 0

    # Language toggle on every slide, both ways (e.g. zh-CN -> en -> zh-CN).
    start_locale = kiosk.localizer.locale
    toggles: list[tuple[float, float]] = []
    toggle_locales: list[str] = []
    toggle_idle: list[float] = []
    with Profiler(profile, "toggle"):
        for index in range(count):
            if index:
                step(Qt.Key.Key_Right)
            for _ in range(len(kiosk.localizer.locales)):
                toggles.append(waiter.run(press(Qt.Key.Key_L), index, controls=True))
                toggle_locales.append(kiosk.localizer.locale)
                # Work the toggle left for idle time (e.g. other slides re-translated).
                toggle_idle.append(settle(app, window))
    assert kiosk.localizer.locale == start_locale
    settle(app, window)

    emit({
        "slides": count,
        "locales": list(kiosk.localizer.locales),
        "size": [stage.current_view.width(), stage.current_view.height()],
        "window": [window.width(), window.height()],
        "passes": passes,
        "switch_ms": [s[0] for s in switches],
        "switch_handle_ms": [s[1] for s in switches],
        "switch": summary([s[0] for s in switches]),
        "toggle_ms": [t[0] for t in toggles],
        "toggle_handle_ms": [t[1] for t in toggles],
        "toggle_to": toggle_locales,
        "toggle": summary([t[0] for t in toggles]),
        "toggle_idle_ms": toggle_idle,
        "rss_mb": rss_mb(),
    })
    kiosk.shutdown()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    start = sub.add_parser("startup", help="time python -m taixin_kiosk to its first slide")
    start.add_argument("--settle", type=float, default=0.5,
                       help="seconds to keep recording repaints of the first slide (default 0.5)")
    inter = sub.add_parser("interactive", help="time slide switches and language toggles")
    inter.add_argument("--passes", type=int, default=3,
                       help="timed passes through the deck, forward and back (default 3)")
    inter.add_argument("--profile", metavar="PREFIX",
                       help="also write cProfile stats to PREFIX-switch.prof and "
                            "PREFIX-toggle.prof (slows the run: not for the figures)")
    args = parser.parse_args(argv)
    if args.mode == "startup":
        return startup(max(0.0, args.settle))
    return interactive(max(1, args.passes), args.profile)


if __name__ == "__main__":
    sys.exit(main())
