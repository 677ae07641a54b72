"""Showing text from an input in a message or on a terminal, safely.

Text output goes to terminals and CI logs, where a control character moves the cursor or rewrites the screen,
and where a line break followed by `::error ...` becomes a GitHub Actions workflow command. So nothing from an
input reaches a text line as it was: `printable` writes every control character, and every character that
breaks a line, as a visible escape; `excerpt` also cuts it short, for quoting a value inside a message.
"""

from __future__ import annotations

import re

_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
"""C0 and C1 controls and DEL (line feeds, escapes, NEL among them), the Unicode line and paragraph separators,
and the bidirectional overrides that make a line read other than it is."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}

EXCERPT_LENGTH = 80


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` on one line, with every control, line-breaking and direction-changing character escaped."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(_escape, text)


def excerpt(value: object, limit: int = EXCERPT_LENGTH) -> str:
    """A value quoted for a message: `'text'` escaped and cut to about `limit` characters, a number as written
    (or its length, when it is too long to show), anything else by its type."""
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 3 * limit:  # also beyond what Python turns into digits
            return f"a number of about {int(value.bit_length() * 0.30103) + 1:,} digits"
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if not isinstance(value, str):
        return type(value).__name__
    text = value if len(value) <= limit else value[: limit - 3] + "..."
    return "'" + printable(text).replace("'", "\\'") + "'"
