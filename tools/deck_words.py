"""Writes a pack's ``lines.words``: the words its Chinese slide text is made
of, so that a line never breaks inside one (see ui/layout/breaks.py).

    pip install jieba==0.42.1   # for this tool only: the app never loads it
    python tools/deck_words.py [PACK]   # default: the built-in deck (i18n/)

For each catalogue of a CJK language (zh, ja, ko) in PACK/i18n/, the slide
text (the ``deck`` section) is cut into words by a segmenter (jieba), which
is told the words the catalogue already lists (the glossary's names) so
they come out whole; every word of two characters or more is added to
``lines.words`` after the listed ones. A catalogue that has no ``lines.words``
gets one, and then so must every other language of the pack (the validator
asks every locale for the same keys): give them an empty ``lines.words``.
Other languages are left alone: their names are listed by hand.

Run it again after the slides' text changes; the app reads only the list,
which costs nothing at start-up. The file keeps its format (two-space
indent, UTF-8, one trailing newline).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taixin_kiosk.ui.layout.breaks import WORDS_SEPARATOR, wide  # noqa: E402
from taixin_kiosk.ui.theme import cjk  # noqa: E402


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


def words_of(texts: list[str], listed: list[str]) -> list[str]:
    """The listed words, then every other word of two or more CJK
    characters the segmenter finds in ``texts``, in order of first use."""
    import jieba  # type: ignore[import-not-found,import-untyped,unused-ignore]

    for word in listed:
        jieba.add_word(word, freq=100000)
    found = list(dict.fromkeys(w for w in listed if w))
    seen = set(found)
    for text in texts:
        for word in jieba.cut(text, HMM=True):
            if len(word) >= 2 and all(wide(ch) for ch in word) and word not in seen:
                seen.add(word)
                found.append(word)
    return found


def main(argv: list[str]) -> int:
    pack = Path(argv[0]) if argv else ROOT
    for path in sorted((pack / "i18n").glob("*.json")):
        locale = path.stem
        if not cjk(locale):
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        lines = data.setdefault("lines", {})
        listed = [w for w in lines.get("words", "").split(WORDS_SEPARATOR) if w]
        words = words_of(list(_strings(data.get("deck", {}))), listed)
        lines["words"] = WORDS_SEPARATOR.join(words)
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        print(f"{path}: {len(words)} words ({len(words) - len(listed)} new)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
