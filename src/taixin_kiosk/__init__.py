"""taixin-kiosk: a full-screen bilingual presentation kiosk."""

# The one place the version is written: pyproject.toml reads it from here
# (hatch's dynamic version), and reading it costs nothing at run time, where
# importlib.metadata would cost tens of milliseconds.
__version__ = "0.1.0"
