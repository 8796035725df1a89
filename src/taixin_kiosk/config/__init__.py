"""The configuration, in plain Python: the settings declared once, the config file, the PIN."""
