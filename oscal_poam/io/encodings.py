"""Text in UTF-16 and UTF-32: told from its first bytes, read as XML allows, named where it is refused.

XML may be written in UTF-16 or UTF-32 (with a byte-order mark, or with a declaration whose first bytes show
the width, XML 1.0 appendix F). Such XML is turned into UTF-8 before it is parsed, its declaration saying so,
so that every check on the bytes (no DOCTYPE, the size cap) sees the document as it is. JSON and YAML are read
as UTF-8 only; wider text is refused with the encoding it was found in.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from oscal_poam.errors import LoadError


class Wide(NamedTuple):
    codec: str
    name: str
    bom: int
    """Bytes of byte-order mark to skip."""


_BY_BOM = (
    (b"\x00\x00\xfe\xff", Wide("utf-32-be", "UTF-32 (big-endian)", 4)),
    (b"\xff\xfe\x00\x00", Wide("utf-32-le", "UTF-32 (little-endian)", 4)),
    (b"\xfe\xff", Wide("utf-16-be", "UTF-16 (big-endian)", 2)),
    (b"\xff\xfe", Wide("utf-16-le", "UTF-16 (little-endian)", 2)),
)


def wide(data: bytes) -> Wide | None:
    """The UTF-16 or UTF-32 encoding `data` is in, by its byte-order mark or its first character; None for
    UTF-8 (and the 8-bit encodings an XML declaration may name, which the XML parser reads itself)."""
    for bom, found in _BY_BOM:
        if data.startswith(bom):
            return found
    head = data[:4]
    if len(head) < 4 or b"\x00" not in head:
        return None
    if head[:3] == b"\x00\x00\x00":
        return Wide("utf-32-be", "UTF-32 (big-endian)", 0)
    if head[1:] == b"\x00\x00\x00":
        return Wide("utf-32-le", "UTF-32 (little-endian)", 0)
    if head[0] == 0 and head[2] == 0:
        return Wide("utf-16-be", "UTF-16 (big-endian)", 0)
    if head[1] == 0 and head[3] == 0:
        return Wide("utf-16-le", "UTF-16 (little-endian)", 0)
    return None


def first_character(data: bytes, found: Wide) -> str:
    """The first character that is not white space, of text in a wide encoding ("" if none)."""
    head = data[found.bom : found.bom + 4096]
    head = head[: len(head) - len(head) % (4 if "32" in found.codec else 2)]
    return head.decode(found.codec, errors="replace").lstrip(" \t\r\n\ufeff")[:1]


_DECLARED = re.compile(r"""\A(<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[A-Za-z0-9._-]*\2""")


def xml_as_utf8(data: bytes, source: str) -> bytes:
    """XML in UTF-16 or UTF-32 as UTF-8, its declaration naming UTF-8; other XML as it is. Raises LoadError."""
    found = wide(data)
    if found is None:
        return data
    try:
        text = data[found.bom :].decode(found.codec)
    except UnicodeDecodeError as exc:
        line = data[found.bom : found.bom + exc.start].decode(found.codec, errors="replace").count("\n") + 1
        raise LoadError.single(
            f"invalid XML: not {found.name} text (byte {exc.start + found.bom:,} does not decode)", source, line=line
        ) from None
    return _DECLARED.sub(r"\1\2UTF-8\2", text, count=1).encode("utf-8")
