"""The system's commands: ``install-autostart``, ``uninstall-autostart`` and
``--supervise`` (their messages; the work is in ``autostart`` and ``supervisor``)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, NamedTuple

from taixin_kiosk.system.autostart import (
    RUN,
    SYSTEMD,
    TARGET,
    UNIT_NAME,
    SystemctlResult,
    install_autostart,
    is_linux,
    run_systemctl,
    uninstall_autostart,
)
from taixin_kiosk.system.supervisor import (
    HANG,
    RESTARTS_FILE,
    START_FAILED,
    WINDOW,
    RestartEvent,
    child_command,
    display_command,
    read_restarts,
    supervise,
)

if TYPE_CHECKING:
    from taixin_kiosk.content.catalogue import Catalogue
    from taixin_kiosk.system.autostart import Systemctl


def _print_systemctl(cat: Catalogue, result: SystemctlResult | None, *, installing: bool) -> None:
    if result is None:
        return
    if not result.available:
        if installing:
            print(cat.text("cli.autostart.systemctl_missing", unit=UNIT_NAME), file=sys.stderr)
    elif not result.ok:
        key = ("cli.autostart.systemctl_failed" if installing
               else "cli.autostart.systemctl_disable_failed")
        print(cat.text(key, unit=UNIT_NAME, reason=result.detail), file=sys.stderr)
    elif installing:
        print(cat.text("cli.autostart.systemctl_enabled", unit=UNIT_NAME, target=TARGET))


def _print_error(cat: Catalogue, error: OSError) -> None:
    print(cat.text("cli.autostart.error", location=error.filename or "",
                   reason=error.strerror or str(error)), file=sys.stderr)


class EntryTexts(NamedTuple):
    """What a start-at-logon entry shows where it is listed: its name and
    comment in every language (locale -> text), and the app's icon."""

    names: Mapping[str, str]
    comments: Mapping[str, str]
    icon: Path | None


def cmd_install_autostart(cat: Catalogue, command: list[str], *, systemd: bool,
                          entry: EntryTexts, platform: str | None = None,
                          registry: ModuleType | None = None,
                          systemctl: Systemctl = run_systemctl) -> int:
    """``taixin-kiosk install-autostart [--systemd]``; ``command`` is what to
    run at logon (``autostart_command()`` gives the usual one)."""
    platform = platform or sys.platform
    if systemd and not is_linux(platform):
        print(cat.text("cli.autostart.systemd_ignored"), file=sys.stderr)
    try:
        result = install_autostart(
            command, systemd=systemd, names=entry.names, comments=entry.comments,
            icon=entry.icon,
            description=cat.text("cli.autostart.entry_name"), platform=platform,
            registry=registry, systemctl=systemctl)
    except OSError as error:
        _print_error(cat, error)
        return 1
    if not result.supported or result.installed is None:
        print(cat.text("cli.autostart.unsupported", platform=platform), file=sys.stderr)
        return 1
    for removed in result.removed:
        print(cat.text("cli.autostart.removed", location=removed.location))
    installed = result.installed
    shown = display_command(command, platform=platform)
    if not result.changed:
        print(cat.text("cli.autostart.unchanged", location=installed.location, command=shown))
    elif installed.kind == RUN:
        print(cat.text("cli.autostart.installed_run", location=installed.location, command=shown))
    elif installed.kind == SYSTEMD:
        print(cat.text("cli.autostart.installed_systemd", location=installed.location,
                       command=shown, unit=UNIT_NAME))
    else:
        print(cat.text("cli.autostart.installed_xdg", location=installed.location, command=shown))
    _print_systemctl(cat, result.systemctl, installing=result.installed.kind == SYSTEMD)
    return 0


def cmd_uninstall_autostart(cat: Catalogue, *, platform: str | None = None,
                            registry: ModuleType | None = None,
                            systemctl: Systemctl = run_systemctl) -> int:
    """``taixin-kiosk uninstall-autostart``."""
    platform = platform or sys.platform
    try:
        result = uninstall_autostart(platform=platform, registry=registry, systemctl=systemctl)
    except OSError as error:
        _print_error(cat, error)
        return 1
    if not result.supported:
        print(cat.text("cli.autostart.unsupported", platform=platform), file=sys.stderr)
        return 1
    if not result.removed:
        print(cat.text("cli.autostart.nothing"))
        return 0
    for entry in result.removed:
        print(cat.text("cli.autostart.removed", location=entry.location))
    _print_systemctl(cat, result.systemctl, installing=False)
    return 0


def cmd_supervise(cat: Catalogue, child_args: Sequence[str], state_dir: Path, *,
                  hang_seconds: float = 3.0,
                  record: Callable[[str, int | None], None] | None = None,
                  kiosk: bool = False) -> int:
    """``taixin-kiosk --kiosk --supervise``: runs the app under the supervisor.

    ``child_args`` are the app's own arguments (``--supervise`` is dropped).
    ``record`` gets each restart's reason and exit code as the supervisor saw
    it (the usage statistics: a child killed before it could record anything
    is still counted, and counted once). ``kiosk``: the app runs in kiosk
    mode, so a usage error is restarted too (``supervise``).
    """
    command = child_command(child_args)
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        print(cat.text("cli.supervise.no_state_dir", folder=str(state_dir),
                       reason=error.strerror or str(error)), file=sys.stderr)
        return 1
    print(cat.text("cli.supervise.start", command=display_command(command),
                   restarts=read_restarts(state_dir).total), file=sys.stderr, flush=True)

    def announce(event: RestartEvent) -> None:
        if record is not None:
            record(event.reason, event.exit_code)
        if event.reason == HANG:
            key = "cli.supervise.restart_hang"
        elif event.reason == WINDOW:
            key = "cli.supervise.restart_window"
        elif event.reason == START_FAILED:
            key = "cli.supervise.restart_start_failed"
        else:
            key = "cli.supervise.restart_crash"
        print(cat.text(key, code=event.exit_code, count=event.number, total=event.total,
                       seconds=f"{event.delay:.1f}"), file=sys.stderr, flush=True)

    code = supervise(command, state_dir, hang_seconds=hang_seconds, on_restart=announce,
                     kiosk=kiosk)
    print(cat.text("cli.supervise.stopped", restarts=read_restarts(state_dir).total,
                   file=str(state_dir / RESTARTS_FILE)), file=sys.stderr)
    return code
