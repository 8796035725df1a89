"""Presenter mode: audience window on the projector, console with notes and timer."""
