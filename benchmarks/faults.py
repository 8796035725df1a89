"""Fault drill: a supervised kiosk under X11, attacked as a hall technician would.

    python benchmarks/faults.py [--only NAME[,NAME...]] [--size WxH] [--json FILE]

Each fault gets a fresh home (``--home``): a config with ``kiosk = true`` and a
PIN, the test pack installed over the built-in content, and then the real
``python -m taixin_kiosk --kiosk --supervise --home HOME`` under Xvfb and a
window manager (the same X server set-up as ``benchmarks/run.py``). Once a
slide is on screen the fault is applied and the drill measures, as a visitor
would see it:

- **recovered**: a slide is visible again within ``RECOVER_WITHIN_S`` (the
  kiosk's window mapped, full screen, covering the screen, and the screen's
  pixels not black);
- **seconds**: from the fault to that visible slide (0 when it never went away);
- **locked**: after recovery Esc, Ctrl+Q and Alt+F4 leave the kiosk on screen;
- **lost**: what differs from before the fault that should not (the pack
  shown, the PIN hash the kiosk uses, the statistics' restart and visit
  records only growing, the content's files).

Prints a table and one ``RESULT {json}`` line; exits 1 when a fault is not
recovered, not locked or lost something. tests/test_faults.py runs it (slow).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from run import BenchError, XServer, parse_size, probe_env, x_server  # benchmarks/ is the folder

ROOT = Path(__file__).resolve().parent.parent
PACK = ROOT / "tests" / "packs" / "grand-canal"
MARKER = "RESULT "
RECOVER_WITHIN_S = 10.0
FIRST_SLIDE_WITHIN_S = 60.0
POLL_S = 0.2
# A drill PIN that the weak-PIN rule accepts (not one digit repeated, not a run).
PIN = "2580"


# -- looking at the screen -------------------------------------------------------


@dataclass
class Screen:
    env: dict[str, str]
    size: tuple[int, int]

    def run(self, *args: str, timeout: float = 10.0) -> str:
        try:
            return subprocess.run(list(args), env=self.env, capture_output=True, text=True,
                                  timeout=timeout).stdout
        except (subprocess.TimeoutExpired, FileNotFoundError):
            return ""

    def windows(self, pids: set[int]) -> list[int]:
        """The mapped top-level windows of these processes."""
        found: list[int] = []
        for pid in pids:
            out = self.run("xdotool", "search", "--onlyvisible", "--pid", str(pid))
            found += [int(w) for w in out.split() if w.isdigit()]
        return found

    def full_screen(self, window: int) -> bool:
        state = self.run("xprop", "-id", str(window), "_NET_WM_STATE")
        info = self.run("xwininfo", "-id", str(window))
        fields = dict(line.strip().split(":", 1) for line in info.splitlines()
                      if ":" in line and line.startswith("  "))
        try:
            x = int(fields["Absolute upper-left X"])
            y = int(fields["Absolute upper-left Y"])
            w, h = int(fields["Width"]), int(fields["Height"])
        except (KeyError, ValueError):
            return False
        covers = (x, y) == (0, 0) and (w, h) == self.size
        return "_NET_WM_STATE_FULLSCREEN" in state and covers \
            and "IsViewable" in fields.get("Map State", "")

    def lit_share(self) -> float:
        """The share of screen pixels that are not black (a slide is never black)."""
        raw, bytes_per_pixel = _grab_root(self.env["DISPLAY"], self.size)
        pixels = len(raw) // bytes_per_pixel
        if pixels == 0:
            return 0.0
        step = 997  # a prime stride samples the whole screen evenly
        samples = range(0, pixels, step)
        lit = sum(1 for i in samples
                  if max(raw[bytes_per_pixel * i:bytes_per_pixel * i + 3]) > 12)
        return lit / len(samples)

    def slide_visible(self, pids: set[int]) -> bool:
        windows = self.windows(pids)
        return any(self.full_screen(w) for w in windows) and self.lit_share() > 0.5


class _XImage(ctypes.Structure):
    # The leading fields of Xlib's XImage, up to the ones read here.
    _fields_ = [("width", ctypes.c_int), ("height", ctypes.c_int), ("xoffset", ctypes.c_int),
                ("format", ctypes.c_int), ("data", ctypes.POINTER(ctypes.c_ubyte)),
                ("byte_order", ctypes.c_int), ("bitmap_unit", ctypes.c_int),
                ("bitmap_bit_order", ctypes.c_int), ("bitmap_pad", ctypes.c_int),
                ("depth", ctypes.c_int), ("bytes_per_line", ctypes.c_int),
                ("bits_per_pixel", ctypes.c_int)]


def _xlib() -> ctypes.CDLL:
    lib = ctypes.CDLL("libX11.so.6")
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    lib.XGetImage.restype = ctypes.POINTER(_XImage)
    lib.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_int,
                              ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong, ctypes.c_int]
    lib.XDestroyImage.argtypes = [ctypes.POINTER(_XImage)]
    lib.XDestroyWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    lib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return lib


def _grab_root(display_name: str, size: tuple[int, int]) -> tuple[bytes, int]:
    """The root window's pixels (what the screen shows) straight from the X
    server, without ImageMagick: (bytes, bytes per pixel)."""
    lib = _xlib()
    display = lib.XOpenDisplay(display_name.encode())
    if not display:
        return b"", 4
    try:
        z_pixmap, all_planes = 2, 0xFFFFFFFF
        image = lib.XGetImage(display, lib.XDefaultRootWindow(display), 0, 0, size[0], size[1],
                              all_planes, z_pixmap)
        if not image:
            return b"", 4
        try:
            info = image.contents
            length = info.bytes_per_line * info.height
            return ctypes.string_at(info.data, length), max(1, info.bits_per_pixel // 8)
        finally:
            lib.XDestroyImage(image)
    finally:
        lib.XCloseDisplay(display)


# -- one supervised kiosk ---------------------------------------------------------


@dataclass
class Kiosk:
    home: Path
    screen: Screen
    proc: subprocess.Popen[bytes] | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.home / "drill.log"

    def env(self) -> dict[str, str]:
        env = dict(self.screen.env)
        env["TAIXIN_KIOSK_HOME"] = str(self.home)
        return env

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "taixin_kiosk", *args, "--home", str(self.home)],
            env=self.env(), capture_output=True, text=True, timeout=300)

    def start(self, extra_env: dict[str, str] | None = None) -> None:
        env = self.env()
        env.update(extra_env or {})
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "taixin_kiosk", "--kiosk", "--supervise",
                 "--home", str(self.home)],
                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)

    def children(self) -> set[int]:
        """The supervisor's child processes (the app), found through /proc."""
        if self.proc is None:
            return set()
        kids: set[int] = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, ValueError, IndexError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.proc.pid:
                    kids.add(int(stat.parent.name))
        return kids

    def app_pids(self) -> set[int]:
        return self.children() | ({self.proc.pid} if self.proc else set())

    def wait_visible(self, within: float) -> float | None:
        """Seconds until a slide is visible, or None."""
        start = time.monotonic()
        while time.monotonic() - start < within:
            if self.screen.slide_visible(self.app_pids()):
                return time.monotonic() - start
            time.sleep(POLL_S)
        return None

    def stop(self) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)
        for pid in self.children():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.proc = None

    def window(self) -> int | None:
        windows = self.screen.windows(self.children())
        return windows[0] if windows else None


