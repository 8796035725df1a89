"""Quotation marks that enclose a whole text.

The quote slide draws one large decorative opening mark; a pair of
typographic marks around the whole quotation as well (written into the
catalogue's text, or added by the language's own marks) would be a second
one. ``unquoted`` finds such a pair, so the slide shows the words alone;
the words themselves, and marks inside them, are never changed.
"""

from __future__ import annotations

# An opening mark and the marks that close it. (Escaped: no CJK in code.)
PAIRS: dict[str, str] = {
    "\u201c": "\u201d",         # English double
    "\u2018": "\u2019",         # English single
    '"': '"',                   # typewriter double
    "\uff02": "\uff02",         # full-width typewriter double
    "\u201e": "\u201c\u201d",   # German, Polish
    "\u00ab": "\u00bb",         # guillemets
    "\u300c": "\u300d",         # CJK corner brackets
    "\u300e": "\u300f",         # CJK white corner brackets
    "\ufe41": "\ufe42",         # vertical corner brackets
    "\ufe43": "\ufe44",         # vertical white corner brackets
}
# Sentence punctuation a writer may set after the closing mark; it stays.
TRAILING = ".!?\u2026\u3002\uff01\uff1f"


def _encloses(body: str, opening: str, closing: str) -> bool:
    """Whether ``body``'s first and last marks are one pair: the opening
    mark is not closed (nor, for a mark that is its own closer, repeated)
    anywhere before the end. "A" and "B" is two quotations, not one."""
    if opening in closing:
        return opening not in body[1:-1]
    depth = 1
    for ch in body[1:-1]:
        if ch == opening:
            depth += 1
        elif ch in closing:
            depth -= 1
            if depth == 0:
                return False
    return depth == 1


def unquoted(text: str) -> str:
    """``text`` without the quotation marks that enclose all of it (nested
    pairs too, 'outer and inner'); ``text`` itself where there are none."""
    found = text.strip()
    changed = False
    while len(found) >= 2 and found[0] in PAIRS:
        body = found.rstrip(TRAILING)
        tail = found[len(body):]
        closing = PAIRS[found[0]]
        if len(body) < 2 or body[-1] not in closing \
                or not _encloses(body, found[0], closing):
            break
        found, changed = body[1:-1].strip() + tail, True
    return found if changed and found else text
