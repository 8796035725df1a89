"""Probes that run the real app in a subprocess and time it from the inside.

Run by ``benchmarks/run.py`` (under its own Xvfb and window manager), never
imported by the app. Each mode prints exactly one ``RESULT {json}`` line on
stdout. Only the standard library, PySide6 and the app are used.

``probe.py startup [--settle S]``
    Runs ``python -m taixin_kiosk`` with default options through ``runpy``, so
    it is the very same code path (``cli.main`` -> ``cli.run.cmd_run`` ->
    ``choose_for`` -> ``app.startup.run`` -> ``build``/``put_on_screen``). The
    only addition is a wrapper around ``app.startup.put_on_screen`` that
    connects to the first slide view's ``painted`` signal before the real one
    runs. At the first paint it
    records ``time.time()`` and whether pyqtgraph/numpy are imported yet; it
    keeps recording that view's repaints (time and size) for S seconds
    (default 0.5), reads VmRSS just after the first frame, then quits.

``probe.py interactive [--passes N] [--profile PREFIX]``
    Builds the app with ``Settings(motion=False)`` and shows it (the real
    ``put_on_screen``: full screen), lets ``Stage.prebuild()`` finish, makes one warm
    pass through the deck, then times N passes of slide switches (forward
    through the deck and back) and a language toggle on every slide in both
    directions, all driven by real key events (``QTest.keyClick`` on the
    window: they go through the keyboard controller as a key from a keyboard
    or a clicker does). See ``RepaintWaiter`` for when a step counts as done.
    Finally it reads VmRSS: every slide has been shown in every language.
    ``--profile`` writes cProfile stats of the timed parts (for diagnosis: the
    profiler itself slows everything down).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rss import rss_mb  # benchmarks/ is the script's folder

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication, QWidget

    from taixin_kiosk.app.root import App
    from taixin_kiosk.ui.slide_view import SlideView

MARKER = "RESULT "
# A single awaited repaint that takes longer than this is a failure, not a figure.
WAIT_TIMEOUT_MS = 10_000
# Fully painted: no further repaint of the slide (or control bar) for this long.
QUIET_MS = 30.0


def emit(result: dict[str, Any]) -> None:
    print(MARKER + json.dumps(result), flush=True)


# -- start-up -----------------------------------------------------------------


def startup(settle_s: float) -> int:
    """``python -m taixin_kiosk``, timed to the first slide's first paint."""
    import runpy

    # What the launcher (taixin_kiosk.launch) does first; the probe imports
    # the app before runpy (to wrap show), so it must come first here too.
    from taixin_kiosk.system.collector import prepare

    prepare()

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    import taixin_kiosk.app.startup as app_module

    original_show = app_module.put_on_screen
    result: dict[str, Any] = {}
    paints: list[tuple[float, int, int]] = []

    def finish() -> None:
        result["paints"] = paints
        emit(result)
        QApplication.quit()

    def show(built: App) -> None:
        view = built.window.stage.current_view

        def on_painted(index: int) -> None:
            paints.append((time.time(), view.width(), view.height()))
            if result:
                return
            result.update(
                t_paint=paints[0][0],
                slide=index,
                size=[view.width(), view.height()],
                window=[built.window.width(), built.window.height()],
                pyqtgraph_before_first_paint="pyqtgraph" in sys.modules,
                numpy_before_first_paint="numpy" in sys.modules,
            )
            # After this paint pass (and its flush to the X server) is over.
            QTimer.singleShot(0, lambda: result.update(rss_mb=rss_mb()))
            # Later paints (a relayout right after the first frame) are recorded too.
            QTimer.singleShot(round(settle_s * 1000), finish)

        view.painted.connect(on_painted)
        original_show(built)

    app_module.put_on_screen = show
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


@dataclass
class Sample:
    """One timed action, in ms from the moment it started."""

    done: float  # the last repaint of what it changed (the figure that is reported)
    first_frame: float  # the first paint pass that showed it
    handled: float  # the action itself (the key press handled, before any paint)
    idle: float  # no idle work pending any more (e.g. other slides re-translated)
    frames: int  # paint passes of the slide view (and control bar) it took
    slide: int  # the slide shown (0-based)