# -- what must not be lost --------------------------------------------------------


def records(home: Path) -> dict[str, Any]:
    """What the kiosk keeps that a fault must not take away."""
    from taixin_kiosk.config.load import load_config

    out: dict[str, Any] = {}
    packs = subprocess.run([sys.executable, "-m", "taixin_kiosk", "list-packs",
                            "--home", str(home)], capture_output=True, text=True,
                           env={**os.environ, "TAIXIN_KIOSK_HOME": str(home)}, timeout=60)
    out["packs"] = packs.stdout.strip()
    with contextlib.suppress(Exception):
        config = load_config(home / "config" / "config.toml")
        out["pin"] = config.settings.pin
    db = home / "data" / "stats.sqlite3"
    # (id, time): SQLite gives a deleted row's id to the next row once all
    # rows after it are gone, so an id alone does not show a deletion.
    events: list[list[float]] = []
    if db.exists():
        with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(db)) as con:
            events = [[row[0], row[1]] for row in con.execute("SELECT id, ts FROM events")]
    out["stats_events"] = events
    return out


def lost(before: dict[str, Any], after: dict[str, Any], *, packs_changed: bool = False
         ) -> list[str]:
    problems: list[str] = []
    if not packs_changed and before.get("packs") != after.get("packs"):
        problems.append("installed packs changed")
    if before.get("pin") != after.get("pin"):
        problems.append("PIN changed")
    gone = ({tuple(e) for e in before.get("stats_events", [])}
            - {tuple(e) for e in after.get("stats_events", [])})
    if gone:
        problems.append(f"{len(gone)} statistics events deleted")
    return problems


