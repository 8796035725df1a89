"""Installed content packs: installing a folder or a zip safely, rolling back, listing."""
