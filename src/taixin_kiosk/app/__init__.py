"""The composition root: builds the running app from its parts and wires them by name."""