# -- faults -----------------------------------------------------------------------


class Skipped(Exception):
    """This machine cannot stage the fault (no root for a small disk)."""


@dataclass
class Outcome:
    fault: str
    recovered: bool
    seconds: float | None
    locked: bool | None
    lost: list[str]
    note: str = ""
    skipped: bool = False


def _x11_destroy(env: dict[str, str], window: int) -> None:
    """XDestroyWindow on the kiosk's window, as another client may do."""
    lib = _xlib()
    display = lib.XOpenDisplay(env["DISPLAY"].encode())
    if not display:
        raise BenchError("cannot open the X display to destroy a window")
    lib.XDestroyWindow(display, window)
    lib.XSync(display, 0)
    lib.XCloseDisplay(display)


def _signal_app(kiosk: Kiosk, sig: signal.Signals) -> str:
    kids = kiosk.children()
    for pid in kids:
        os.kill(pid, sig)
    return f"{sig.name} to {len(kids)} process(es)"


def _window_op(kiosk: Kiosk, *args: str) -> str:
    window = kiosk.window()
    if window is None:
        return "no window found"
    kiosk.screen.run(*[a.replace("{w}", str(window)) for a in args])
    return ""


def _move_off_screen(kiosk: Kiosk) -> str:
    """Moves the window manager's frame around the window off the screen:
    matchbox refuses to move a managed window itself, and a frame moved
    behind its back moves the window without Qt being told."""
    window = kiosk.window()
    if window is None:
        return "no window found"
    tree = kiosk.screen.run("xwininfo", "-id", str(window), "-tree")
    found = re.search(r"Parent window id: (0x[0-9a-f]+)(?! \(the root)", tree)
    target = str(int(found.group(1), 16)) if found else str(window)
    kiosk.screen.run("xdotool", "windowmove", target, "3000", "3000")
    return "" if found else "moved the window (no frame found)"


def _destroy(kiosk: Kiosk) -> str:
    window = kiosk.window()
    if window is None:
        return "no window found"
    _x11_destroy(kiosk.screen.env, window)
    return ""


def _config_then_restart(text: str) -> Callable[[Kiosk], str]:
    def apply(kiosk: Kiosk) -> str:
        config = kiosk.home / "config" / "config.toml"
        config.write_text(config.read_text() + text, encoding="utf-8")
        return _signal_app(kiosk, signal.SIGKILL)
    return apply


def _keys(kiosk: Kiosk) -> str:
    for key in ("Escape", "ctrl+q", "alt+F4"):
        kiosk.screen.run("xdotool", "key", key)
        time.sleep(0.5)
    return ""


def _make_pack(work: Path, name: str, *, slides: int = 0, version: str = "0.2.0") -> Path:
    """A copy of the test pack with a new version, optionally with many more
    slides (copies of one quote slide: a large but valid pack)."""
    pack = work / name
    if pack.exists():
        shutil.rmtree(pack)
    shutil.copytree(PACK, pack)
    deck_file = pack / "deck.json"
    deck = json.loads(deck_file.read_text(encoding="utf-8"))
    deck["version"] = version
    if slides:
        quote = next(s for s in deck["slides"] if s.get("type") == "quote")
        deck["slides"] += [{**quote, "id": f"{quote['id']}-{i:06d}"} for i in range(slides)]
    deck_file.write_text(json.dumps(deck), encoding="utf-8")
    return pack


def _restart_app(kiosk: Kiosk, note: str) -> str:
    """The next start meets the fault's aftermath: end the app (a power cut,
    an update, a crash) and let the supervisor start it again."""
    return f"{note}; {_signal_app(kiosk, signal.SIGKILL)}"


def _huge_pack(kiosk: Kiosk) -> str:
    pack = _make_pack(kiosk.home.parent, kiosk.home.name + "-huge", slides=HUGE_SLIDES)
    done = kiosk.cli("install-pack", str(pack))
    return _restart_app(kiosk, f"install-pack exit {done.returncode}")


