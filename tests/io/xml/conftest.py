"""Fixtures for the XML tests."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.io.xml.documents import XSD


@pytest.fixture(scope="session")
def xsd() -> etree.XMLSchema:
    """The OSCAL 1.2.1 complete XSD (loaded once: it is large)."""
    return etree.XMLSchema(file=str(XSD))
