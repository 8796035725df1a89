"""``taixin-kiosk --self-test REPORT``: does this installation really work?

Run by the build (on the frozen app, on Linux and under Wine) and by IT staff
after an install. It builds the real window offscreen, loads the fonts, the
catalogues, every picture and the charts, renders every slide in every
language, and writes what it found to REPORT as JSON. A windowed Windows exe
has no console, so the report file is the only output; it is pure ASCII
because a Windows console's code page cannot print Chinese.

Exit status: 0 every check passed, 1 a check failed, 3 the watchdog ended a
self-test that hung.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from taixin_kiosk.system.files import write_atomic

if TYPE_CHECKING:
    from taixin_kiosk.core.session import Audience, Session

EXIT_OK, EXIT_FAILED, EXIT_HUNG = 0, 1, 3
# Rendering 19 slides in two languages takes a few seconds; under Wine or on a
# slow hall PC several times that. Past this the run is stuck, not slow.
WATCHDOG_S = 300.0
SIZE = (1280, 720)


class Report:
    """The checks so far; written whole, atomically, whenever asked."""

    def __init__(self, path: Path) -> None:
        import taixin_kiosk

        self.path = path
        self.started = time.monotonic()
        self.data: dict[str, Any] = {
            "ok": False,
            "version": taixin_kiosk.__version__,
            "frozen": bool(getattr(sys, "frozen", False)),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "checks": [],
        }
        self._lock = threading.Lock()

    def check(self, name: str, ok: bool, detail: str = "", **extra: object) -> bool:
        with self._lock:
            self.data["checks"].append({"name": name, "ok": bool(ok), "detail": detail,
                                        **extra})
        return ok

    def write(self, **fields: object) -> None:
        with self._lock:
            self.data.update(fields)
            self.data["elapsed_s"] = round(time.monotonic() - self.started, 2)
            text = json.dumps(self.data, ensure_ascii=True, indent=1, default=str)
        write_atomic(self.path, text + "\n", encoding="ascii")


def _watchdog(report: Report, seconds: float) -> threading.Timer:
    def fire() -> None:
        try:
            report.write(ok=False, error=f"watchdog: no result after {seconds:.0f} s")
        finally:
            os._exit(EXIT_HUNG)

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    return timer


def run(report_path: Path, *, watchdog_s: float = WATCHDOG_S) -> int:
    # Offscreen whatever the environment says: Wine drops QT_* variables, and
    # a self-test must not open a window on an IT technician's desktop.
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    report_path = report_path.expanduser().resolve()
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report = Report(report_path)
    timer = _watchdog(report, watchdog_s)
    try:
        ok = _run_checks(report)
        report.write(ok=ok)
        return EXIT_OK if ok else EXIT_FAILED
    except Exception as error:  # the report says what broke; the exit code says that it did
        report.check("unexpected error", False, f"{type(error).__name__}: {error}")
        report.write(ok=False, error=traceback.format_exc())
        return EXIT_FAILED
    finally:
        timer.cancel()


def _run_checks(report: Report) -> bool:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    report.data["qt"] = qVersion()
    report.data["pyside6"] = pyside_version
    from taixin_kiosk.app.root import build, ensure_app
    from taixin_kiosk.config.settings import Settings
    from taixin_kiosk.content.builtin import find_builtin
    from taixin_kiosk.content.choice import ContentChoice
    from taixin_kiosk.content.problems import errors_in
    from taixin_kiosk.content.validate import validate

    builtin = find_builtin()
    report.data["content_folder"] = str(builtin.assets)
    # Every check the validator has: picture checksums and pixels included.
    result = validate(None)
    errors = errors_in(result.problems)
    if not report.check("built-in content", result.pack is not None and not errors,
                        f"problems: {len(result.problems)}",
                        problems=[f"{p.file}: {p.path}: {p.code} {dict(p.params)}"
                                  for p in errors[:20]]):
        return False
    pack = result.pack
    assert pack is not None
    report.check("languages", len(pack.locales) >= 2, ", ".join(pack.locales))

    app = ensure_app([sys.argv[0]])
    report.check("qt platform", app.platformName() == "offscreen", app.platformName())
    built = build(Settings(windowed=True, motion=False), ContentChoice(pack),
                  preload_images=False)
    try:
        window = built.window
        window.resize(*SIZE)
        window.show()
        app.processEvents()
        built.bind_input()
        ok = report.check("window", window.isVisible() and window.width() == SIZE[0],
                          f"{window.width()}x{window.height()}")
        return _check_running_app(report, built.session) and ok
    finally:
        built.shutdown()
        app.processEvents()


def _check_running_app(report: Report, session: Session) -> bool:
    from PySide6.QtGui import QFont, QFontDatabase, QRawFont

    audience = session.audience
    assert audience is not None
    family = audience.font_family()
    families = QFontDatabase.families()
    ok = report.check("font registered", family in families, family)
    # The bundled fonts and the pack's own, not the system's fallbacks: a
    # hall PC's fonts are unknown, and a missing glyph shows as an empty box.
    from taixin_kiosk.ui.fonts import families_for
    from taixin_kiosk.ui.theme import cjk

    raws: dict[str, QRawFont] = {}

    def drawn(ch: str, locale: str) -> bool:
        for name in families_for(locale, family, cjk=cjk(locale)):
            raw = raws.get(name) or raws.setdefault(name, QRawFont.fromFont(QFont(name)))
            if raw.supportsCharacter(ord(ch)):
                return True
        return False

    pack = session.content.pack
    missing = sorted({ch for loc in pack.locales for key in pack.catalogue(loc).strings
                      for ch in pack.catalogue(loc).text(key)
                      if not ch.isspace() and not drawn(ch, loc)})
    ok &= report.check("glyphs for every catalogue character", not missing,
                       f"missing: {len(missing)}",
                       missing=[f"U+{ord(ch):04X}" for ch in missing[:20]])

    rendered, problems = _render_every_slide(session, audience)
    report.data["slides_rendered"] = rendered
    ok &= report.check("every slide rendered in every language", not problems,
                       f"rendered: {rendered}", problems=problems[:40])
    charts = audience.chart_count()
    # pyqtgraph loads only for the kinds drawn with it (see ui/charts/kit.py).
    from taixin_kiosk.ui.charts.kit import needs_pyqtgraph

    plotted = any(s.chart is not None and needs_pyqtgraph(s.chart) for s in pack.deck.slides)
    ok &= report.check("charts built",
                       bool(charts) and (not plotted or "pyqtgraph" in sys.modules),
                       f"charts: {charts}")
    return bool(ok)


def _render_every_slide(session: Session, audience: Audience) -> tuple[int, list[str]]:
    """Each slide, in each language, laid out and painted as on screen."""
    problems: list[str] = []
    rendered = 0
    for locale in session.localizer.locales:
        session.localizer.set_locale(locale)
        for index, slide in enumerate(session.content.pack.deck.slides):
            session.navigator.go(index)
            audience.finish_slide()
            problems.extend(f"{locale} {slide.id}: {problem}"
                            for problem in audience.slide_problems())
            rendered += 1
    return rendered, problems
