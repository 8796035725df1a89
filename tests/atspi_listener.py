"""What a Linux screen reader hears: listens on the AT-SPI bus as Orca does.

    python tests/atspi_listener.py A11Y_BUS_ADDRESS

Registers (through the AT-SPI registry, in libatspi's spelling) for
announcements and focus changes, then prints one JSON line per event:
{"event": "announcement", "text": ..., "polite": true} or
{"event": "focus", "name": ..., "description": ...}, the name and
description read back from the application over D-Bus, as a reader would.
Used by tests/test_accessible.py's slow end-to-end test.
"""

from __future__ import annotations

import json
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Slot
from PySide6.QtDBus import QDBusConnection, QDBusInterface, QDBusMessage

EVENTS = ("Object:Announcement", "Object:StateChanged:Focused", "Focus:")


def _plain(value: object) -> object:
    variant = getattr(value, "variant", None)
    return variant() if callable(variant) else value


class Listener(QObject):
    def __init__(self, bus: QDBusConnection) -> None:
        super().__init__()
        self._bus = bus

    def _property(self, message: QDBusMessage, name: str) -> str:
        props = QDBusInterface(message.service(), message.path(),
                               "org.freedesktop.DBus.Properties", self._bus)
        reply = props.call("Get", "org.a11y.atspi.Accessible", name)
        values = [_plain(a) for a in reply.arguments()]
        return str(values[0]) if values else ""

    @Slot(QDBusMessage)
    def on_signal(self, message: QDBusMessage) -> None:
        args = [_plain(a) for a in message.arguments()]
        if message.member() == "Announcement":
            # (detail, politeness, 0, message): 1 is polite, 2 assertive.
            record = {"event": "announcement", "text": str(args[3]), "polite": args[1] == 1}
        elif message.member() == "StateChanged" and args and args[0] == "focused"\
                and args[1] == 1:
            record = {"event": "focus", "name": self._property(message, "Name"),
                      "description": self._property(message, "Description")}
        else:
            return
        print(json.dumps(record, ensure_ascii=False), flush=True)


def main(address: str) -> int:
    app = QCoreApplication([])
    bus = QDBusConnection.connectToBus(address, "a11y")
    if not bus.isConnected():
        print(json.dumps({"event": "error", "text": "no a11y bus"}), flush=True)
        return 1
    registry = QDBusInterface("org.a11y.atspi.Registry", "/org/a11y/atspi/registry",
                              "org.a11y.atspi.Registry", bus)
    for event in EVENTS:
        # A non-empty property list: an empty Python list would not marshal as "as".
        reply = registry.call("RegisterEvent", event, ["accessible-name"], "")
        if reply.type() == QDBusMessage.MessageType.ErrorMessage:
            registry.call("RegisterEvent", event)  # an older registry
    listener = Listener(bus)
    # The "1" is Qt's SLOT() marker.
    bus.connect("", "", "org.a11y.atspi.Event.Object", "", listener,
                "1on_signal(QDBusMessage)")
    print(json.dumps({"event": "ready"}), flush=True)
    QTimer.singleShot(120_000, app.quit)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
