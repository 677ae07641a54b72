"""Parsing untrusted XML: no DTD, no entities, no network, bounded size.

OSCAL XML never needs a document type declaration, so any DOCTYPE is refused
before the parser sees the document: that closes external entities (XXE),
entity expansion (billion laughs) and external DTD fetches at once. The
parser is configured not to resolve entities, load DTDs or use the network
as well, so nothing depends on the pre-check alone.
"""

from __future__ import annotations

import re

from lxml import etree

from oscal_poam.errors import LoadError
from oscal_poam.io.encodings import xml_as_utf8

_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_LONG_TEXT = re.compile(r"Text node too long|Buffer size limit exceeded|huge text node", re.IGNORECASE)
_LOCATION_SUFFIX = re.compile(r", line \d+, column \d+$")


def _parser(huge: bool = False) -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=huge,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return line, column


def find_doctype(data: bytes) -> int | None:
    """The offset of a DOCTYPE in the prolog (before the root element), if any."""
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    end = len(data)
    while pos < end:
        match = _PROLOG_ITEM.match(data, pos)
        if match is None:
            break
        pos = match.end()
    doctype = _DOCTYPE.match(data, pos)
    return doctype.start() if doctype else None


def parse_xml(data: bytes, source: str, max_bytes: int) -> etree._Element:
    """The root element of `data`, or a LoadError with line and column."""
    if len(data) > max_bytes:
        raise LoadError.single(f"input is {len(data):,} bytes, over the limit of {max_bytes:,} bytes", source)
    data = xml_as_utf8(data, source)  # UTF-16 and UTF-32 too, every check below on the same bytes
    offset = find_doctype(data)
    if offset is not None:
        line, column = _position(data, offset)
        raise LoadError.single(
            "refused: the document has a DOCTYPE; OSCAL XML needs none, and DTDs and entities are not processed",
            source,
            line=line,
            column=column,
        )
    try:
        try:
            root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            if not _LONG_TEXT.search(exc.msg or ""):
                raise
            # A text or attribute value over libxml2's 10 MB (an attachment in back-matter, say): the document
            # is under the size cap and has no DOCTYPE, so lifting that limit expands nothing; depth stays bounded.
            root = etree.fromstring(data, _parser(huge=True))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = _LOCATION_SUFFIX.sub("", (exc.msg or str(exc)).strip())  # the location is the Problem's
        raise LoadError.single(f"invalid XML: {message}", source, line=line, column=column) from None
    if root.getroottree().docinfo.doctype:  # type: ignore[union-attr]
        # only reachable if the prolog scan missed a DOCTYPE (an unusual encoding, say)
        raise LoadError.single("refused: the document has a DOCTYPE", source, line=1)
    return root
