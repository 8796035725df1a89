"""Decoded pictures, shared by every slide: decoded ahead in background
threads, scaled down to the largest box they are drawn in."""

from __future__ import annotations

import _thread
import logging
import threading
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QImageReader

from taixin_kiosk.ui.layout.media import Box

log = logging.getLogger("taixin_kiosk.ui")

# How long a quitting app waits for a picture still being decoded.
QUIT_WAIT_S = 5.0


class ImageCache(QObject):
    """Decoded media, shared by every slide; a broken file is logged once.

    ``preload`` decodes in background threads (Qt releases the GIL while it
    decodes), so a large illustration does not hold up the first slide;
    a slide painted before its image is ready repaints on ``loaded``.
    ``preload(..., held=True)`` notes the pictures as coming but decodes
    them only from ``release()`` on (start-up: after the first frame).
    """

    loaded = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # QImage, not QPixmap: on the raster engine a pixmap is an image copy,
        # and the copy would double the memory of every picture.
        self._images: dict[str, QImage | None] = {}
        self._decoded: dict[str, QImage | None] = {}
        self._pending: set[str] = set()
        # Written by the decoding thread, read by the GUI thread; the thread
        # touches no QObject, so the cache may be deleted while it works.
        self._lock = threading.Lock()
        self._finished: list[str] = []
        # Noted as coming, not yet decoding (see release).
        self._held: dict[str, Box | None] = {}
        # Decoding threads still running, and the app's quit waiting for them.
        self._decoding = 0
        self._decoding_done = threading.Condition(self._lock)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._quitting)
        self._poll = QTimer(self)
        self._poll.setInterval(10)
        self._poll.timeout.connect(self._on_poll_timeout)

    def preload(self, requests: Mapping[str, Box | None], *, held: bool = False) -> None:
        """Starts decoding each path; one larger than its box (the largest it is
        drawn at) is scaled down to it, to save memory and per-paint scaling.

        ``held``: noted as coming (a paint leaves them out rather than
        decoding them itself), decoded from ``release()`` on."""
        todo = {p: box for p, box in requests.items()
                if p not in self._images and p not in self._pending}
        if not todo:
            return
        self._pending.update(todo)
        if held:
            self._held.update(todo)
            return
        self._decode(todo)

    def release(self) -> None:
        """Starts decoding what ``preload(..., held=True)`` noted."""
        todo, self._held = self._held, {}
        if todo:
            self._decode(todo)

    def _decode(self, todo: dict[str, Box | None]) -> None:
        with self._lock:
            self._decoding += 1
        # A bare thread: threading.Thread.start() waits for the thread to get
        # the GIL and run, which costs the first slide several milliseconds.
        _thread.start_new_thread(self._decode_all, (todo,))
        self._poll.start()

    def _decode_all(self, requests: dict[str, Box | None]) -> None:
        try:
            self._decode_each(requests)
        finally:
            with self._lock:
                self._decoding -= 1
                self._decoding_done.notify_all()

    def _decode_each(self, requests: dict[str, Box | None]) -> None:
        for path, box in requests.items():
            image = _read(path)
            if image is not None and box is not None and box[0] > 0 and box[1] > 0:
                fit = max if box[2] == "fill" else min
                factor = fit(box[0] / image.width(), box[1] / image.height())
                if factor < 1.0:
                    image = image.scaled(round(image.width() * factor),
                                         round(image.height() * factor),
                                         Qt.AspectRatioMode.IgnoreAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation)
            with self._lock:
                self._decoded[path] = image
                self._finished.append(path)

    def _quitting(self) -> None:
        """Lets a thread still decoding finish before the app ends: cut off
        inside Qt's image code by the interpreter's exit (a quit just after
        the start), it crashed or hung the process."""
        with self._decoding_done:
            self._decoding_done.wait_for(lambda: self._decoding == 0, timeout=QUIT_WAIT_S)

    def _on_poll_timeout(self) -> None:
        with self._lock:
            finished, self._finished = self._finished, []
        for path in finished:
            self.loaded.emit(path)
        if not (self._pending - set(self._images) - set(self._decoded)):
            self._poll.stop()

    @property
    def busy(self) -> bool:
        """Pictures are still decoding, or held (or their ``loaded`` is yet to be sent)."""
        return self._poll.isActive() or bool(self._held)

    def get(self, path: str) -> QImage | None:
        """The image, or None if it is broken or still being decoded."""
        if path in self._images:
            return self._images[path]
        with self._lock:
            if path in self._decoded:
                image = self._decoded.pop(path)
            elif path in self._pending:
                return None
            else:
                image = _read(path)
        self._pending.discard(path)
        self._images[path] = image
        return image


def _read(path: str) -> QImage | None:
    reader = QImageReader(path)
    image = reader.read()
    if image.isNull():
        log.error("cannot show image %s: %s", path, reader.errorString())
        return None
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)
