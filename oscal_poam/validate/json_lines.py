"""Source lines of JSON pointers in a JSON text.

The standard JSON decoder keeps no positions, so a file with diagnostics is
scanned once more, token by token, to place each member (at its key) and
each array item (at its first character). Only files that have diagnostics
pay for this.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass

from oscal_poam.io import pointers

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')


@dataclass(slots=True)
class _Frame:
    pointer: str
    is_object: bool
    index: int = 0
    expecting_key: bool = True
    member: str = ""  # in an object: the pointer of the member whose key was read last


def json_lines(text: str) -> dict[str, int]:
    """JSON pointer -> 1-based line, for every member and array item of a well-formed JSON text."""
    newlines = [m.start() for m in re.finditer("\n", text)]
    lines: dict[str, int] = {}
    stack: list[_Frame] = []
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in "]}":
            stack.pop()
            continue
        frame = stack[-1] if stack else None
        if first == ",":
            if frame is not None:
                if frame.is_object:
                    frame.expecting_key = True
                else:
                    frame.index += 1
            continue
        if first == ":":
            continue
        line = bisect.bisect_left(newlines, match.start()) + 1
        if frame is None:
            here = ""
        elif frame.is_object:
            if frame.expecting_key:
                key = json.loads(token) if first == '"' else token
                frame.member = f"{frame.pointer}/{pointers.escape(str(key))}"
                lines[frame.member] = line
                frame.expecting_key = False
                continue
            here = frame.member
        else:
            here = f"{frame.pointer}/{frame.index}"
        lines.setdefault(here, line)
        if first == "{":
            stack.append(_Frame(here, True))
        elif first == "[":
            stack.append(_Frame(here, False, expecting_key=False))
    return lines
