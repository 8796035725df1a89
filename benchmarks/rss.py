"""Resident memory of the current process (Linux), shared by the probes."""

from __future__ import annotations


def rss_mb() -> float:
    """This process's resident set size in MiB, from /proc/self/status."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise RuntimeError("no VmRSS in /proc/self/status")
