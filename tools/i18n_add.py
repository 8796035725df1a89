"""Adds strings to the app's catalogues (i18n/*.json) without disturbing the rest.

    python tools/i18n_add.py FRAGMENT.json

FRAGMENT is ``{"en": {"flat.key": "text", ...}, "zh-CN": {...}}``: every locale
of i18n/ must be given the same keys. Existing keys are replaced in place, new
ones are appended to their section; the files keep their format (two-space
indent, UTF-8, one trailing newline). The read-modify-write is done under an
exclusive lock, so several people (or scripts) may add strings at once.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
LOCK = ROOT / ".i18n.lock"  # git-ignored


def _insert(tree: dict[str, object], key: str, text: str) -> None:
    *parents, leaf = key.split(".")
    node = tree
    for part in parents:
        child = node.setdefault(part, {})
        if not isinstance(child, dict):
            raise SystemExit(f"{key}: {part} is a string, not a section")
        node = child
    if isinstance(node.get(leaf), dict):
        raise SystemExit(f"{key} is a section, not a string")
    node[leaf] = text


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    fragment = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    locales = sorted(p.stem for p in I18N.glob("*.json"))
    if sorted(fragment) != locales:
        raise SystemExit(f"the fragment must give exactly these locales: {', '.join(locales)}")
    keys = {loc: set(strings) for loc, strings in fragment.items()}
    if len({frozenset(k) for k in keys.values()}) != 1:
        raise SystemExit("every locale must be given the same keys")
    with open(LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for locale, strings in fragment.items():
            path = I18N / f"{locale}.json"
            tree = json.loads(path.read_text(encoding="utf-8"))
            for key, text in strings.items():
                if not isinstance(text, str) or not text.strip():
                    raise SystemExit(f"{locale}: {key}: not a non-empty string")
                _insert(tree, key, text)
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(json.dumps(tree, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
            tmp.replace(path)
    print(f"added or updated {len(next(iter(keys.values())))} keys in {', '.join(locales)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
