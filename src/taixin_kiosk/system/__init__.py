"""The operating system: folders, logs, atomic files, locks, one instance, start at logon.

Also an awake display and a supervisor that restarts a crashed or hung app.
The supervisor and autostart never import Qt, so a supervisor process stays small.
"""
