"""The kiosk's monitoring metrics: the Prometheus text format over HTTP.

Only with ``metrics`` or ``metrics_address`` set (``kiosk.mode`` imports this
module then, and prometheus_client with it; a kiosk without metrics loads
neither and listens nowhere). The endpoint has its own registry, not the
library's global one, and serves from a daemon thread; an address that
cannot be listened on is logged and shown to staff, never a crash.

Every value is read when Prometheus asks (``KioskCollector.collect``, on the
server's thread): the content shown, the channel's last pulls, the restarts
the supervisor counted, the errors logged, the usage counted since start.
What only the GUI thread may ask Qt (is the window shown, full screen) is
written down once a second by a timer on that thread; how old that note is,
is the heartbeat's age: a hung event loop lets it grow.

No personal data: slide ids, languages, counts and times, the pack's id,
version and checksum. No addresses, paths, messages or anything typed.
"""

from __future__ import annotations

import logging
import platform
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from prometheus_client import CollectorRegistry
from prometheus_client.exposition import ThreadingWSGIServer, make_wsgi_app
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    Metric,
    SummaryMetricFamily,
)
from prometheus_client.registry import Collector
from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

import taixin_kiosk
from taixin_kiosk.config.values import parse_address
from taixin_kiosk.stats.counts import UsageCounts

if TYPE_CHECKING:
    from taixin_kiosk.core.language import Text
    from taixin_kiosk.core.session import Session
    from taixin_kiosk.kiosk.channel import ChannelFollower
    from taixin_kiosk.kiosk.window_guard import WindowGuard

log = logging.getLogger("taixin_kiosk.metrics")

# How often the GUI thread writes down what only it may ask Qt.
TICK_MS = 1000
P = "taixin_kiosk_"


class _Server(ThreadingWSGIServer):
    """prometheus_client's threaded WSGI server, bound as ``serve`` asks."""

    # Windows' SO_REUSEADDR lets a second program take a port in use; a port
    # in use must be refused there too.
    allow_reuse_address = sys.platform != "win32"


