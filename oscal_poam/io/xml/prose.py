"""Markup values between the binding and the Markdown <-> XML conversion.

The conversion itself lives in `markup`; this module loads it once and keeps
the binding's calls typed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Protocol, cast

from lxml import etree


class _Markup(Protocol):
    def markdown_to_xml(self, parent: etree._Element, markdown: str, multiline: bool) -> None: ...

    def xml_to_markdown(self, element: etree._Element, multiline: bool) -> str: ...

    def plain_paragraph(self, markdown: str) -> str | None: ...

    def plain_line(self, markdown: str) -> bool: ...


@cache
def _markup() -> _Markup:
    return cast(_Markup, importlib.import_module("oscal_poam.io.xml.markup"))


ToXml = Callable[[etree._Element, str, bool], None]
ToMarkdown = Callable[[etree._Element, bool], str]


def converters() -> tuple[ToXml, ToMarkdown]:
    """The two conversions themselves, for callers that bind them once (the compiled binding)."""
    module = _markup()
    return module.markdown_to_xml, module.xml_to_markdown


def plain_forms() -> tuple[Callable[[str], str | None], Callable[[str], bool]]:
    """The tests for Markdown without any syntax, whose XML needs no conversion (see `markup.plain_paragraph` and
    `markup.plain_line`), for the writer's common case."""
    module = _markup()
    return module.plain_paragraph, module.plain_line


def to_xml(parent: etree._Element, markdown: str, multiline: bool) -> None:
    """Append the XML markup for `markdown` to `parent`."""
    _markup().markdown_to_xml(parent, markdown, multiline)


def to_markdown(element: etree._Element, multiline: bool) -> str:
    """The Markdown for the content of `element`."""
    return _markup().xml_to_markdown(element, multiline)
