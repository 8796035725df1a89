"""Kiosk mode: an unattended touchscreen that stays up and lets only staff in."""
