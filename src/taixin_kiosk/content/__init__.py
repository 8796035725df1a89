"""The content, in plain Python: the deck model, validation, packs and the built-in pack.

Nothing here imports Qt, pyqtgraph or PIL (an import-linter contract in
pyproject.toml enforces it), so the validator runs without a display."""