class _QuietHandler(WSGIRequestHandler):
    """Logs no request: not even the scraper's address goes to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class GuiNote:
    """What the GUI thread saw at its last tick (read from the server's thread)."""

    def __init__(self) -> None:
        self.at = time.monotonic()
        self.shown = False
        self.full_screen = False
        self.restores = 0


class KioskCollector(Collector):
    """Every metric, read fresh at each scrape."""

    def __init__(self, session: Session, note: GuiNote, *, state_dir: Path,
                 counts: UsageCounts | None, channel: ChannelFollower | None,
                 started: float) -> None:
        self.session = session
        self.note = note
        self.state_dir = state_dir
        self.counts = counts
        self.channel = channel
        self.started = started
        self.build = {"version": taixin_kiosk.__version__,
                      "python": platform.python_version(), "qt": pyside_version}

    def collect(self) -> Iterator[Metric]:
        yield from self._build()
        yield from self._window()
        yield from self._restarts()
        yield from self._channel()
        yield from self._usage()
        yield from self._errors()

    def _build(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(P + "build_info", "The app's version (always 1).",
                                 labels=list(self.build))
        info.add_metric(list(self.build.values()), 1)
        yield info
        yield GaugeMetricFamily(P + "start_time_seconds",
                                "When the app started (Unix time).", value=self.started)
        content = self.session.content
        pack = content.pack
        shown = GaugeMetricFamily(P + "content_info",
                                  "The content pack shown: id, version, checksum (always 1).",
                                  labels=["pack", "version", "checksum"])
        shown.add_metric([pack.deck.id, pack.deck.version, pack.checksum], 1)
        yield shown
        yield GaugeMetricFamily(
            P + "content_fallback",
            "1 when the content configured or installed could not be shown and other content is.",
            value=1 if content.requested is not None and content.problems else 0)

    def _window(self) -> Iterator[Metric]:
        note = self.note
        yield GaugeMetricFamily(P + "window_shown",
                                "1 while the kiosk's window is shown on its screen.",
                                value=1 if note.shown else 0)
        yield GaugeMetricFamily(P + "window_full_screen", "1 while the window is full screen.",
                                value=1 if note.full_screen else 0)
        yield CounterMetricFamily(P + "window_restores",
                                  "Times the window was put back (minimised, unmapped, ...).",
                                  value=note.restores)
        yield GaugeMetricFamily(
            P + "heartbeat_age_seconds",
            "Seconds since the app's event loop last turned (grows while it hangs).",
            value=max(0.0, time.monotonic() - note.at))

    def _restarts(self) -> Iterator[Metric]:
        from taixin_kiosk.system.supervisor import read_restarts

        record = read_restarts(self.state_dir)
        yield CounterMetricFamily(P + "restarts",
                                  "Restarts by the supervisor (crashes, hangs, a lost window).",
                                  value=record.total)
        if record.last_time is not None:
            yield GaugeMetricFamily(P + "last_restart_timestamp_seconds",
                                    "When the supervisor last restarted the app (Unix time).",
                                    value=record.last_time.timestamp())

    def _channel(self) -> Iterator[Metric]:
        follower = self.channel
        if follower is None:
            return
        yield GaugeMetricFamily(
            P + "channel_last_success_timestamp_seconds",
            "When the channel was last pulled successfully (Unix time; 0: not since start).",
            value=follower.last_ok or 0.0)
        yield GaugeMetricFamily(
            P + "channel_last_failure_timestamp_seconds",
            "When a pull of the content channel last failed (Unix time; 0: not since start).",
            value=follower.last_failed or 0.0)
        yield GaugeMetricFamily(P + "channel_pending",
                                "1 while new content waits for the next idle reset.",
                                value=1 if follower.pending else 0)
        last = follower.last
        outcome = GaugeMetricFamily(P + "channel_last_outcome",
                                    "The last pull's outcome, by its code (always 1).",
                                    labels=["channel", "outcome"])
        if last is not None:
            outcome.add_metric([self.session.settings.channel, last.code], 1)
        yield outcome

    def _usage(self) -> Iterator[Metric]:
        if self.counts is None:
            return
        usage = self.counts.totals()
        yield CounterMetricFamily(P + "idle_resets", "Idle resets after a visit.",
                                  value=usage.idle_resets)
        yield CounterMetricFamily(P + "attract_wakes", "Visitors waking the attract loop.",
                                  value=usage.attract_wakes)
        yield SummaryMetricFamily(P + "visit_seconds",
                                  "Visits (first input to the last) and their length.",
                                  count_value=usage.visits, sum_value=usage.visit_seconds)
        views = CounterMetricFamily(P + "slide_views", "Slides looked at, by slide and language.",
                                    labels=["slide", "locale"])
        dwell = SummaryMetricFamily(P + "slide_dwell_seconds",
                                    "Time spent on each slide, by slide and language.",
                                    labels=["slide", "locale"])
        for (slide, locale), count in sorted(usage.views.items()):
            views.add_metric([slide, locale], count)
            dwell.add_metric([slide, locale], count_value=count,
                             sum_value=usage.dwell.get((slide, locale), 0.0))
        yield views
        yield dwell
        languages = CounterMetricFamily(P + "language_choices",
                                        "Languages chosen by visitors.", labels=["locale"])
        for locale, count in sorted(usage.languages.items()):
            languages.add_metric([locale], count)
        yield languages

    def _errors(self) -> Iterator[Metric]:
        from taixin_kiosk.system.logs import error_counts

        errors = CounterMetricFamily(P + "errors", "Errors logged since start, by area.",
                                     labels=["area"])
        for area, count in sorted(error_counts().items()):
            errors.add_metric([area or "app"], count)
        yield errors


class KioskMetrics(QObject):
    """The metrics endpoint of one kiosk: ``start`` listens, ``stop`` closes."""

    def __init__(self, session: Session, window: QWidget, text: Text, address: str, *,
                 state_dir: Path, channel: ChannelFollower | None,
                 guard: Callable[[], WindowGuard | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.window = window
        self.text = text
        self.address = address
        self.guard = guard
        self.counts = UsageCounts()
        self.note = GuiNote()
        self.registry = CollectorRegistry(auto_describe=False)
        self.registry.register(KioskCollector(session, self.note, state_dir=state_dir,
                                              counts=self.counts, channel=channel,
                                              started=time.time()))
        # Why the endpoint is not served (the error, as the system says it).
        self.problem: str | None = None
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._tick = QTimer(self, interval=TICK_MS)
        self._tick.timeout.connect(self.look)

    @property
    def port(self) -> int | None:
        """The port listened on (the one the system chose for port 0), or None."""
        return None if self._server is None else int(self._server.server_address[1])

    def look(self, *_: object) -> None:
        """Writes down, on the GUI thread, what the server's thread may not ask Qt."""
        window, guard, note = self.window, self.guard(), self.note
        if guard is not None and guard.active:
            note.shown = guard.shown
            note.restores = guard.repairs
        else:
            note.shown = window.isVisible() and not window.isMinimized()
        note.full_screen = window.isFullScreen()
        note.at = time.monotonic()

    def start(self) -> bool:
        """Listens on the address; False (logged, and told to staff) when it cannot."""
        if self._server is not None:
            return True
        self.look()
        self._tick.start()
        parsed = parse_address(self.address)
        if parsed is None:  # the config check refuses such an address first
            return self._failed("not host:port")
        host, port = parsed
        try:
            import socket

            # The address family for the host (IPv4, IPv6), as http.server does it.
            family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                        flags=socket.AI_PASSIVE)[0][0]

            class Server(_Server):
                address_family = family

            server = make_server(host, port, make_wsgi_app(self.registry), Server,
                                 handler_class=_QuietHandler)
        except OSError as error:
            return self._failed(error.strerror or str(error))
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, name="metrics",
                                        daemon=True)
        self._thread.start()
        self.problem = None
        log.info("serving metrics at http://%s/metrics", self.address)
        return True

    def _failed(self, reason: str) -> bool:
        self.problem = reason
        log.error("no metrics: cannot listen on %s (%s)", self.address, reason)
        return False

    def stop(self) -> None:
        self._tick.stop()
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def lines(self) -> list[str]:
        """The staff panel's line about the endpoint."""
        if self.problem is not None:
            return [self.text("staff.info.metrics_failed", address=self.address,
                              reason=self.problem)]
        if self._server is None:
            return []
        return [self.text("staff.info.metrics", address=self.address)]
