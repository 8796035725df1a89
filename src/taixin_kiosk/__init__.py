"""taixin-kiosk: a full-screen bilingual presentation kiosk."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("taixin-kiosk")
except PackageNotFoundError:  # a source checkout that was never installed
    __version__ = "0.0.0+unknown"
