"""OSCAL XML: reading into and writing from the same data the JSON path uses.

OSCAL JSON data is the pivot: a model is written as XML through
`oscal_poam.io.write.to_data`, and XML is read into JSON data that
`oscal_poam.io.load.validate` turns into a model. One binding, generated
from the metaschema, serves every model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lxml import etree

from oscal_poam.errors import LoadError, NotOscalError


def read_xml(data: bytes, source: str, max_bytes: int) -> tuple[dict[str, Any], Mapping[str, int]]:
    """Parse OSCAL XML into OSCAL JSON data, with the source line of each JSON pointer.

    The line map is worked out from the parsed tree on demand (see `reader.XmlLines`).
    """
    root, root_key = parse_tree(data, source, max_bytes)
    return bind(root, root_key, source)


def parse_tree(data: bytes, source: str, max_bytes: int) -> tuple[etree._Element, str]:
    """The root element of OSCAL XML and its root key; a LoadError (NotOscalError) for anything else."""
    from oscal_poam.io.xml import reader
    from oscal_poam.io.xml.binding_table import ROOTS
    from oscal_poam.io.xml.definitions import OSCAL_NAMESPACE
    from oscal_poam.io.xml.safe_parse import parse_xml

    root = parse_xml(data, source, max_bytes)
    root_key = reader.root_key_of(root)
    if root_key is None:
        qname = etree.QName(root)
        expected = ", ".join(sorted(ROOTS))
        if qname.namespace != OSCAL_NAMESPACE:
            where = f"namespace {qname.namespace}" if qname.namespace else "no namespace"
            found = f"<{qname.localname}> in {where}"
            message = f"not an OSCAL document: the root element is {found}, not in {OSCAL_NAMESPACE}"
        else:
            message = f"not an OSCAL document: the root element is <{qname.localname}>; expected one of {expected}"
        raise NotOscalError.single(message, source, line=root.sourceline)  # type: ignore[arg-type]
    return root, root_key


MAX_SKIPPED = 200
"""How many elements a lenient read leaves out before it gives up on a document."""


def bind(
    root: etree._Element, root_key: str, source: str, *, lenient: bool = False
) -> tuple[dict[str, Any], Mapping[str, int]]:
    """The OSCAL JSON data of the document `root` holds, with the source line of each JSON pointer.

    Strict, an element the binding does not know is a LoadError. `lenient` leaves out each element or
    attribute that cannot be read (the schema has said what is wrong with it) and reads the rest, so that the
    checks on content still run on what could be read.
    """
    from oscal_poam.io.xml import reader

    skipped = 0
    while True:
        try:
            content = reader.read(root, root_key)
            break
        except reader.XmlDataError as exc:
            if not lenient or skipped >= MAX_SKIPPED or exc.element is root:
                pointer = reader.pointer_of(exc.element, root_key)
                line: int | None = exc.line or exc.element.sourceline  # type: ignore[assignment]
                raise LoadError.single(exc.message, source, pointer=pointer, line=line) from None
            _leave_out(exc.element)
            skipped += 1
        except RecursionError:
            raise LoadError.single("document is nested too deeply", source) from None
    return content, reader.XmlLines(root, root_key)


def _leave_out(element: etree._Element) -> None:
    """Remove `element`, and text beside it, from its tree."""
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)  # lxml drops the element's tail with it


def dump_xml(data: dict[str, Any]) -> bytes:
    """Serialize OSCAL JSON data (wrapped in its root key) as pretty-printed UTF-8 OSCAL XML."""
    from oscal_poam.io.xml import writer

    return writer.dump(data)
