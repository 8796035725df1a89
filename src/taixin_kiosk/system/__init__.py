"""The operating system: folders, log files, atomic files, locks, one instance, an
awake display, a supervisor that restarts a crashed or hung app, and start at logon.

The supervisor and autostart never import Qt, so a supervisor process stays small.
"""