def _huge_pack_by_hand(kiosk: Kiosk) -> str:
    """A pack over the limits copied into the packs folder by hand (no
    install-pack to refuse it) and made current: the load must refuse it."""
    packs = kiosk.home / "data" / "packs"
    name = "by-hand-huge"
    pack = _make_pack(kiosk.home.parent, kiosk.home.name + "-hand", slides=HUGE_SLIDES)
    shutil.copytree(pack, packs / "store" / name)
    state = json.loads((packs / "state.json").read_text(encoding="utf-8"))
    (packs / "state.json").write_text(json.dumps({"current": name,
                                                  "previous": state["current"]}),
                                      encoding="utf-8")
    return _restart_app(kiosk, "made current by hand")


def _crash_loop(kiosk: Kiosk) -> str:
    """The app killed during every start, as a pack that takes it down while
    loading (out of memory, a driver) would: each start is killed once it has
    begun loading the pack (the packs' start record grew). The kiosk must give
    up on the pack and start on the previous content."""
    starts = kiosk.home / "data" / "packs" / "starts.json"

    def started() -> int:
        with contextlib.suppress(OSError, ValueError):
            return sum(json.loads(starts.read_text(encoding="utf-8")).values())
        return 0

    seen = kiosk.children()
    last = started()
    _signal_app(kiosk, signal.SIGKILL)
    kills = 0
    deadline = time.monotonic() + 60
    while kills < CRASH_LOOP_KILLS and time.monotonic() < deadline:
        new = kiosk.children() - seen
        floor = last
        if new and _wait_for(lambda: started() > floor, 10.0):  # noqa: B023 (read at once)
            for pid in new:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            seen |= new
            last = started()
            kills += 1
        time.sleep(0.02)
    return f"{kills} starts killed while loading"


