"""Where the app keeps its files: configuration, data, logs.

The platform's folders (platformdirs): on Windows under the user's AppData,
never under Program Files, so they survive upgrades; on Linux the XDG
folders. ``TAIXIN_KIOSK_HOME`` puts everything under one folder instead, for
a portable install on a USB stick and for tests.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

APP_NAME = "taixin-kiosk"
HOME_ENV = "TAIXIN_KIOSK_HOME"


class AppPaths(NamedTuple):
    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def packs_dir(self) -> Path:
        """Installed content packs (see ``content.packs``)."""
        return self.data_dir / "packs"

    @property
    def stats_db(self) -> Path:
        return self.data_dir / "stats.sqlite3"

    @property
    def state_dir(self) -> Path:
        """Small state files: restart counts, heartbeats, the instance lock."""
        return self.data_dir / "state"


def app_paths() -> AppPaths:
    """The folders for this user (created by whoever first writes to them)."""
    home = os.environ.get(HOME_ENV)
    if home:
        root = Path(home).expanduser()
        return AppPaths(root / "config", root / "data", root / "logs")
    import platformdirs  # only when asked: the presentation alone never needs it

    # appauthor=False: no vendor folder level on Windows.
    return AppPaths(
        Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
