"""Markup without any Markdown syntax skips the general conversion (to XML) and the general white space
handling (from XML); the shortcuts must give exactly what the general steps give."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from oscal_poam.io.xml import dump_xml, prose, writer
from oscal_poam.io.xml import markup as markup_module
from oscal_poam.io.xml.markup import OSCAL_NS, markdown_to_xml, plain_line, plain_paragraph
from oscal_poam.io.xml.space import collapse_runs, only_space
from tests.conftest import OSCAL_CONTENT

NS = "{" + OSCAL_NS + "}"

TRICKY = [
    "Plain words, with punctuation.",
    "POA&M 3.1.1 (CUI) - yes: 100%",
    "a \\* b",
    "back\\slash",
    "*em* and **strong**",
    "snake_case_name",
    "_leading underscore",
    "`code` span",
    "a < b and a<b",
    "<b>not bold</b>",
    "AT&T",
    "&amp; &#65; &copy",
    "[link](https://example.com)",
    "see [x] here",
    "# heading",
    "#hashtag",
    "- item",
    "-dash",
    "1. first",
    "1) first",
    "12.5 percent",
    "2026. A year",
    "\ttab first",
    "tab\tinside",
    "trailing spaces  ",
    "trailing space ",
    " leading space",
    "line\nbreak",
    "line\r\nbreak",
    "hard  \nbreak",
    "two  spaces",
    "Größe, café — naïve ✓ 你好",
    "\u00a0non-breaking\u00a0",
    "\u2003em space first",
    "{{ insert: param, x }}",
    "value {{ insert: param, ac-1_prm_1 }} here",
    "{ braces } and }{",
    "~sub~ and ^sup^",
    '"quoted"',
    "a | b",
    "> quote",
    "+ plus",
    "= equals",
    ":- colon",
    "!bang and ![img](x.png)",
    "***",
    "---",
    "x\\",
    "",
    " ",
    "   ",
    "\n",
    "\u00a0",
]
"""Strings that do and do not hold Markdown syntax, at the edges of the shortcuts."""


def _xml(markdown: str, multiline: bool) -> bytes:
    holder = etree.Element(NS + "x", nsmap={None: OSCAL_NS})
    markdown_to_xml(holder, markdown, multiline)
    return etree.tostring(holder)


def _document(text: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((OSCAL_CONTENT / "catalog" / "json" / "basic-catalog.json").read_bytes())
    metadata = data["catalog"]["metadata"]
    metadata["title"] = text  # markup-line
    metadata["remarks"] = text  # markup-multiline
    control = data["catalog"]["groups"][0]["groups"][0]["controls"][0]
    control["parts"][0]["prose"] = text  # markup-multiline without an element of its own
    return data


def _both(fn: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """`fn()` with the shortcuts, then without them."""
    fast = fn()
    with monkeypatch.context() as patched:
        patched.setattr(markup_module, "plain_paragraph", lambda markdown: None)
        patched.setattr(markup_module, "plain_line", lambda markdown: False)
        patched.setattr(prose, "plain_forms", lambda: ((lambda markdown: None), (lambda markdown: False)))
        patched.setattr(writer, "_COMPILER", writer._Compiler())
        general = fn()
    return fast, general


@pytest.mark.parametrize("text", TRICKY)
@pytest.mark.parametrize("multiline", [True, False])
def test_markdown_without_syntax_gives_the_xml_of_the_general_conversion(
    text: str, multiline: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast, general = _both(lambda: _xml(text, multiline), monkeypatch)
    assert fast == general


@pytest.mark.parametrize("text", TRICKY)
def test_the_writer_shortcut_gives_the_bytes_of_the_general_conversion(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _document(text)
    fast, general = _both(lambda: dump_xml(data), monkeypatch)
    assert fast == general


def test_the_shortcuts_are_taken_for_plain_text_only() -> None:
    assert plain_paragraph("Plain words, with punctuation.") == "Plain words, with punctuation."
    assert plain_paragraph("POA&M 3.1.1 (CUI) - yes: 100%") is None  # '&' may begin an entity
    assert plain_paragraph(" leading space") is None  # may begin a code block
    assert plain_paragraph("1. first") is None and plain_paragraph("# heading") is None
    assert plain_paragraph("line\nbreak") is None and plain_paragraph("\u00a0") is None
    assert plain_line("Größe, café") and not plain_line("") and not plain_line("*em*")


_ALPHABET = 'ab1.)#>-+*_`\\[]()<>&;!{}~^"|:= \t\r\n\u00a0\u2003é'


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=16), multiline=st.booleans())
def test_any_text_gives_the_xml_of_the_general_conversion(text: str, multiline: bool) -> None:
    fast = _xml(text, multiline)
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(markup_module, "plain_paragraph", lambda markdown: None)
        patched.setattr(markup_module, "plain_line", lambda markdown: False)
        general = _xml(text, multiline)
    assert fast == general


_XML_SPACE = re.compile(r"[ \t\r\n]+")


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet="ab \t\r\n\u00a0\u2003\x0b\x0c\x1c\u3000", max_size=12))
def test_white_space_shortcuts_agree_with_the_regular_expression(text: str) -> None:
    assert collapse_runs(text) == _XML_SPACE.sub(" ", text)
    assert only_space(text) == bool(_XML_SPACE.fullmatch(text))
