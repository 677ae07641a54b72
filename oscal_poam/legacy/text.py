"""Text as cells hold it and titles show it."""

from __future__ import annotations

TITLE_MAX = 120


def one_line(text: str, limit: int = TITLE_MAX) -> str:
    """The first non-blank line, blanks collapsed, cut to `limit` characters (with an ellipsis)."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = " ".join(first.split())
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"
