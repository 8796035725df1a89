"""Staying up on an unattended machine: one instance, an awake display, a
supervisor that restarts the app after a crash or a hang, and start at logon.

Nothing here is imported at start-up unless kiosk mode asks for it; the
supervisor and autostart modules never import Qt, so a supervisor process
stays small.
"""
