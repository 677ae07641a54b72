"""Spreadsheet text in OSCAL's Markdown fields, and back.

OSCAL's multi-line fields (descriptions, remarks) are Markdown, while a spreadsheet cell is plain text:
`+1 from the CISO` would read as a list item, `*` as emphasis, and a single line break would vanish
in a paragraph. Characters Markdown would read as markup are escaped with a backslash, and line
breaks become hard breaks (a backslash before the line end), so that renderers and the XML form show
the text exactly as it was typed; `to_plain` undoes both.
"""

from __future__ import annotations

import re

_ALWAYS = re.compile(r"([\\`*_\[\]<>|])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([#+\-=~])")
_ORDERED = re.compile(r"^(\s*\d{1,9})([.)])")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_HARD_BREAK = re.compile(r"\\\n")


_NEEDS_ESCAPE = re.compile(r"[\\`*_\[\]<>|\n]|&#?[A-Za-z0-9]+;|^\s*(?:[#+\-=~]|\d{1,9}[.)])")


def to_markdown(text: str) -> str:
    if not text or not _NEEDS_ESCAPE.search(text):
        return text
    lines = []
    for line in text.split("\n"):
        line = _ALWAYS.sub(r"\\\1", line)
        line = _ENTITY.sub(r"\\&", line)
        line = _LINE_START.sub(r"\1\\\2", line)
        line = _ORDERED.sub(r"\1\\\2", line)
        lines.append(line)
    joined = ""
    for index, line in enumerate(lines):
        joined += line
        if index < len(lines) - 1:
            following = lines[index + 1]
            joined += "\\\n" if line.strip() and following.strip() else "\n"
    return joined


def to_plain(markdown: str) -> str:
    if "\\" not in markdown:
        return markdown
    text = _HARD_BREAK.sub("\n", markdown)
    return _ESCAPED.sub(r"\1", text)
