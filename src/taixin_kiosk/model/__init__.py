"""The plain-Python content model: deck, catalogues, validation.

Nothing here imports Qt, pyqtgraph or PIL (ruff's banned-api enforces it), so
the validator runs without a display and the model is testable on its own.
"""
