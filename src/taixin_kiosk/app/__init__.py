"""The composition root: builds the running app from its parts and wires them by name."""

# First, before any of the app's Qt modules: PySide6 with its import hook
# made cheap (app.qt_first says why).
import taixin_kiosk.app.qt_first  # noqa: F401
