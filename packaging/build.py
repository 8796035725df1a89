"""Builds the one-folder app for this platform: ``dist/taixin-kiosk/``.

    python packaging/build.py [--dist DIR] [--work DIR]

Run it with the Python of the environment the app is installed in (from a
clean clone: ``sh tools/setup.sh``, then ``.venv/bin/python
packaging/build.py``). PyInstaller is installed first when it is missing or
not the version pinned in pyproject.toml's ``package`` extra, so every build
uses the hooks it was checked with; on Debian, Python's shared library
(``libpythonX.Y``) is installed too when missing. Prints the folder's size.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "taixin-kiosk.spec"
NAME = "taixin-kiosk"


def pinned_pyinstaller(pyproject: Path = ROOT / "pyproject.toml") -> str:
    """The ``pyinstaller==X`` requirement of the ``package`` extra."""
    extras = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"][
        "optional-dependencies"]
    for requirement in extras["package"]:
        if re.match(r"^pyinstaller\s*==", requirement, re.IGNORECASE):
            return str(requirement)
    raise LookupError("pyproject.toml: no pyinstaller==... in the package extra")


def ensure_pyinstaller() -> None:
    requirement = pinned_pyinstaller()
    wanted = requirement.split("==", 1)[1].strip()
    try:
        installed = importlib.metadata.version("pyinstaller")
    except importlib.metadata.PackageNotFoundError:
        installed = None
    if installed != wanted:
        print(f"Installing {requirement} (found {installed or 'none'})", flush=True)
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", requirement], check=True)
        # This process imports PyInstaller next: let it see the new package.
        importlib.invalidate_caches()


def ensure_shared_libpython() -> None:
    """PyInstaller ships Python's shared library, which Debian's ``python3``
    does not install (its interpreter is linked statically): install the
    matching ``libpythonX.Y`` the way tools/setup.sh installs Qt's libraries."""
    if not sys.platform.startswith("linux"):
        return
    from PyInstaller.depend.bindepend import get_python_library_path

    if get_python_library_path():
        return
    package = f"libpython{sys.version_info.major}.{sys.version_info.minor}"
    if not (shutil.which("apt-get") and shutil.which("dpkg")):
        raise SystemExit(f"PyInstaller needs Python's shared library ({package}.so): "
                         "install it, or use a Python built with --enable-shared")
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"Installing {package} (Python's shared library, which PyInstaller ships)",
          flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", package], check=True, env=env)


def folder_size(folder: Path) -> int:
    """Bytes on disk as ``du`` counts them: symbolic links count once, as links."""
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            total += (Path(dirpath) / name).lstat().st_size
    return total


def build(dist: Path, work: Path) -> Path:
    """Runs PyInstaller on the spec and returns the one-folder app's path."""
    ensure_pyinstaller()
    ensure_shared_libpython()
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        check=True, cwd=ROOT)
    app = dist / NAME
    print(f"Built {app} in {time.monotonic() - started:.0f} s: "
          f"{folder_size(app) / 1_048_576:.1f} MB")
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the app folder goes (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's work folder, also where the icon and the "
                             "version resource are generated (default: build/pyinstaller/)")
    args = parser.parse_args(argv)
    build(args.dist.resolve(), args.work.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
