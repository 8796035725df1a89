"""Fleet drill: N kiosks follow one signed content channel served by a real web server.

    python benchmarks/fleet.py [--kiosks N] [--poll-seconds S] [--timeout S] [--pack DIR]
                               [--json FILE]

On 127.0.0.1 a web server (nginx, as tests/channel_server.py starts it;
Python's http.server where nginx is missing) serves a channel repository
made with ``taixin-kiosk channel init`` and a first publication (version
1.0.0, ``channel publish``). N kiosk processes start (offscreen, each with
its own ``--home``: ``kiosk = true``, the channel's address and its trusted
root), pull the channel by themselves and show the first publication at
their first idle reset. Then version 2.0.0 is published, and the drill
measures, per kiosk, the time from the end of that publication to the
kiosk's log line ``channel: now showing PACK 2.0.0`` (written once the new
content is on screen), and the bytes the server sent meanwhile (nginx's
``$body_bytes_sent`` summed over its access log).

The kiosks look every ``--poll-seconds`` (``TAIXIN_KIOSK_CHANNEL_POLL_SECONDS``,
read only by the channel poller for drills and tests: a real kiosk's
``channel_poll_minutes`` is at least 1), so the time to the last kiosk is
about one poll interval plus the download, the checks and the install.

Prints a table and one ``RESULT {json}`` line; exits 1 when a kiosk does not
show version 2 within ``--timeout`` seconds (or never showed version 1), 2
when the machine lacks the memory for N kiosks. tests/test_fleet.py runs it
with 5 kiosks (slow).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from run import machine_info  # benchmarks/ is the folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from channel_server import make_pack, serve  # noqa: E402 - after the path it lives on

MARKER = "RESULT "
POLL_ENV = "TAIXIN_KIOSK_CHANNEL_POLL_SECONDS"
SHOWING = re.compile(r"channel: now showing (\S+) (\S+)")
# A kiosk's resident memory offscreen, with room to spare (measured: ~110 MB).
MB_PER_KIOSK = 200
WATCH_S = 0.1
# Idle reset and attract loop at their shortest, so a kiosk nobody touches
# reaches the attract loop (where a new pack shows at once) soon after start.
ATTRACT_S = 5
KIOSK_CONFIG = f"""\
kiosk = true
keep_awake = false
idle_seconds = 10
attract_seconds = {ATTRACT_S}
channel_url = "{{url}}"
channel = "{{channel}}"
"""


@dataclass
class Kiosk:
    home: Path
    proc: subprocess.Popen[bytes] | None = None
    shown: dict[str, float] = field(default_factory=dict)

    @property
    def log(self) -> Path:
        return self.home / "logs" / "taixin-kiosk.log"

    def start(self, env: dict[str, str]) -> None:
        with (self.home / "stdout.log").open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "taixin_kiosk", "--home", str(self.home)],
                env={**env, "TAIXIN_KIOSK_HOME": str(self.home)}, stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)

    def look(self, now: float) -> None:
        """Notes the first moment each version is seen on screen."""
        with contextlib.suppress(FileNotFoundError):
            for match in SHOWING.finditer(self.log.read_text("utf-8", errors="replace")):
                self.shown.setdefault(match.group(2), now)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def rss_mb(self) -> float:
        if self.proc is None:
            return 0.0
        with contextlib.suppress(OSError, ValueError, StopIteration):
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
            line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
            return int(line.split()[1]) / 1024
        return 0.0

    def signal(self, sig: signal.Signals) -> None:
        if self.proc is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def wait(self, timeout: float) -> None:
        if self.proc is None:
            return
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.proc.wait()

    def tail(self) -> str:
        with contextlib.suppress(OSError):
            return (self.home / "stdout.log").read_text("utf-8", errors="replace")[-600:]
        return ""


def stop_all(kiosks: list[Kiosk]) -> None:
    """SIGTERM to every kiosk at once, then SIGKILL to any still there after 10 s."""
    for kiosk in kiosks:
        kiosk.signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for kiosk in kiosks:
        kiosk.wait(max(0.1, deadline - time.monotonic()))


def available_mb() -> int:
    with contextlib.suppress(OSError, StopIteration, ValueError):
        line = next(x for x in Path("/proc/meminfo").read_text().splitlines()
                    if x.startswith("MemAvailable:"))
        return int(line.split()[1]) // 1024
    return 0


def cli(home: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "taixin_kiosk", *args, "--home", str(home)],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "TAIXIN_KIOSK_HOME": str(home)})
    if done.returncode != 0:
        raise SystemExit(f"taixin-kiosk {' '.join(args)} failed:\n{done.stdout}{done.stderr}")


def versioned(pack: Path | None, work: Path, version: str) -> Path:
    """The pack to publish as ``version``: a copy of ``pack``, or the starter pack."""
    folder = work / f"pack-{version}"
    if pack is None:
        return make_pack(folder, version, f"Fleet drill {version}")
    shutil.copytree(pack, folder)
    deck_file = folder / "deck.json"
    deck = json.loads(deck_file.read_text("utf-8"))
    deck["version"] = version
    deck_file.write_text(json.dumps(deck, ensure_ascii=False, indent=2), "utf-8")
    return folder


def wait_for(kiosks: list[Kiosk], version: str, since: float, timeout: float) -> None:
    """Until every kiosk shows ``version``, one has died, or ``timeout`` passes."""
    while time.monotonic() - since < timeout:
        now = time.monotonic()
        for kiosk in kiosks:
            kiosk.look(now)
        if all(version in k.shown for k in kiosks) or not all(k.alive() for k in kiosks):
            return
        time.sleep(WATCH_S)


def seconds_after(kiosks: list[Kiosk], version: str, since: float) -> list[float | None]:
    return [round(k.shown[version] - since, 2) if version in k.shown else None for k in kiosks]


def summary(times: list[float | None]) -> dict[str, float | None]:
    got = sorted(t for t in times if t is not None)
    return {"first_s": got[0] if got else None,
            "median_s": round(statistics.median(got), 2) if got else None,
            "last_s": got[-1] if got and len(got) == len(times) else None}


def drill(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    publisher = work / "publisher"
    repo = work / "repo"
    cli(publisher, "channel", "init", str(repo))
    first, second = versioned(args.pack, work, "1.0.0"), versioned(args.pack, work, "2.0.0")
    publish = ("--repo", str(repo), "--channel", args.channel)
    cli(publisher, "channel", "publish", str(first), *publish)
    import taixin_kiosk

    # The kiosks run the app this drill imported, whatever the working folder.
    source = str(Path(taixin_kiosk.__file__).resolve().parent.parent)
    path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", POLL_ENV: str(args.poll_seconds),
           "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": path}
    kiosks = [Kiosk(work / f"kiosk-{i:03d}") for i in range(args.kiosks)]
    with serve(repo / "public", work) as server, contextlib.ExitStack() as stack:
        for kiosk in kiosks:
            config = kiosk.home / "config"
            config.mkdir(parents=True)
            (config / "config.toml").write_text(
                KIOSK_CONFIG.format(url=server.url, channel=args.channel), "utf-8")
            shutil.copyfile(repo / "root.json", config / "channel-root.json")
        started = time.monotonic()
        stack.callback(stop_all, kiosks)
        for kiosk in kiosks:
            kiosk.start(env)
        print(f"fleet: {len(kiosks)} kiosks started; waiting for 1.0.0", file=sys.stderr)
        wait_for(kiosks, "1.0.0", started, args.start_timeout)
        v1 = seconds_after(kiosks, "1.0.0", started)
        requests_v1, bytes_v1 = server.served()
        result: dict[str, Any] = {"kiosks": len(kiosks), "poll_seconds": args.poll_seconds,
                                  "server": "nginx" if server.access_log else "http.server",
                                  "first_publication": summary(v1),
                                  "bytes_first_publication": bytes_v1}
        if all(t is not None for t in v1):
            # Nobody is at any screen: once the attract loop plays, a kiosk shows
            # a new pack as soon as it has it (else at its next idle reset).
            time.sleep(ATTRACT_S + 1)
            print("fleet: all show 1.0.0; publishing 2.0.0", file=sys.stderr)
            cli(publisher, "channel", "publish", str(second), *publish)
            published = time.monotonic()
            wait_for(kiosks, "2.0.0", published, args.timeout)
            v2 = seconds_after(kiosks, "2.0.0", published)
        else:
            v2 = [None] * len(kiosks)
        requests, sent = server.served()
        rss = [k.rss_mb() for k in kiosks]
        result.update({
            "second_publication": summary(v2),
            "moved": sum(t is not None for t in v2),
            "seconds_per_kiosk": v2,
            "requests_total": requests, "bytes_total": sent,
            "bytes_second_publication": sent - bytes_v1,
            "requests_second_publication": requests - requests_v1,
            "bytes_per_kiosk_second": round((sent - bytes_v1) / len(kiosks)),
            "pack_zip_bytes": sum(p.stat().st_size
                                  for p in (repo / "public" / "targets").rglob("*2.0.0.zip")),
            "rss_mb_per_kiosk": round(statistics.median(rss), 1) if rss else None,
            "rss_mb_total": round(sum(rss)),
            "dead": [k.home.name for k in kiosks if not k.alive()],
        })
        for kiosk in kiosks:
            if not kiosk.alive():
                print(f"fleet: {kiosk.home.name} exited early:\n{kiosk.tail()}", file=sys.stderr)
    return result


def table(result: dict[str, Any], machine: dict[str, Any]) -> str:
    def s(value: float | None) -> str:
        return "never" if value is None else f"{value:.1f} s"

    v1, v2 = result["first_publication"], result["second_publication"]
    rows = [
        ("kiosks (offscreen processes)", str(result["kiosks"])),
        ("web server", result["server"]),
        ("poll interval", f"{result['poll_seconds']:g} s"),
        ("moved to 2.0.0", f"{result['moved']} of {result['kiosks']}"),
        ("2.0.0 on screen: first kiosk", s(v2["first_s"])),
        ("2.0.0 on screen: median", s(v2["median_s"])),
        ("2.0.0 on screen: last kiosk", s(v2["last_s"])),
        ("1.0.0 (from start): last kiosk", s(v1["last_s"])),
        ("bytes served, whole drill", f"{result['bytes_total']:,} ({result['requests_total']} "
                                      "requests)"),
        ("bytes served for 2.0.0", f"{result['bytes_second_publication']:,} "
                                   f"({result['requests_second_publication']} requests)"),
        ("  per kiosk", f"{result['bytes_per_kiosk_second']:,}"),
        ("  the pack's zip", f"{result['pack_zip_bytes']:,}"),
        ("memory per kiosk (RSS, median)", f"{result['rss_mb_per_kiosk']} MB"),
        ("machine", f"{machine.get('cpu')}, {machine.get('cores_usable')} cores, "
                    f"{machine.get('ram_gib')} GiB"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=20, metavar="N")
    parser.add_argument("--poll-seconds", type=float, default=5.0, metavar="S",
                        help="how often each kiosk looks (default 5)")
    parser.add_argument("--timeout", type=float, default=120.0, metavar="S",
                        help="how long the kiosks get to show version 2 (default 120)")
    parser.add_argument("--start-timeout", type=float, default=300.0, metavar="S",
                        help="how long they get to start and show version 1 (default 300)")
    parser.add_argument("--channel", default="hall-a", metavar="NAME")
    parser.add_argument("--pack", type=Path, metavar="DIR",
                        help="a pack to publish (default: the starter pack)")
    parser.add_argument("--json", type=Path, metavar="FILE")
    args = parser.parse_args(argv)
    if args.kiosks < 1:
        parser.error("--kiosks must be at least 1")
    need, have = args.kiosks * MB_PER_KIOSK, available_mb()
    if have and need > have:
        print(f"fleet: {args.kiosks} kiosks need about {need} MB, {have} MB are available",
              file=sys.stderr)
        return 2
    # SIGTERM (a test's timeout, CI) ends the drill through its clean-up: no
    # kiosk or nginx is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    with tempfile.TemporaryDirectory(prefix="taixin-fleet-") as folder:
        result = drill(args, Path(folder))
    machine = machine_info()
    result["machine"] = machine
    print(table(result, machine))
    print(MARKER + json.dumps(result, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), "utf-8")
    return 0 if result["moved"] == result["kiosks"] and not result["dead"] else 1


if __name__ == "__main__":
    sys.exit(main())
