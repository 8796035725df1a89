"""The signed content channel (The Update Framework): publishing packs to a repository folder, and a kiosk pulling the newest one."""
