"""Start at logon: ``taixin-kiosk install-autostart`` / ``uninstall-autostart``.

Windows: a value in the user's Run key (what Task Manager lists under
Startup apps). Linux: an XDG autostart entry, or with ``systemd=True`` a
systemd user unit instead of it, never both, so the app never starts twice.
Everything is per user and needs no administrator rights. Installing again
rewrites only what changed; uninstalling removes whichever kind exists.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from taixin_kiosk.system.files import write_atomic
from taixin_kiosk.system.paths import APP_NAME
from taixin_kiosk.system.supervisor import SUPERVISE_FLAG, app_command

if TYPE_CHECKING:
    pass

RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = APP_NAME
DESKTOP_FILE = f"{APP_NAME}.desktop"
UNIT_NAME = f"{APP_NAME}.service"
TARGET = "graphical-session.target"

RUN, XDG, SYSTEMD = "run-key", "xdg-autostart", "systemd-user"

# (return code, message) of ``systemctl --user ARGS``; None: no systemctl.
Systemctl = Callable[[Sequence[str]], tuple[int, str] | None]


class Entry(NamedTuple):
    """One way the app is registered to start: its kind and where it lives."""

    kind: str  # RUN, XDG or SYSTEMD
    location: str


class SystemctlResult(NamedTuple):
    """How ``systemctl --user`` went: ``available`` False when it is missing."""

    available: bool
    ok: bool
    detail: str = ""


class AutostartResult(NamedTuple):
    installed: Entry | None  # the entry now in place (None after an uninstall)
    changed: bool  # False when it was already exactly so
    removed: tuple[Entry, ...] = ()
    systemctl: SystemctlResult | None = None  # None when systemd was not involved
    supported: bool = True  # False on a system with none of these mechanisms


# -- the command to register ---------------------------------------------------

def autostart_command(args: Sequence[str] = ("--kiosk", SUPERVISE_FLAG)) -> list[str]:
    """What to run at logon: this installation of the app with ``args``.

    python.exe would open a console window at every logon: pythonw.exe runs
    the same without one. An AppImage runs from a new mount point each
    time, so the AppImage file itself is what must be registered.
    """
    appimage = os.environ.get("APPIMAGE")
    if getattr(sys, "frozen", False) and appimage:
        return [appimage, *args]
    command = app_command(args)
    if sys.platform == "win32" and not getattr(sys, "frozen", False):
        exe = Path(command[0])
        windowless = exe.with_name("pythonw.exe")
        if exe.name.lower() == "python.exe" and windowless.is_file():
            command[0] = str(windowless)
    return command


# -- Linux: file contents -------------------------------------------------------

# Characters that make an Exec argument need quotes (Desktop Entry spec,
# "The Exec key").
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#`()")


def _escape_string(value: str) -> str:
    """Desktop Entry "string" escapes, applied to every value."""
    return (value.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
            .replace("\r", "\\r"))


def desktop_exec(command: Sequence[str]) -> str:
    """The Exec value for ``command``: each argument quoted when needed, ``%``
    doubled, then the string escapes on top (so a backslash in a quoted
    argument ends up as four)."""
    parts = []
    for arg in command:
        arg = arg.replace("%", "%%")
        if arg and not _EXEC_RESERVED.intersection(arg):
            parts.append(arg)
        else:
            parts.append('"' + re.sub(r'(["`$\\])', r"\\\1", arg) + '"')
    return _escape_string(" ".join(parts))


def _desktop_locale(locale: str) -> str:
    # Catalogues are named like zh-CN; desktop entries use zh_CN.
    return locale.replace("-", "_")


def _localized(key: str, texts: Mapping[str, str], default: str) -> list[str]:
    lines = [f"{key}={_escape_string(texts.get('en') or default)}"]
    for locale, text in sorted(texts.items()):
        if locale != "en" and text:
            lines.append(f"{key}[{_desktop_locale(locale)}]={_escape_string(text)}")
    return lines


def desktop_entry(command: Sequence[str], *, names: Mapping[str, str] | None = None,
                  comments: Mapping[str, str] | None = None,
                  icon: Path | None = None) -> str:
    """The XDG autostart entry. ``names`` and ``comments`` map catalogue
    locales (``en``, ``zh-CN``) to the texts a session's startup settings
    show; English is the untranslated default."""
    lines = ["[Desktop Entry]", "Type=Application", "Version=1.5"]
    lines += _localized("Name", names or {}, APP_NAME)
    if comments:
        lines += _localized("Comment", comments, "")
    lines.append(f"Exec={desktop_exec(command)}")
    if icon is not None:
        lines.append(f"Icon={_escape_string(str(icon))}")
    lines += ["Terminal=false", "X-GNOME-Autostart-enabled=true", ""]
    return "\n".join(lines)


def _systemd_arg(arg: str) -> str:
    # % starts a specifier and $ a variable, even inside quotes.
    arg = arg.replace("%", "%%").replace("$", "$$")
    if arg and arg != ";" and not re.search(r"[\s\"'\\]", arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_exec(command: Sequence[str]) -> str:
    return " ".join(_systemd_arg(arg) for arg in command)


def systemd_unit(command: Sequence[str], *, description: str = APP_NAME) -> str:
    """The user unit: started with the graphical session, restarted by systemd
    if it dies. Exit code 0 means staff ended the kiosk on purpose: that one
    is not undone until the next logon."""
    return "\n".join([
        "[Unit]",
        f"Description={' '.join(description.split())}",
        f"PartOf={TARGET}",
        f"After={TARGET}",
        "",
        "[Service]",
        "Type=simple",
        f"ExecStart={systemd_exec(command)}",
        "Restart=always",
        "RestartSec=2",
        "RestartPreventExitStatus=0",
        "",
        "[Install]",
        f"WantedBy={TARGET}",
        "",
    ])


# -- Linux: files and systemctl -----------------------------------------------

def config_home() -> Path:
    """$XDG_CONFIG_HOME, or ~/.config (the spec ignores a relative value)."""
    value = os.environ.get("XDG_CONFIG_HOME", "")
    return Path(value) if os.path.isabs(value) else Path.home() / ".config"


def desktop_path() -> Path:
    return config_home() / "autostart" / DESKTOP_FILE


def unit_path() -> Path:
    return config_home() / "systemd" / "user" / UNIT_NAME


def run_systemctl(args: Sequence[str]) -> tuple[int, str] | None:
    """``systemctl --user ARGS``: (return code, its message), or None when
    there is no systemctl."""
    exe = shutil.which("systemctl")
    if exe is None:
        return None
    try:
        done = subprocess.run([exe, "--user", *args], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        return 1, str(error)
    return done.returncode, (done.stderr.strip() or done.stdout.strip())


def _systemctl_steps(systemctl: Systemctl, steps: Sequence[Sequence[str]]) -> SystemctlResult:
    for step in steps:
        outcome = systemctl(step)
        if outcome is None:
            return SystemctlResult(available=False, ok=False)
        code, message = outcome
        if code != 0:
            return SystemctlResult(True, False, message or f"systemctl --user {' '.join(step)}: "
                                                           f"exit code {code}")
    return SystemctlResult(True, True)


def _write_if_changed(path: Path, text: str) -> bool:
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text)
    return True


def _remove_unit(systemctl: Systemctl) -> tuple[list[Entry], SystemctlResult | None]:
    unit = unit_path()
    if not unit.exists():
        return [], None
    result = _systemctl_steps(systemctl, [["disable", UNIT_NAME]])
    # What ``disable`` would have removed, in case it could not run: a link
    # left in a .wants folder would start a unit that no longer exists.
    for link in unit.parent.glob(f"*.wants/{UNIT_NAME}"):
        with contextlib.suppress(OSError):
            link.unlink()
    unit.unlink()
    if result.available:
        reload = _systemctl_steps(systemctl, [["daemon-reload"]])
        if result.ok and not reload.ok:
            result = reload
    return [Entry(SYSTEMD, str(unit))], result


def _remove_desktop() -> list[Entry]:
    path = desktop_path()
    if not path.exists():
        return []
    path.unlink()
    return [Entry(XDG, str(path))]


# -- Windows: the Run key -------------------------------------------------------

def _winreg(registry: ModuleType | None) -> ModuleType:
    if registry is not None:
        return registry
    if sys.platform == "win32":
        import winreg

        return winreg
    raise OSError("the Windows registry is only available on Windows")


def _run_location() -> str:
    return f"HKEY_CURRENT_USER\\{RUN_KEY}\\{RUN_VALUE}"


def _read_run(reg: ModuleType) -> str | None:
    try:
        with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_READ) as key:
            value, _kind = reg.QueryValueEx(key, RUN_VALUE)
    except FileNotFoundError:
        return None
    return value if isinstance(value, str) else None


# -- the operations ---------------------------------------------------------------

def is_linux(platform: str) -> bool:
    # The XDG and systemd user mechanisms are the same on the BSDs' desktops.
    return platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def install_autostart(command: list[str], *, systemd: bool = False,
                      names: Mapping[str, str] | None = None,
                      comments: Mapping[str, str] | None = None, icon: Path | None = None,
                      description: str = APP_NAME, platform: str | None = None,
                      registry: ModuleType | None = None,
                      systemctl: Systemctl = run_systemctl) -> AutostartResult:
    """Registers ``command`` to run when this user logs on. Raises OSError
    when the entry cannot be written; a missing or failing systemctl is
    reported in the result, not raised."""
    platform = platform or sys.platform
    if platform == "win32":
        reg = _winreg(registry)
        line = subprocess.list2cmdline(command)
        changed = _read_run(reg) != line
        if changed:
            with reg.CreateKeyEx(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
                reg.SetValueEx(key, RUN_VALUE, 0, reg.REG_SZ, line)
        return AutostartResult(Entry(RUN, _run_location()), changed)
    if not is_linux(platform):
        return AutostartResult(None, False, supported=False)
    if systemd:
        unit = unit_path()
        changed = _write_if_changed(unit, systemd_unit(command, description=description))
        removed = _remove_desktop()
        # Enabled again even when unchanged: someone may have disabled it.
        enabled = _systemctl_steps(systemctl, [["daemon-reload"], ["enable", UNIT_NAME]])
        return AutostartResult(Entry(SYSTEMD, str(unit)), changed, tuple(removed), enabled)
    path = desktop_path()
    changed = _write_if_changed(path, desktop_entry(command, names=names, comments=comments,
                                                    icon=icon))
    removed, result = _remove_unit(systemctl)
    return AutostartResult(Entry(XDG, str(path)), changed, tuple(removed), result)


def uninstall_autostart(*, platform: str | None = None, registry: ModuleType | None = None,
                        systemctl: Systemctl = run_systemctl) -> AutostartResult:
    """Removes every start-at-logon entry of the app; nothing there is fine."""
    platform = platform or sys.platform
    if platform == "win32":
        reg = _winreg(registry)
        if _read_run(reg) is None:
            return AutostartResult(None, False)
        with reg.OpenKey(reg.HKEY_CURRENT_USER, RUN_KEY, 0, reg.KEY_SET_VALUE) as key:
            reg.DeleteValue(key, RUN_VALUE)
        return AutostartResult(None, True, (Entry(RUN, _run_location()),))
    if not is_linux(platform):
        return AutostartResult(None, False, supported=False)
    removed = _remove_desktop()
    unit_removed, result = _remove_unit(systemctl)
    removed += unit_removed
    return AutostartResult(None, bool(removed), tuple(removed), result)


def autostart_status(*, platform: str | None = None,
                     registry: ModuleType | None = None) -> tuple[Entry, ...]:
    """The start-at-logon entries of the app that exist now."""
    platform = platform or sys.platform
    if platform == "win32":
        return (Entry(RUN, _run_location()),) if _read_run(_winreg(registry)) else ()
    if not is_linux(platform):
        return ()
    entries = []
    if desktop_path().exists():
        entries.append(Entry(XDG, str(desktop_path())))
    if unit_path().exists():
        entries.append(Entry(SYSTEMD, str(unit_path())))
    return tuple(entries)
