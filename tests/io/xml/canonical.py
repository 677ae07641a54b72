"""Comparing OSCAL XML documents as trees, with every normalization named and justified.

NORMALIZATIONS lists what `differences` disregards; each item says why the
difference carries no OSCAL content.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from oscal_poam.io.xml.definitions import OSCAL_NAMESPACE

NS = "{" + OSCAL_NAMESPACE + "}"

NORMALIZATIONS = (
    "Whitespace-only text between structural elements (indentation) is ignored: OSCAL assemblies have "
    "element-only content, so it is not part of the document.",
    "Inside markup, each run of XML whitespace (spaces, tabs, line breaks) counts as one space, and whitespace "
    "at the start and end of a block (p, li, h1-h6, td, th) is ignored: markup is HTML-like text, rendered with "
    "whitespace collapsed, and OSCAL's JSON form (Markdown) cannot carry it either. pre keeps its text exactly.",
    "A list item whose content is one paragraph (perhaps followed by sub-lists), <li><p>text</p></li>, equals "
    "<li>text</li>: in Markdown these are the same tight list item, so the JSON form cannot tell them apart, and "
    "HTML renders them alike.",
    "Comments and processing instructions (NIST's <?xml-model?> schema hint) are ignored: they are not OSCAL "
    "content, and the hardened parser drops them.",
)

_RUN = re.compile(r"[ \t\r\n]+")
_BLOCK_TEXT = frozenset(NS + name for name in ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "blockquote"))


def _collapse(text: str | None) -> str:
    return _RUN.sub(" ", text or "")


def _normalized_children(element: etree._Element, in_pre: bool) -> list[object]:
    """An element's content as a list of text strings and child elements, whitespace normalized."""
    items: list[object] = []
    if element.text:
        items.append(element.text if in_pre else _collapse(element.text))
    for child in element:
        if not isinstance(child.tag, str):  # comments, processing instructions
            if child.tail:
                items.append(child.tail if in_pre else _collapse(child.tail))
            continue
        items.append(child)
        if child.tail:
            items.append(child.tail if in_pre else _collapse(child.tail))
    merged: list[object] = []
    for item in items:
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] = merged[-1] + item
        else:
            merged.append(item)
    return merged


def _mixed(items: list[object]) -> bool:
    return any(isinstance(item, str) and item.strip() for item in items)


def differences(ours: etree._Element, theirs: etree._Element, path: str = "") -> Iterator[str]:
    """Each place where two OSCAL XML trees differ after NORMALIZATIONS, as `path: what`."""
    here = f"{path}/{etree.QName(ours).localname}"
    if ours.tag != theirs.tag:
        yield f"{here}: element {ours.tag} != {theirs.tag}"
        return
    attributes = (dict(ours.items()), dict(theirs.items()))
    if attributes[0] != attributes[1]:
        yield f"{here}: attributes {attributes[0]} != {attributes[1]}"
    in_pre = ours.tag == NS + "pre"
    a = _normalized_children(ours, in_pre)
    b = _normalized_children(theirs, in_pre)
    if ours.tag == NS + "li":
        a, b = _tight(a), _tight(b)
    if not in_pre and not (_mixed(a) or _mixed(b)):
        # element-only content: whitespace between children is layout
        a = [item for item in a if not isinstance(item, str)]
        b = [item for item in b if not isinstance(item, str)]
    elif not in_pre and ours.tag in _BLOCK_TEXT:
        a, b = _trim(a), _trim(b)
    if len(a) != len(b):
        yield f"{here}: content {_show(a)} != {_show(b)}"
        return
    for index, (x, y) in enumerate(zip(a, b, strict=True)):
        if isinstance(x, str) or isinstance(y, str):
            if x != y:
                yield (
                    f"{here}: text {x!r} != {y!r}"
                    if isinstance(x, str) and isinstance(y, str)
                    else (f"{here}[{index}]: {_show([x])} != {_show([y])}")
                )
            continue
        assert isinstance(x, etree._Element) and isinstance(y, etree._Element)
        yield from differences(x, y, here)


def _tight(items: list[object]) -> list[object]:
    """The content of a list item holding one paragraph (and sub-lists), with the paragraph unwrapped."""
    elements = [item for item in items if isinstance(item, etree._Element)]
    if _mixed(items) or not elements:
        return items
    first = elements[0]
    if first.tag != NS + "p" or any(e.tag not in (NS + "ul", NS + "ol") for e in elements[1:]):
        return items
    return [*_normalized_children(first, False), *elements[1:]]


def _trim(items: list[object]) -> list[object]:
    items = list(items)
    if items and isinstance(items[0], str):
        items[0] = items[0].lstrip(" ")
        if not items[0]:
            items.pop(0)
    if items and isinstance(items[-1], str):
        items[-1] = items[-1].rstrip(" ")
        if not items[-1]:
            items.pop()
    return items


def _show(items: list[object]) -> str:
    shown = [item if isinstance(item, str) else f"<{etree.QName(item).localname}>" for item in items]  # type: ignore[arg-type]
    return repr(shown)[:300]
