"""XML white space (space, tab, carriage return, line feed) as XML Schema and OSCAL markup treat it."""

from __future__ import annotations

import re

_XML_SPACE = re.compile(r"[ \t\r\n]+")


def collapse_runs(text: str) -> str:
    """`text` with each run of XML white space as one space (XML Schema's collapse, before trimming)."""
    # Most text has nothing to collapse; four substring tests find that out several times faster than the
    # substitution, which is the costliest step of reading a markup value otherwise.
    if "\n" in text or "\t" in text or "\r" in text or "  " in text:
        return _XML_SPACE.sub(" ", text)
    return text


def only_space(text: str) -> bool:
    """Whether `text` is one or more characters of XML white space and nothing else."""
    return bool(text) and not text.strip(" \t\r\n")