class RepaintWaiter:
    """Runs an action and waits, in a nested event loop, for the repaints it causes.

    First frame: slide view ``view`` has emitted ``painted`` (and, when asked,
    the control bar has received a Paint event). The nested loop is quit from
    inside that paint, so ``exec()`` returns once the whole paint pass (every
    dirty widget, then the flush to the window) is over.

    Fully painted: a slide is not always complete in its first frame (pyqtgraph
    lays a chart out again a few ms after it is shown and repaints it), so the
    loop keeps running until neither the slide view, its children (the chart)
    nor, when asked, the control bar have repainted for ``QUIET_MS`` and no idle
    work (a zero-interval timer, e.g. ``Stage.prebuild``) is pending. The end of
    the last such paint pass is ``done``.
    """

    def __init__(self, app: QApplication, built: App) -> None:
        from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
        from PySide6.QtWidgets import QWidget

        self._app = app
        self._window = built.window
        self._stage = built.window.stage
        self._controls = built.window.controls
        self._idle_timers = [t for t in built.window.findChildren(QTimer) if t.interval() == 0]
        self._loop = QEventLoop()
        self._timeout = QTimer()
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(WAIT_TIMEOUT_MS)
        self._timeout.timeout.connect(self._loop.quit)
        self._tick = QTimer()
        self._tick.setSingleShot(True)
        self._tick.setInterval(1)
        self._tick.timeout.connect(self._loop.quit)
        self._target: SlideView | None = None
        self._want_controls = False
        self._settling = False
        self._view_done = self._controls_done = True
        self._painted_again = False

        waiter = self

        class PaintFilter(QObject):
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:
                if event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
                    waiter._on_paint_event(watched)
                return False

        self._filter = PaintFilter()
        for view in self._stage.built_views():
            view.painted.connect(self._on_painted)
            for child in view.findChildren(QWidget):
                child.installEventFilter(self._filter)
        self._controls.installEventFilter(self._filter)
        for child in self._controls.findChildren(QWidget):
            child.installEventFilter(self._filter)

    @property
    def first_frame_done(self) -> bool:
        return self._view_done and self._controls_done

    def _busy(self) -> bool:
        return any(t.isActive() for t in self._idle_timers)

    def _in_controls(self, widget: QWidget) -> bool:
        return widget is self._controls or self._controls.isAncestorOf(widget)

    def _repainted(self) -> None:
        self._painted_again = True
        self._loop.quit()  # exec() returns when this paint pass is over

    def _on_painted(self, index: int) -> None:
        target = self._target
        if target is None or index != target.index:
            return
        if self._settling:
            self._repainted()
        elif not self._view_done:
            self._view_done = True
            if self.first_frame_done:
                self._loop.quit()

    def _on_paint_event(self, widget: QWidget) -> None:
        target = self._target
        if target is None:
            return
        if self._want_controls and self._in_controls(widget):
            if self._settling:
                self._repainted()
            elif widget is self._controls and not self._controls_done:
                self._controls_done = True
                if self.first_frame_done:
                    self._loop.quit()
        elif self._settling and target.isAncestorOf(widget):
            self._repainted()  # the chart, under the slide view

    def run(self, action: Callable[[], None], view: int, controls: bool = False) -> Sample:
        from PySide6.QtCore import QEventLoop

        # Start from an idle app: nothing left over may be counted in this step.
        settle(self._app, self._window)
        self._app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        self._target = next(v for v in self._stage.built_views() if v.index == view)
        self._want_controls = controls
        self._view_done, self._controls_done = False, not controls
        self._settling = False
        try:
            start = time.perf_counter()
            action()
            handled = time.perf_counter()
            if not self.first_frame_done:
                self._timeout.start()
                self._loop.exec()
                self._timeout.stop()
            first = time.perf_counter()
            if not self.first_frame_done:
                raise TimeoutError(f"no repaint of slide {view + 1} within {WAIT_TIMEOUT_MS} ms")
            self._settling = True
            last, idle, frames = self._settle(first)
        finally:
            self._target = None
            self._settling = False

        def ms(t: float) -> float:
            return (t - start) * 1000.0

        return Sample(ms(last), ms(first), ms(handled), ms(idle), frames, view)

    def _settle(self, first: float) -> tuple[float, float, int]:
        """(end of the last repaint, when idle work was over, paint passes)."""
        last, frames = first, 1
        idle: float | None = None
        while True:
            now = time.perf_counter()
            if idle is None and not self._busy():
                idle = now
            if idle is not None and (now - last) * 1000.0 >= QUIET_MS:
                return last, idle, frames
            if (now - first) * 1000.0 > WAIT_TIMEOUT_MS:
                raise TimeoutError("the slide never stopped repainting")
            self._painted_again = False
            self._tick.start()  # at most 1 ms per turn, or until a watched paint pass ends
            self._loop.exec()
            self._tick.stop()
            if self._painted_again:
                last = time.perf_counter()
                frames += 1


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

    from taixin_kiosk.app.root import build, ensure_app
    from taixin_kiosk.app.startup import put_on_screen
    from taixin_kiosk.config.settings import Settings
    from taixin_kiosk.content.choice import choose

    app = ensure_app()
    built = build(Settings(motion=False), choose(None), app)
    window, stage, navigator = built.window, built.window.stage, built.navigator
    first: list[int] = []
    stage.current_view.painted.connect(first.append)
    put_on_screen(built)
    pump_until(app, lambda: bool(first), 30.0, "the first slide's first paint")

    # Every slide and chart built, as it is a moment after start-up.
    stage.prebuild()

    def prebuilt() -> bool:
        views = stage.built_views()
        return len(views) == stage.count and all(
            v.chart is not None or v.slide.chart is None for v in views)

    pump_until(app, prebuilt, 60.0, "Stage.prebuild() to finish")
    pump_for(app, 0.3)  # put_on_screen() schedules prebuild() 150 ms after showing
    settle(app, window)

    waiter = RepaintWaiter(app, built)
    count = stage.count

    def press(key: Qt.Key) -> Callable[[], None]:
        return lambda: QTest.keyClick(window, key)

    def step(key: Qt.Key) -> Sample:
        target = navigator.index + (1 if key == Qt.Key.Key_Right else -1)
        return waiter.run(press(key), target)

    def sweep(record: list[Sample] | None) -> None:
        for key in (Qt.Key.Key_Right, Qt.Key.Key_Left):
            for _ in range(count - 1):
                sample = step(key)
                if record is not None:
                    record.append(sample)

    sweep(None)  # warm pass: every slide painted once at full size
    switches: list[Sample] = []
    with Profiler(profile, "switch"):
        for _ in range(passes):
            sweep(switches)
    if navigator.index != 0:
        raise RuntimeError(f"the passes ended on slide {navigator.index + 1}, not 1")

    # Language toggle on every slide, both ways (e.g. zh-CN -> en -> zh-CN).
    start_locale = built.localizer.locale
    toggles: list[Sample] = []
    toggle_locales: list[str] = []
    with Profiler(profile, "toggle"):
        for index in range(count):
            if index:
                step(Qt.Key.Key_Right)
            for _ in range(len(built.localizer.locales)):
                toggles.append(waiter.run(press(Qt.Key.Key_L), index, controls=True))
                toggle_locales.append(built.localizer.locale)
    if built.localizer.locale != start_locale:
        raise RuntimeError(f"the toggles ended in {built.localizer.locale}, not {start_locale}")
    settle(app, window)

    def samples(name: str, taken: list[Sample]) -> dict[str, Any]:
        return {
            f"{name}_ms": [t.done for t in taken],
            f"{name}_first_frame_ms": [t.first_frame for t in taken],
            f"{name}_handle_ms": [t.handled for t in taken],
            f"{name}_idle_ms": [t.idle for t in taken],
            f"{name}_frames": [t.frames for t in taken],
            f"{name}_slide": [t.slide for t in taken],
            name: summary([t.done for t in taken]),
            f"{name}_first_frame": summary([t.first_frame for t in taken]),
            f"{name}_handle": summary([t.handled for t in taken]),
            f"{name}_idle": summary([t.idle for t in taken]),
        }

    emit({
        "slides": count,
        "locales": list(built.localizer.locales),
        "size": [stage.current_view.width(), stage.current_view.height()],
        "window": [window.width(), window.height()],
        "passes": passes,
        **samples("switch", switches),
        **samples("toggle", toggles),
        "toggle_to": toggle_locales,
        "rss_mb": rss_mb(),
    })
    built.shutdown()
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
