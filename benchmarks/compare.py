"""Compares this checkout's benchmark figures with another revision's, on this
machine, in one run.

    python benchmarks/compare.py REV [--size WxH] [--rounds N] [--runs N] [--passes N]
                                 [--json FILE]

Checks REV out into a temporary git worktree and runs this checkout's
``benchmarks/run.py`` over each tree's app code (``PYTHONPATH`` set to the
tree's ``src``: one harness times both, so a change to the benchmark itself,
such as ``--size``, never shows as a difference between the trees) and
its own folders (``TAIXIN_KIOSK_HOME``),
alternating (REV, this, REV, this, ...) so that a machine that drifts during
the run weighs on both alike. Prints, for each figure, the median over the
rounds of REV and of this checkout: start-up as a ratio to the floor (the bare
window measured in the same ``run.py``), slide switch p95, language toggle
p95, and memory over the floor, at the screen size ``--size`` (passed on to
``run.py``; 1920x1080 unless given). Exit status: 0 when everything was measured
(whether this checkout is better or worse), 1 when a run failed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# (label, key in ``figures``, unit); lower is better for all. The ratio is the
# target's measure; the two times show what moved it (the floor drifts too).
FIGURES: tuple[tuple[str, str, str], ...] = (
    ("start-up / floor", "startup_ratio", "x"),
    ("start-up", "startup_ms", "ms"),
    ("  floor start-up", "floor_startup_ms", "ms"),
    ("slide switch p95", "switch_ms_p95", "ms"),
    ("language toggle p95", "toggle_ms_p95", "ms"),
    ("memory over the floor", "rss_over_floor_mb", "MB"),
)


def figures(data: dict[str, Any]) -> dict[str, float]:
    """The compared figures from one ``run.py --json`` file."""
    results = data.get("results", data)
    return {
        "startup_ratio": results["startup_ms"] / results["floor_startup_ms"],
        "startup_ms": results["startup_ms"],
        "floor_startup_ms": results["floor_startup_ms"],
        "switch_ms_p95": results["switch_ms_p95"],
        "toggle_ms_p95": results["toggle_ms_p95"],
        "rss_over_floor_mb": results["rss_mb"] - results["floor_rss_mb"],
    }


def run_once(tree: Path, home: Path, out: Path, args: argparse.Namespace) -> dict[str, float]:
    command = [sys.executable, str(HERE / "run.py"), "--json", str(out),
               "--runs", str(args.runs), "--passes", str(args.passes), "--size", args.size]
    # Each tree its own folders (config, logs, the note that the built-in pack
    # was checked), as two installations would have.
    env = {**_environ(), "PYTHONPATH": str(tree / "src"), "TAIXIN_KIOSK_HOME": str(home)}
    print(f"+ {tree.name}: {' '.join(command[1:])}", file=sys.stderr, flush=True)
    done = subprocess.run(command, cwd=tree, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"run.py failed in {tree} (exit {done.returncode})")
    return figures(json.loads(out.read_text(encoding="utf-8")))


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="the revision to compare with (a commit, tag or branch)")
    parser.add_argument("--size", default="1920x1080", metavar="WxH",
                        help="screen size for every run (default 1920x1080)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write every round's figures here")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="taixin-compare-"))
    other = scratch / "other"
    subprocess.run(["git", "worktree", "add", "--detach", str(other), args.rev], cwd=ROOT,
                   check=True, capture_output=True)
    rounds: dict[str, list[dict[str, float]]] = {"other": [], "this": []}
    try:
        for number in range(args.rounds):
            rounds["other"].append(run_once(other, scratch / "other-home",
                                            scratch / f"other-{number}.json", args))
            rounds["this"].append(run_once(ROOT, scratch / "this-home",
                                           scratch / f"this-{number}.json", args))
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(other)], cwd=ROOT,
                       check=False, capture_output=True)
        if args.json is not None:
            args.json.write_text(json.dumps({"rev": args.rev, "size": args.size,
                                             "rounds": rounds}, indent=1),
                                 encoding="utf-8")
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"\nat {args.size}")
    print(f"{'figure':<24}{args.rev:>14}{'this':>14}")
    for label, key, unit in FIGURES:
        before = statistics.median(r[key] for r in rounds["other"])
        after = statistics.median(r[key] for r in rounds["this"])
        print(f"{label:<24}{before:>12.2f}{unit:<2}{after:>12.2f}{unit:<2}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
