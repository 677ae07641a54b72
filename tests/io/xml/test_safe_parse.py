"""Untrusted XML: external entities, entity expansion, external DTDs and any DOCTYPE are refused, offline.

Every hostile document here points at a local file holding a secret or at a local TCP listener; the tests
assert that the secret never appears, that the listener never saw a connection (recent libxml2 releases
have no HTTP client at all, and the parser is configured with no_network as well), and that the message
names the reason and the place.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from oscal_poam.errors import LoadError
from oscal_poam.io.load import load, parse
from oscal_poam.io.xml import read_xml
from oscal_poam.io.xml.safe_parse import _parser, find_doctype, parse_xml

LIMIT = 1 << 20
CATALOG_OPEN = '<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" uuid="74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724">'


class Listener:
    """A TCP server on localhost that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.02)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    return path


def hostile(listener: Listener, secret: Path) -> dict[str, bytes]:
    body = f"{CATALOG_OPEN}<metadata><title>&x;</title></metadata></catalog>"
    laughs = "".join(f'<!ENTITY l{n} "{"".join(f"&l{n - 1};" for _ in range(10))}">' for n in range(1, 10))
    return {
        "xxe-file": f'<!DOCTYPE catalog [<!ENTITY x SYSTEM "{secret.as_uri()}">]>{body}'.encode(),
        "xxe-network": f'<!DOCTYPE catalog [<!ENTITY x SYSTEM "{listener.url("x.txt")}">]>{body}'.encode(),
        "billion-laughs": (
            f'<?xml version="1.0"?><!DOCTYPE catalog [<!ENTITY l0 "ha">{laughs}<!ENTITY x "&l9;">]>{body}'
        ).encode(),
        "external-dtd": (f'<!DOCTYPE catalog SYSTEM "{listener.url("oscal.dtd")}">{CATALOG_OPEN}</catalog>').encode(),
        "parameter-entity": (
            f'<!DOCTYPE catalog [<!ENTITY % p SYSTEM "{listener.url("p.dtd")}"> %p;]>{CATALOG_OPEN}</catalog>'
        ).encode(),
        "bare-doctype": (
            f"<?xml version='1.0'?>\n<!-- a comment -->\n<!DOCTYPE catalog>{CATALOG_OPEN}</catalog>"
        ).encode(),
    }


KINDS = ["xxe-file", "xxe-network", "billion-laughs", "external-dtd", "parameter-entity", "bare-doctype"]


@pytest.mark.parametrize("kind", KINDS)
def test_hostile_documents_are_refused_offline(kind: str, listener: Listener, secret: Path) -> None:
    data = hostile(listener, secret)[kind]
    with pytest.raises(LoadError) as caught:
        read_xml(data, "evil.xml", LIMIT)
    problem = caught.value.problems[0]
    assert "refused" in problem.message and "DOCTYPE" in problem.message
    assert problem.file == "evil.xml" and problem.line is not None and problem.column is not None
    assert "TOP-SECRET" not in str(caught.value)
    assert listener.connections == 0


def test_the_refusal_names_the_line_and_column_of_the_doctype(listener: Listener, secret: Path) -> None:
    data = hostile(listener, secret)["bare-doctype"]
    with pytest.raises(LoadError) as caught:
        read_xml(data, "evil.xml", LIMIT)
    assert (caught.value.problems[0].line, caught.value.problems[0].column) == (3, 1)


@pytest.mark.parametrize("kind", KINDS)
def test_the_parser_alone_neither_expands_nor_fetches(kind: str, listener: Listener, secret: Path) -> None:
    """Defence in depth: even a document the DOCTYPE check missed is parsed without entities or network."""
    data = hostile(listener, secret)[kind]
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        root = None  # undefined entities are an error, not an expansion
    if root is not None:
        text = etree.tostring(root, encoding="unicode")
        assert "TOP-SECRET" not in text
        assert "haha" not in text
    assert listener.connections == 0


def test_loading_a_hostile_file_refuses_it_and_leaves_it_alone(
    tmp_path: Path, listener: Listener, secret: Path
) -> None:
    path = tmp_path / "evil.xml"
    data = hostile(listener, secret)["xxe-network"]
    path.write_bytes(data)
    with pytest.raises(LoadError, match="DOCTYPE"):
        load(path)
    assert path.read_bytes() == data
    assert listener.connections == 0


def test_a_doctype_after_a_byte_order_mark_and_comments_is_found() -> None:
    data = b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- x -->\n<?pi x?>\n<!DOCTYPE catalog>" + CATALOG_OPEN.encode()
    offset = find_doctype(data)
    assert offset is not None and data[offset:].startswith(b"<!DOCTYPE")
    assert find_doctype(CATALOG_OPEN.encode() + b"<!-- <!DOCTYPE x> --></catalog>") is None


def test_the_size_cap_is_applied_before_parsing() -> None:
    data = f"{CATALOG_OPEN}</catalog>".encode()
    with pytest.raises(LoadError, match="over the limit"):
        parse_xml(data, "big.xml", max_bytes=len(data) - 1)
    assert parse_xml(data, "big.xml", max_bytes=len(data)).tag.endswith("catalog")


def test_the_size_cap_reaches_xml_through_the_loader() -> None:
    data = f"{CATALOG_OPEN}</catalog>".encode()
    with pytest.raises(LoadError, match="over the limit"):
        parse(data, "big.xml", max_bytes=10)


def test_malformed_xml_is_reported_with_line_and_column() -> None:
    data = f"{CATALOG_OPEN}\n  <metadata>\n    <title>x</titel>\n</catalog>".encode()
    with pytest.raises(LoadError) as caught:
        read_xml(data, "broken.xml", LIMIT)
    problem = caught.value.problems[0]
    assert problem.message.startswith("invalid XML:")
    # libxml2 detects the mismatch at the end of the closing tag
    assert (problem.line, problem.column) == (3, 21)
    assert str(problem) == "broken.xml:3:21: invalid XML: Opening and ending tag mismatch: title line 3 and titel"


def test_undefined_entities_are_an_error_not_text() -> None:
    data = f"{CATALOG_OPEN}<metadata><title>&nbsp;</title></metadata></catalog>".encode()
    with pytest.raises(LoadError, match="invalid XML"):
        read_xml(data, "entity.xml", LIMIT)


def test_deep_nesting_is_refused_by_the_parser() -> None:
    depth = 300  # beyond libxml2's limit without huge_tree
    data = (CATALOG_OPEN + "<group>" * depth + "</group>" * depth + "</catalog>").encode()
    with pytest.raises(LoadError, match="invalid XML"):
        read_xml(data, "deep.xml", LIMIT)


def test_an_unsafe_parser_would_leak_the_file(listener: Listener, secret: Path) -> None:
    """The control for the tests above: a parser that resolves entities does read the secret file."""
    data = hostile(listener, secret)["xxe-file"]
    unsafe = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True)
    assert "TOP-SECRET" in etree.tostring(etree.fromstring(data, unsafe), encoding="unicode")