def _wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def _cut_zip(kiosk: Kiosk) -> str:
    pack = _make_pack(kiosk.home.parent, kiosk.home.name + "-cut")
    archive = Path(shutil.make_archive(str(pack), "zip", pack))
    data = archive.read_bytes()
    archive.write_bytes(data[:len(data) * 3 // 5])
    done = kiosk.cli("install-pack", str(archive))
    return _restart_app(kiosk, f"install-pack exit {done.returncode}")


@contextlib.contextmanager
def _small_disk(folder: Path, size_mb: int) -> Iterator[str]:
    """``folder`` on a tmpfs of ``size_mb`` (root), or nothing: yields how."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m", "tmpfs",
                              str(folder)], capture_output=True).returncode == 0
    try:
        yield "tmpfs" if mounted else "none"
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def _fill(folder: Path) -> int:
    """Fills the file system under ``folder``; returns the bytes written."""
    written = 0
    chunk = b"\0" * (1 << 20)
    with contextlib.suppress(OSError), (folder / "filler.bin").open("wb") as out:
        while True:
            out.write(chunk)
            out.flush()
            written += len(chunk)
    with contextlib.suppress(OSError), (folder / "filler-small.bin").open("wb") as out:
        while True:
            out.write(b"\0" * 4096)
            out.flush()
            written += 4096
    return written


def _disk_full(kiosk: Kiosk) -> str:
    if not os.path.ismount(kiosk.home):
        raise Skipped("no small disk: mounting a tmpfs needs root")
    written = _fill(kiosk.home / "data")
    pack = _make_pack(kiosk.home.parent, kiosk.home.name + "-new")
    done = kiosk.cli("install-pack", str(pack))
    return _restart_app(kiosk, f"disk filled ({written >> 20} MB), install-pack exit "
                               f"{done.returncode}")


# Only the app runs under libfaketime, not the supervisor: libfaketime's
# clock_nanosleep fails (EINVAL) when the monotonic clock is left alone, and
# the supervisor sleeps; the app's event loop does not. A start-up hook seen
# only by the app (the supervisor marks its child) loads it before anything else.
_FAKETIME_HOOK = """
import os, sys
lib = os.environ.get("DRILL_FAKETIME_LIB")
if lib and os.environ.get("TAIXIN_KIOSK_SUPERVISED") == "1" and not os.environ.get("LD_PRELOAD"):
    os.environ["LD_PRELOAD"] = lib
    with open("/proc/self/cmdline", "rb") as f:
        args = [a.decode() for a in f.read().split(b"\\0") if a]
    os.execv(sys.executable, args)
"""


def _faketime_env(home: Path) -> dict[str, str]:
    hook = home / "faketime-hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_FAKETIME_HOOK, encoding="utf-8")
    path = os.environ.get("PYTHONPATH", "")
    # The wall clock jumps; the monotonic clock (as on a real machine) does not.
    return {"DRILL_FAKETIME_LIB": str(FAKETIME_LIB),
            "FAKETIME_TIMESTAMP_FILE": str(home / "faketime"), "FAKETIME_CACHE_DURATION": "1",
            "FAKETIME_DONT_FAKE_MONOTONIC": "1",
            "PYTHONPATH": f"{hook}{os.pathsep}{path}" if path else str(hook)}


def _clock_jump(kiosk: Kiosk) -> str:
    stamp = kiosk.home / "faketime"
    restarts = kiosk.children()
    faked = all("libfaketime" in Path(f"/proc/{pid}/maps").read_text() for pid in restarts)
    if not faked:
        return "libfaketime not loaded in the app: no jump made"
    stamp.write_text("+2d\n", encoding="utf-8")  # forward two days
    time.sleep(3.0)
    stamp.write_text("-3h\n", encoding="utf-8")  # back behind the start
    time.sleep(3.0)
    return "jumped +2 days, then -3 hours" + (
        "" if kiosk.children() == restarts else "; the app was restarted")


def _clock_years_ahead(kiosk: Kiosk) -> str:
    """The clock set 75 years ahead (a flat clock battery), then a restart:
    the statistics' retention must not delete the real history at once."""
    (kiosk.home / "faketime").write_text("+27375d\n", encoding="utf-8")
    time.sleep(2.0)  # the app's fake clock reads the file once a second
    return _restart_app(kiosk, "clock +75 years")


FAULTS: dict[str, Callable[[Kiosk], str]] = {
    "kill -9": lambda k: _signal_app(k, signal.SIGKILL),
    "hang (SIGSTOP)": lambda k: _signal_app(k, signal.SIGSTOP),
    "minimise": lambda k: _window_op(k, "xdotool", "windowminimize", "{w}"),
    "unmap": lambda k: _window_op(k, "xdotool", "windowunmap", "{w}"),
    "destroy window": _destroy,
    "drop full screen": lambda k: _window_op(k, "wmctrl", "-i", "-r", "{w}", "-b",
                                             "remove,fullscreen"),
    "move off screen": _move_off_screen,
    "escape keys": _keys,
    "config typo": _config_then_restart("\nidle_seconds = 9O\n"),
    "config wrong type": _config_then_restart('\nkiosk = "yes"\n'),
    "huge pack": _huge_pack,
    "USB pulled mid-copy": _cut_zip,
    "huge pack by hand": _huge_pack_by_hand,
    "crash loop": _crash_loop,
    "disk full": _disk_full,
    "clock jump": _clock_jump,
    "clock years ahead": _clock_years_ahead,
}
HUGE_SLIDES = 30_000
CRASH_LOOP_KILLS = 2
# Faults that change the installed packs themselves (the drill's own doing).
CHANGES_PACKS = {"huge pack by hand"}
# Faults whose set-up differs: the home on a small disk, the app under faketime.
SMALL_DISK_MB = 48
FAKETIME_LIB = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")


# Faults after which only a new app process can show a live slide.
RESTARTING = {"kill -9", "hang (SIGSTOP)", "config typo", "config wrong type", "huge pack",
              "huge pack by hand", "crash loop", "USB pulled mid-copy", "disk full",
              "clock years ahead"}


def prepare_home(home: Path) -> None:
    from taixin_kiosk.config.pin import hash_pin

    config = home / "config"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        f'kiosk = true\nidle_seconds = 60\npin = "{hash_pin(PIN)}"\n', encoding="utf-8")
    env = {**os.environ, "TAIXIN_KIOSK_HOME": str(home)}
    done = subprocess.run([sys.executable, "-m", "taixin_kiosk", "install-pack", str(PACK),
                           "--home", str(home)], capture_output=True, text=True, env=env,
                          timeout=120)
    if done.returncode != 0:
        raise BenchError(f"install-pack failed: {done.stderr.strip()}")


def drill(name: str, apply: Callable[[Kiosk], str], screen: Screen, work: Path) -> Outcome:
    home = work / name.replace(" ", "-").replace("(", "").replace(")", "")
    with contextlib.ExitStack() as stack:
        if name == "disk full":
            stack.enter_context(_small_disk(home, SMALL_DISK_MB))
        return _drill(name, apply, screen, home)
    raise AssertionError("unreachable")


def _drill(name: str, apply: Callable[[Kiosk], str], screen: Screen, home: Path) -> Outcome:
    prepare_home(home)
    kiosk = Kiosk(home, screen)
    extra: dict[str, str] = {}
    if name in ("clock jump", "clock years ahead"):
        if not FAKETIME_LIB.exists():
            return Outcome(name, False, None, None, [], "libfaketime not installed", skipped=True)
        (home / "faketime").write_text("+0\n", encoding="utf-8")
        extra = _faketime_env(home)
    kiosk.start(extra)
    try:
        if kiosk.wait_visible(FIRST_SLIDE_WITHIN_S) is None:
            tail = kiosk.log.read_text(errors="replace").strip().splitlines()[-14:]
            return Outcome(name, False, None, None, [], "no slide at start: " + " | ".join(tail))
        time.sleep(1.0)  # a heartbeat or two
        before = records(home)
        changes_packs = name in CHANGES_PACKS
        pids = kiosk.children()
        try:
            note = apply(kiosk)
        except Skipped as why:
            return Outcome(name, False, None, None, [], str(why), skipped=True)
        # From the fault's last step (an install may come before it).
        start = time.monotonic()
        # A fault that ends or freezes the app must not count as recovered
        # while its last picture is still up: only a new app process counts.
        restarts = name in RESTARTING
        seconds: float | None = None
        went_away = False
        while time.monotonic() - start < RECOVER_WITHIN_S + 5:
            fresh = not restarts or bool(kiosk.children() - pids)
            if fresh and screen.slide_visible(kiosk.app_pids()):
                seconds = time.monotonic() - start
                break
            went_away = True
            time.sleep(POLL_S)
        if seconds is not None and not went_away:
            note = (note + "; " if note else "") + "never left the screen"
        if seconds is None:
            gone = lost(before, records(home), packs_changed=changes_packs)
            return Outcome(name, False, None, None, gone, note)
        # Locked: Esc, Ctrl+Q and Alt+F4 leave the kiosk on screen.
        _keys(kiosk)
        time.sleep(1.0)
        locked = kiosk.wait_visible(3.0) is not None and kiosk.proc is not None \
            and kiosk.proc.poll() is None
        return Outcome(name, seconds <= RECOVER_WITHIN_S, round(seconds, 1), locked,
                       lost(before, records(home), packs_changed=changes_packs), note)
    finally:
        kiosk.stop()


def print_table(outcomes: list[Outcome], x: XServer) -> None:
    print(f"Fault drill on {x.screen} ({x.window_manager}); "
          f"recovery limit {RECOVER_WITHIN_S:.0f} s")
    print(f"{'fault':<22} {'recovered':<10} {'seconds':>8} {'locked':<7} lost")
    for o in outcomes:
        if o.skipped:
            print(f"{o.fault:<22} {'skipped':<10} {'-':>8} {'-':<7} -  ({o.note})")
            continue
        seconds = "-" if o.seconds is None else f"{o.seconds:.1f}"
        locked = "-" if o.locked is None else ("yes" if o.locked else "NO")
        gone = ", ".join(o.lost) or "nothing"
        print(f"{o.fault:<22} {'yes' if o.recovered else 'NO':<10} {seconds:>8} {locked:<7} "
              f"{gone}{'  (' + o.note + ')' if o.note else ''}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated fault names (default: all)")
    parser.add_argument("--size", default=(1280, 800), type=parse_size, metavar="WxH")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    chosen = FAULTS if not args.only else {n: FAULTS[n] for n in args.only.split(",")}
    for tool in ("xdotool", "xprop", "xwininfo", "wmctrl"):
        if shutil.which(tool) is None:
            print(f"missing tool: {tool}", file=sys.stderr)
            return 2
    outcomes: list[Outcome] = []
    with x_server(*args.size) as x, tempfile.TemporaryDirectory(prefix="taixin-faults-") as work:
        screen = Screen(probe_env(x.display), args.size)
        for name, apply in chosen.items():
            outcome = drill(name, apply, screen, Path(work))
            print(f"{name}: {outcome}", file=sys.stderr, flush=True)
            outcomes.append(outcome)
        print_table(outcomes, x)
    result = [o.__dict__ for o in outcomes]
    print(MARKER + json.dumps(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    ok = all(o.skipped or (o.recovered and o.locked and not o.lost) for o in outcomes)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
