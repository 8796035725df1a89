"""taixin-kiosk: a full-screen bilingual presentation kiosk."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # importlib.metadata costs tens of milliseconds at start-up; only
    # --version and diagnostics need the version, so look it up on demand.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("taixin-kiosk")
        except PackageNotFoundError:  # a source checkout that was never installed
            return "0.0.0+unknown"
    raise AttributeError(name)
