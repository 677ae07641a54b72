"""Markdown <-> OSCAL XML markup, checked against NIST's own example documents and by round trips."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from oscal_poam.io.xml.markup import BLOCK_ELEMENTS, OSCAL_NS, MarkupError, markdown_to_xml, xml_to_markdown
from tests.conftest import OSCAL_CONTENT

NS = "{" + OSCAL_NS + "}"

# ----------------------------------------------------------------------------------------------
# Equivalence: the normalizations the module documents, applied to both sides before comparing.

_WS = re.compile(r"[ \t\r\n]+")
_RENAMED = {"b": "strong", "i": "em"}
_CONTAINERS = {"li", "blockquote", "root", "ul", "ol", "table", "tr"}
_BLOCK_LINES = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td"}

Canon = tuple[Any, ...]


def _name(element: etree._Element) -> str:
    tag = str(element.tag)
    return tag[len(NS) :] if tag.startswith(NS) else tag


def _raw(element: etree._Element) -> list[Any]:
    items: list[Any] = [element.text] if element.text else []
    for child in element:
        if isinstance(child.tag, str):
            name = _RENAMED.get(_name(child), _name(child))
            attrs = tuple(
                sorted((k, v) for k, v in child.attrib.items() if v and k != "class" and (k, v) != ("start", "1"))
            )
            if name == "pre":
                items.append((name, attrs, ("".join(child.itertext()),)))
            elif name == "code":
                items.append((name, attrs, (_WS.sub(" ", "".join(child.itertext())),)))
            elif name in _CONTAINERS:
                items.append((name, attrs, _container(child, name)))
            else:
                items.append((name, attrs, _inline(_raw(child), block=name in _BLOCK_LINES)))
        if child.tail:
            items.append(child.tail)
    return items


_BR = ("br", (), ())
_WRAPPERS = {"em", "strong", "sub", "sup", "q", "a"}


def _hoisted(items: list[Any]) -> list[Any]:
    """Spaces and line breaks at the inner edges of inline elements, moved outside them."""
    out: list[Any] = []
    for item in items:
        if isinstance(item, str) or item[0] not in _WRAPPERS:
            out.append(item)
            continue
        kids = list(item[2])
        before: list[Any] = []
        after: list[Any] = []
        while kids and (kids[0] == _BR or (isinstance(kids[0], str) and kids[0].startswith(" "))):
            before.append(kids.pop(0) if kids[0] == _BR else " ")
            if isinstance(kids[0] if kids else None, str) and before[-1] == " ":
                kids[0] = kids[0][1:]
                kids = [kid for kid in kids if kid != ""]
        while kids and (kids[-1] == _BR or (isinstance(kids[-1], str) and kids[-1].endswith(" "))):
            after.insert(0, kids.pop() if kids[-1] == _BR else " ")
            if isinstance(kids[-1] if kids else None, str) and after[0] == " ":
                kids[-1] = kids[-1][:-1]
                kids = [kid for kid in kids if kid != ""]
        out.extend(before)
        if kids or item[0] == "a":
            out.append((item[0], item[1], tuple(kids)))
        out.extend(after)
    return out


def _inline(items: list[Any], block: bool = True) -> tuple[Any, ...]:
    """Inline content; `block` when it is all of a block's (or a markup-line's) content."""
    out: list[Any] = []
    for item in _hoisted(items):
        if isinstance(item, str):
            item = _WS.sub(" ", item)
            if out and isinstance(out[-1], str):
                out[-1] = _WS.sub(" ", out[-1] + item)
            else:
                out.append(item)
        else:
            out.append(item)
    merged: list[Any] = []
    for item in out:
        if not isinstance(item, str) and item[0] == "code" and merged and merged[-1][0] == "code":
            merged[-1] = ("code", (), (merged[-1][2][0] + item[2][0],))
        elif not isinstance(item, str) and item[0] in ("em", "strong") and merged and merged[-1][0] == item[0]:
            merged[-1] = (item[0], (), _inline([*merged[-1][2], *item[2]], block=False))
        else:
            merged.append(item)
    out = merged
    for index, item in enumerate(out):
        if isinstance(item, str):
            if index > 0 and out[index - 1] == _BR:
                out[index] = item = item.lstrip(" ")
            if index + 1 < len(out) and out[index + 1] == _BR:
                out[index] = item.rstrip(" ")
    out = [item for item in out if item != ""]
    if not block:
        return tuple(out)
    while out and (out[0] == _BR or out[0] == " "):
        out.pop(0)
    while out and (out[-1] == _BR or out[-1] == " "):
        out.pop()
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip(" ")
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(" ")
    return tuple(item for item in out if item != "")


def _container(element: etree._Element, name: str) -> tuple[Any, ...]:
    items = _raw(element)
    if name == "table":
        return _canon_table([item[2] for item in items if not isinstance(item, str)])
    if name in ("ul", "ol", "tr"):
        return tuple(item for item in items if not isinstance(item, str))
    parts: list[Any] = []
    run: list[Any] = []
    for item in [*items, None]:
        if item is None or (not isinstance(item, str) and item[0] not in _INLINE_NAMES):
            inline = _inline(run)
            if inline:
                parts.append(("p", (), inline))
            run = []
            if item is not None and item[:3] != ("p", (), ()):
                parts.append(item)
        else:
            run.append(item)
    if name == "li":
        paragraphs = [part for part in parts if part[0] == "p"]
        if len(paragraphs) == 1:
            unwrapped: list[Any] = []
            for part in parts:
                unwrapped.extend(part[2] if part[0] == "p" else (part,))
            return tuple(unwrapped)
    return tuple(parts)


def _canon_table(rows: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """th in the first row, td elsewhere, rows padded to the widest, columns aligned as their first cell."""
    width = max(len(row) for row in rows)
    aligns = [dict(cell[1]).get("align") for cell in rows[0]] + [None] * width
    out = []
    for index, row in enumerate(rows):
        cells = [*(cell[2] for cell in row), *([()] * (width - len(row)))]
        kind = "th" if index == 0 else "td"
        out.append(
            ("tr", (), tuple((kind, (("align", a),) if a else (), c) for a, c in zip(aligns, cells, strict=False)))
        )
    return tuple(out)


_INLINE_NAMES = {"a", "em", "strong", "b", "i", "code", "sub", "sup", "q", "img", "insert", "br"}


_KIN = {
    "em": ("em", "i"),
    "i": ("em", "i"),
    "strong": ("strong", "b"),
    "b": ("strong", "b"),
    "sub": ("sub",),
    "sup": ("sup",),
}


def canon(element: etree._Element, multiline: bool) -> Canon:
    """`element`'s content with every documented normalization applied, as nested tuples."""
    element = copy.deepcopy(element)
    for line in element.iter(*(NS + name for name in ("h1", "h2", "h3", "h4", "h5", "h6", "th", "td"))):
        # Headings and table cells are one line: a line break there is a space.
        for br in list(line.iter(NS + "br")):
            _append_before(br, " " + (br.tail or ""))
            br.getparent().remove(br)
    for node in list(element.iter()):
        kin = _KIN.get(_name(node)) if isinstance(node.tag, str) else None
        if kin and not any(_name(up) in kin for up in node.iterancestors()):
            etree.strip_tags(node, *(NS + name for name in kin))
    return _container(element, "root") if multiline else _inline(_raw(element))


def _append_before(node: etree._Element, text: str) -> None:
    """Add `text` where `node` stands, as the tail of its previous sibling or its parent's text."""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = node.getparent()
        parent.text = (parent.text or "") + text


def md_norm(markdown: str) -> str:
    """Markdown with spacing that CommonMark ignores made uniform (fenced code left alone)."""
    out: list[str] = []
    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            out.append(line.strip())
        elif fenced:
            out.append(line)
        else:
            out.append(re.sub(r" {2,}", " ", line).strip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def element(multiline: bool = True) -> etree._Element:
    return etree.Element(NS + ("remarks" if multiline else "title"), nsmap={None: OSCAL_NS})


def to_xml(markdown: str, multiline: bool = True) -> etree._Element:
    holder = element(multiline)
    markdown_to_xml(holder, markdown, multiline)
    return holder


def from_xml(fragment: str, multiline: bool = True) -> str:
    name = "remarks" if multiline else "title"
    return xml_to_markdown(etree.fromstring(f'<{name} xmlns="{OSCAL_NS}">{fragment}</{name}>'), multiline)


def xml_of(holder: etree._Element) -> str:
    """The inner XML of `holder`, without namespace declarations."""
    text = etree.tostring(holder, encoding="unicode")
    inner = text[text.index(">") + 1 : text.rindex("<")]
    return inner.replace(f' xmlns="{OSCAL_NS}"', "")


# ----------------------------------------------------------------------------------------------
# NIST examples: the same documents in JSON (Markdown) and XML (markup elements).

_LINE_FIELDS = {"title", "text", "label", "purpose", "caption"}
_MULTILINE_FIELDS = {"description", "remarks", "statement", "usage"}


@dataclass(frozen=True)
class Pair:
    document: str
    pointer: str
    markdown: str
    xml: etree._Element
    multiline: bool

    def __str__(self) -> str:
        return f"{self.document}#{self.pointer}"


def _unique(element: etree._Element, name: str) -> etree._Element | None:
    found = [child for child in element if child.tag == NS + name]
    return found[0] if len(found) == 1 else None


def _document_pairs(json_path: Path, xml_path: Path) -> Iterator[Pair]:
    """Walk the JSON; an object is matched to the XML element with its uuid or id, else through its parent."""
    tree = etree.parse(str(xml_path))
    identified: dict[tuple[str, str], list[etree._Element]] = {}
    for node in tree.iter():
        for flag in ("uuid", "id"):
            if node.get(flag):
                identified.setdefault((flag, str(node.get(flag))), []).append(node)
    name = json_path.parent.parent.name + "/" + json_path.name

    def walk(value: Any, pointer: str, xml: etree._Element | None) -> Iterator[Pair]:
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, f"{pointer}/{index}", None)
            return
        if not isinstance(value, dict):
            return
        for flag in ("uuid", "id"):
            matches = identified.get((flag, str(value.get(flag))), [])
            if isinstance(value.get(flag), str) and len(matches) == 1:
                xml = matches[0]
                break
        if xml is not None:
            for key, field in value.items():
                if key == "prose":
                    prose = etree.Element(NS + "prose")
                    prose.extend(copy.deepcopy(child) for child in xml if child.tag in BLOCK_ELEMENTS)
                    yield Pair(name, f"{pointer}/prose", field, prose, True)
                elif key in _LINE_FIELDS | _MULTILINE_FIELDS and isinstance(field, str):
                    counterpart = _unique(xml, key)
                    if counterpart is not None:
                        yield Pair(name, f"{pointer}/{key}", field, counterpart, key in _MULTILINE_FIELDS)
                elif key == "select" and isinstance(field, dict):
                    select = _unique(xml, "select")
                    choices = [] if select is None else [c for c in select if c.tag == NS + "choice"]
                    for index, (choice, counterpart) in enumerate(zip(field.get("choice", []), choices, strict=False)):
                        yield Pair(name, f"{pointer}/select/choice/{index}", choice, counterpart, False)
                elif key == "links" and isinstance(field, list):
                    links = [child for child in xml if child.tag == NS + "link"]
                    for index, (link, counterpart) in enumerate(zip(field, links, strict=True)):
                        text = counterpart.find(NS + "text")
                        if "text" in link and text is not None:
                            yield Pair(name, f"{pointer}/links/{index}/text", link["text"], text, False)
        for key, field in value.items():
            child = _unique(xml, key) if xml is not None and isinstance(field, dict) else None
            yield from walk(field, f"{pointer}/{key}", child)

    seen: set[str] = set()
    with json_path.open(encoding="utf-8") as handle:
        for pair in walk(json.load(handle), "", None):
            if pair.pointer not in seen:
                seen.add(pair.pointer)
                yield pair


def _markup_values(value: Any) -> int:
    if isinstance(value, dict):
        return sum(
            1
            if key in _LINE_FIELDS | _MULTILINE_FIELDS | {"prose"} and isinstance(field, str)
            else len(field)
            if key == "choice" and isinstance(field, list)
            else _markup_values(field)
            for key, field in value.items()
        )
    if isinstance(value, list):
        return sum(_markup_values(item) for item in value)
    return 0


@pytest.fixture(scope="module")
def nist_pairs() -> list[Pair]:
    pairs: list[Pair] = []
    for json_path in sorted(OSCAL_CONTENT.glob("*/json/*.json")):
        xml_path = json_path.parent.parent / "xml" / (json_path.stem + ".xml")
        if xml_path.exists():
            pairs.extend(_document_pairs(json_path, xml_path))
    return pairs


def test_nist_pairs_cover_the_markup_of_every_example(nist_pairs: list[Pair]) -> None:
    """Nearly every markup value in the JSON examples has an XML counterpart to compare with."""
    total = 0
    for json_path in sorted(OSCAL_CONTENT.glob("*/json/*.json")):
        if (json_path.parent.parent / "xml" / (json_path.stem + ".xml")).exists():
            total += _markup_values(json.loads(json_path.read_text(encoding="utf-8")))
    assert len({str(pair) for pair in nist_pairs}) >= 0.95 * total
    used = {_name(node) for pair in nist_pairs for node in pair.xml.iter() if node is not pair.xml}
    assert {"p", "ul", "ol", "li", "pre", "a", "em", "strong", "code", "q", "insert"} <= used


def test_nist_xml_becomes_nist_markdown(nist_pairs: list[Pair]) -> None:
    """XML -> Markdown reproduces the JSON example, up to spacing Markdown ignores."""
    wrong = [
        f"{pair}: {xml_to_markdown(pair.xml, pair.multiline)!r} != {pair.markdown!r}"
        for pair in nist_pairs
        if md_norm(xml_to_markdown(pair.xml, pair.multiline)) != md_norm(pair.markdown)
    ]
    assert not wrong, "\n".join(wrong)


def test_nist_markdown_mostly_reproduced_exactly(nist_pairs: list[Pair]) -> None:
    """Where NIST's Markdown carries no stray spaces, ours is the same string."""
    tidy = [pair for pair in nist_pairs if pair.markdown == md_norm(pair.markdown)]
    assert len(tidy) > len(nist_pairs) // 2
    for pair in tidy:
        assert xml_to_markdown(pair.xml, pair.multiline) == pair.markdown, str(pair)


def test_nist_markdown_becomes_nist_xml(nist_pairs: list[Pair]) -> None:
    """Markdown -> XML reproduces the XML example, up to the documented normalizations."""
    wrong = []
    for pair in nist_pairs:
        holder = etree.Element(pair.xml.tag)
        markdown_to_xml(holder, pair.markdown, pair.multiline)
        if canon(holder, pair.multiline) != canon(pair.xml, pair.multiline):
            wrong.append(f"{pair}: {canon(holder, pair.multiline)} != {canon(pair.xml, pair.multiline)}")
    assert not wrong, "\n".join(wrong)


def test_nist_xml_round_trips(nist_pairs: list[Pair]) -> None:
    for pair in nist_pairs:
        holder = etree.Element(pair.xml.tag)
        markdown_to_xml(holder, xml_to_markdown(pair.xml, pair.multiline), pair.multiline)
        assert canon(holder, pair.multiline) == canon(pair.xml, pair.multiline), str(pair)


def _catalog() -> tuple[dict[str, Any], etree._ElementTree]:
    base = OSCAL_CONTENT / "catalog"
    data = json.loads((base / "json" / "basic-catalog.json").read_text(encoding="utf-8"))
    return data["catalog"], etree.parse(str(base / "xml" / "basic-catalog.xml"))


def test_catalog_remarks_with_link_emphasis_and_quote() -> None:
    catalog, tree = _catalog()
    remarks = tree.find(f"{NS}metadata/{NS}remarks")
    assert remarks is not None
    assert xml_to_markdown(remarks, True) == catalog["metadata"]["remarks"]
    assert xml_to_markdown(tree.find(f"{NS}metadata/{NS}title"), False) == catalog["metadata"]["title"]


def test_catalog_insert_in_a_choice() -> None:
    catalog, tree = _catalog()
    control = catalog["groups"][0]["groups"][0]["controls"][0]
    choice = tree.find(f".//{NS}param[@id='s1.1.1-prm1']/{NS}select/{NS}choice")
    assert choice is not None
    assert xml_to_markdown(choice, False) == control["params"][0]["select"]["choice"][0]
    rebuilt = to_xml(control["params"][0]["select"]["choice"][0], False)
    insert = rebuilt.find(NS + "insert")
    assert insert is not None
    assert (insert.get("type"), insert.get("id-ref")) == ("param", "s1.1.1-prm_2")


# ----------------------------------------------------------------------------------------------
# The mapping, element by element.


@pytest.mark.parametrize(
    ("markdown", "xml"),
    [
        ("**strong** and *em*", "<strong>strong</strong> and <em>em</em>"),
        ("`code` here", "<code>code</code> here"),
        ("H~2~O and E=mc^2^", "H<sub>2</sub>O and E=mc<sup>2</sup>"),
        ('a "quoted" word', "a <q>quoted</q> word"),
        ("see [NIST](https://www.nist.gov/)", 'see <a href="https://www.nist.gov/">NIST</a>'),
        ('[t](#x "Title")', '<a href="#x" title="Title">t</a>'),
        ('![alt text](img.png "Shown")', '<img src="img.png" alt="alt text" title="Shown"/>'),
        ("{{ insert: param, pm-1 }} days", '<insert type="param" id-ref="pm-1"/> days'),
        ("{{insert:param,ac-1_prm_1}}", '<insert type="param" id-ref="ac-1_prm_1"/>'),
        ("one\\\ntwo", "one<br/>two"),
        ("***both***", "<em><strong>both</strong></em>"),
        ("AT&amp;T", "AT&amp;T"),
        ("<b>not html</b>", "&lt;b&gt;not html&lt;/b&gt;"),
        ("5\\* 3", "5* 3"),
    ],
)
def test_markdown_line_to_xml(markdown: str, xml: str) -> None:
    assert xml_of(to_xml(markdown, False)) == xml


@pytest.mark.parametrize(
    ("xml", "markdown"),
    [
        ("<strong>strong</strong> and <b>bold</b>", "**strong** and **bold**"),
        ("<em>em</em> and <i>italic</i>", "*em* and *italic*"),
        ("H<sub>2</sub>O E=mc<sup>2</sup>", "H~2~O E=mc^2^"),
        ("a <q>quoted</q> word", 'a "quoted" word'),
        ('<insert type="param" id-ref="pm-1"/>', "{{ insert: param, pm-1 }}"),
        ('<a href="https://example.com/a_(b)">x</a>', "[x](<https://example.com/a_(b)>)"),
        ('<img src="a.png"/>', "![](a.png)"),
        ("<code>a`b</code>", "``a`b``"),
        ("<code>`</code>", "`` ` ``"),
        ("a<em> b </em>c", "a *b* c"),
        ("<strong><em>x</em></strong>", "**_x_**"),
        ("<em><strong>x</strong> y</em>", "*__x__ y*"),
        ("<em>a</em><strong>b</strong>", "*a*__b__"),
        ("<em>a</em><em>b</em>x", "_a_*b*x"),
        ("x<em>a</em><em>b</em>y", "x*ab*y"),
        ("  plain \n  text  ", "plain text"),
        ('say "hi" * 2 ~ 3 ^ 4 `x` \\', 'say \\"hi\\" \\* 2 \\~ 3 \\^ 4 \\`x\\` \\\\'),
        ("ac-2_prm_1 and _lead", "ac-2_prm_1 and \\_lead"),
        ("[Assignment: value]; [a](b) {{ insert: x, y }}", "[Assignment: value]; [a\\](b) \\{{ insert: x, y }}"),
        ("AT&amp;T &amp;copy; a &lt;b&gt; a &lt; b", "AT&T \\&copy; a \\<b> a < b"),
    ],
)
def test_xml_line_to_markdown(xml: str, markdown: str) -> None:
    assert from_xml(xml, False) == markdown


@pytest.mark.parametrize(
    ("xml", "markdown"),
    [
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("<h2>Title</h2><p>x</p>", "## Title\n\nx"),
        ("<ul><li>a</li><li>b</li></ul>", "* a\n* b"),
        ('<ol start="3"><li>a</li><li>b</li></ol>', "3. a\n1. b"),
        ("<ol><li>a<ul><li>b</li></ul></li></ol>", "1. a\n   * b"),
        ("<ul><li><p>a</p></li><li><p>b</p></li></ul>", "* a\n* b"),
        ("<ul><li><p>a</p><p>b</p></li><li>c</li></ul>", "* a\n\n  b\n\n* c"),
        ("<ul><li>a</li></ul><ul><li>b</li></ul>", "* a\n\n- b"),
        ("<pre>x = 1\n  y</pre>", "```\nx = 1\n  y\n```"),
        ("<pre>```\nx</pre>", "````\n```\nx\n````"),
        ("<blockquote><p>q</p><p>r</p></blockquote>", "> q\n>\n> r"),
        ("<p>a</p><hr/><p>b</p>", "a\n\n___\n\nb"),
        (
            '<table><tr><th>A</th><th align="right">B</th></tr><tr><td>1|2</td><td><code>x|y</code></td></tr></table>',
            "| A | B |\n| --- | ---: |\n| 1\\|2 | `x\\|y` |",
        ),
        (
            '<table><tr><td>a</td></tr><tr><td>b</td><td align="center">c</td></tr></table>',
            "| a |  |\n| --- | --- |\n| b | c |",
        ),
        (
            "<p># not a heading</p><p>1. not a list</p><p>- nor this</p>",
            "\\# not a heading\n\n1\\. not a list\n\n\\- nor this",
        ),
        ("<p>a<br/>&gt; b<br/>=== </p>", "a\\\n\\> b\\\n\\==="),
        ("<h1>C#</h1>", "# C\\#"),
        ("<p>\u00a0x\u00a0</p>", "&#160;x&#160;"),
        ('<p><img src="a.png" alt="A"/></p>', "![A](a.png)"),
    ],
)
def test_xml_blocks_to_markdown(xml: str, markdown: str) -> None:
    assert from_xml(xml) == markdown


@pytest.mark.parametrize(
    ("markdown", "xml"),
    [
        ("One.\n\nTwo.", "<p>One.</p><p>Two.</p>"),
        ("# H1\n\n###### H6", "<h1>H1</h1><h6>H6</h6>"),
        ("* a\n* b", "<ul><li>a</li><li>b</li></ul>"),
        ("- a\n\n- b", "<ul><li><p>a</p></li><li><p>b</p></li></ul>"),
        ("3. a\n1. b", '<ol start="3"><li>a</li><li>b</li></ol>'),
        ("1. a\n   * b", "<ol><li>a<ul><li>b</li></ul></li></ol>"),
        ("```python\nx\n```", "<pre>x</pre>"),
        ("    indented", "<pre>indented</pre>"),
        ("> q", "<blockquote><p>q</p></blockquote>"),
        ("---", "<hr/>"),
        (
            "| A | B |\n|:--|:-:|\n| 1 | 2 |",
            '<table><tr><th align="left">A</th><th align="center">B</th></tr>'
            '<tr><td align="left">1</td><td align="center">2</td></tr></table>',
        ),
        ("Setext\n===", "<h1>Setext</h1>"),
        ("[ref]\n\n[ref]: https://x.example/", '<p><a href="https://x.example/">ref</a></p>'),
        ("<https://x.example/>", '<p><a href="https://x.example/">https://x.example/</a></p>'),
        ("plain text", "<p>plain text</p>"),
        ("  padded  ", "<p>padded</p>"),
        ("", ""),
    ],
)
def test_markdown_blocks_to_xml(markdown: str, xml: str) -> None:
    assert xml_of(to_xml(markdown)) == xml


def test_links_keep_their_targets_verbatim() -> None:
    """No percent-encoding and no scheme filter: OSCAL's href is whatever the document says."""
    holder = to_xml("[a](javascript:alert(1)) [b](<a b/ü>)", False)
    assert [a.get("href") for a in holder] == ["javascript:alert(1)", "a b/ü"]
    assert from_xml('<a href="a b/ü">b</a>', False) == "[b](<a b/ü>)"


def test_markdown_is_appended_after_existing_content() -> None:
    holder = element(False)
    holder.text = "start "
    etree.SubElement(holder, NS + "em").text = "x"
    markdown_to_xml(holder, " and *y*", False)
    markdown_to_xml(holder, " end", False)
    assert xml_of(holder) == "start <em>x</em> and <em>y</em> end"


def test_plain_text_is_its_own_xml() -> None:
    for text in ("Plain words, with punctuation.", "POA&M 3.1.1 (CUI) - yes: 100%", "a | b"):
        assert xml_of(to_xml(text)) == f"<p>{text.replace('&', '&amp;')}</p>"
        assert xml_of(to_xml(text, False)) == text.replace("&", "&amp;")


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab1.,;:()-+|#>=!%@$?'/\u00a0\u2003\u3000 \t", max_size=20))
def test_plain_text_fast_path_agrees_with_the_parser(text: str) -> None:
    """A line break or an entity sends Markdown through markdown-it; plain text must read the same."""
    assert xml_of(to_xml(text)) == xml_of(to_xml(text + "\n"))
    assert xml_of(to_xml(text, False)) + "&amp;" == xml_of(to_xml(text + "&amp;", False))


@pytest.mark.parametrize(
    ("fragment", "multiline", "line"),
    [
        ("<p>ok</p>\n<div>no</div>", True, 2),
        ("a <p>block in a line</p>", False, 1),
        ('<p><x:b xmlns:x="urn:other">x</x:b></p>', True, 1),
        ("<ul><p>x</p></ul>", True, 1),
    ],
)
def test_foreign_elements_are_refused_with_their_line(fragment: str, multiline: bool, line: int) -> None:
    with pytest.raises(MarkupError) as raised:
        from_xml(fragment, multiline)
    assert raised.value.line == line
    assert f"line {line}" in str(raised.value)


def test_comments_are_skipped_but_text_after_them_kept() -> None:
    assert from_xml("<p>a <!-- note --> b</p>") == "a b"
    assert from_xml("x<!-- c -->y", False) == "xy"


# ----------------------------------------------------------------------------------------------
# Properties.

_SPECIALS = "*_[]()<>&#!{}~^\"'|\\`.-+=:;/@%$"
_LETTERS = "abcXYZ019é"
_word = st.text(alphabet=_LETTERS + _SPECIALS, min_size=1, max_size=8)
_text = st.lists(_word, min_size=1, max_size=6).map(" ".join)
_line_starts = st.sampled_from(["", "# ", "## ", "1. ", "12) ", "- ", "+ ", "* ", "> ", "= ", "| ", ":-", "[x]: "])


@st.composite
def special_text(draw: st.DrawFn) -> str:
    """Text full of Markdown's special characters, whitespace already normalized."""
    text = draw(_line_starts) + draw(_text)
    if draw(st.booleans()):
        text = text.replace(" ", "\u00a0", 1)
    return text.strip(" ")


_TEXT_CONTEXTS = [
    ("<p>{}</p>", True),
    ("<h3>{}</h3>", True),
    ("<ul><li>{}</li></ul>", True),
    ("<table><tr><th>{}</th></tr><tr><td>x</td></tr></table>", True),
    ("<blockquote><p>{}</p></blockquote>", True),
    ("<p>x <em>{}</em> y</p>", True),
    ('<p><a href="u">{}</a></p>', True),
    ("<p><q>{}</q></p>", True),
    ("{}", False),
    ("x <strong>{}</strong>", False),
]


@settings(max_examples=300, deadline=None)
@given(text=special_text(), context=st.sampled_from(_TEXT_CONTEXTS))
def test_special_characters_survive_exactly(text: str, context: tuple[str, bool]) -> None:
    """Escaping is right: text with Markdown's special characters comes back character for character."""
    template, multiline = context
    holder = etree.Element(NS + "x")
    node = etree.SubElement(holder, NS + "t")
    node.text = text
    fragment = template.format(etree.tostring(node, encoding="unicode").split(">", 1)[1].rsplit("<", 1)[0])
    original = etree.fromstring(f'<r xmlns="{OSCAL_NS}">{fragment}</r>')
    markdown = xml_to_markdown(original, multiline)
    rebuilt = etree.Element(NS + "r")
    markdown_to_xml(rebuilt, markdown, multiline)
    assert canon(rebuilt, multiline) == canon(original, multiline), markdown
    texts = [t for t in rebuilt.itertext() if text in t]
    assert texts, f"{text!r} lost in {markdown!r}"


@settings(max_examples=200, deadline=None)
@given(text=special_text())
def test_plain_line_round_trip_is_exact(text: str) -> None:
    holder = element(False)
    holder.text = text
    rebuilt = to_xml(xml_to_markdown(holder, False), False)
    assert rebuilt.text == text
    assert len(rebuilt) == 0


# Markup trees built from the allowed elements.

_href = st.text(alphabet="abc/:#?=&._-()<> %\\\"'é", min_size=0, max_size=12)
_title = st.one_of(st.none(), st.text(alphabet='ab "\\)(&*', min_size=1, max_size=6))
_ncname = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.-]{0,8}", fullmatch=True)


def _node(name: str, attrs: dict[str, str | None], kids: list[Any]) -> tuple[str, dict[str, str], list[Any]]:
    return (name, {k: v for k, v in attrs.items() if v is not None}, kids)


_img = st.builds(
    lambda src, alt, title: _node("img", {"src": src, "alt": alt, "title": title}, []),
    _href,
    st.one_of(st.none(), _text),
    _title,
)
_code = st.builds(lambda text: _node("code", {}, [text]), _text)
_insert = st.builds(lambda kind, ref: _node("insert", {"type": kind, "id-ref": ref}, []), _ncname, _ncname)
_br = st.just(_node("br", {}, []))


def _phrase(children: st.SearchStrategy[list[Any]]) -> st.SearchStrategy[Any]:
    wrappers = st.sampled_from(["em", "strong", "b", "i", "sub", "sup", "q"])
    return st.one_of(st.builds(lambda name, kids: _node(name, {}, kids), wrappers, children), _code, _img)


def _sequence(item: st.SearchStrategy[Any]) -> st.SearchStrategy[list[Any]]:
    return st.lists(st.one_of(_text, item), min_size=1, max_size=4)


_phrases = st.recursive(
    _phrase(st.lists(_text, min_size=1, max_size=2)), lambda kids: _phrase(_sequence(kids)), max_leaves=6
)
_link = st.builds(
    lambda href, title, kids: _node("a", {"href": href, "title": title}, kids), _href, _title, _sequence(_phrases)
)
_inline_item = st.one_of(_phrases, _link, _insert)


@st.composite
def inline_content(draw: st.DrawFn, breaks: bool = True) -> list[Any]:
    items = draw(_sequence(_inline_item))
    if breaks and len(items) > 1 and draw(st.booleans()):
        items.insert(draw(st.integers(1, len(items) - 1)), _node("br", {}, []))
    return items


_pre = st.builds(
    lambda text: _node("pre", {}, [text]),
    st.text(alphabet="ab `~*#\n -1.", min_size=0, max_size=30).filter(lambda t: "\r" not in t),
)
_heading = st.builds(lambda level, kids: _node(f"h{level}", {}, kids), st.integers(1, 6), inline_content(breaks=False))
_paragraph = st.builds(lambda kids: _node("p", {}, kids), inline_content())


_align = st.sampled_from([None, "left", "center", "right"])


@st.composite
def _table(draw: st.DrawFn) -> Any:
    """Usually a regular table; sometimes ragged, with td in the header or alignment varying by row."""
    width = draw(st.integers(1, 3))
    aligns = [draw(_align) for _ in range(width)]
    irregular = draw(st.integers(0, 3)) == 0
    rows = []
    for index in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["th", "td"])) if irregular else "th" if index == 0 else "td"
        row_aligns = [draw(_align) for _ in range(draw(st.integers(1, 3)))] if irregular else aligns
        cells = [_node(kind, {"align": a}, draw(inline_content(breaks=False))) for a in row_aligns]
        rows.append(_node("tr", {}, cells))
    return _node("table", {}, rows)


def _list_of(items: st.SearchStrategy[list[Any]]) -> st.SearchStrategy[Any]:
    return st.builds(
        lambda name, start, lis: _node(
            name, {"start": start} if name == "ol" else {}, [_node("li", {}, li) for li in lis]
        ),
        st.sampled_from(["ul", "ol"]),
        st.sampled_from([None, "1", "3", "10"]),
        st.lists(items, min_size=1, max_size=3),
    )


def _blocks(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    tight_item = st.builds(lambda inline, sub: inline + sub, inline_content(), st.lists(children, max_size=1))
    loose_item = st.lists(st.one_of(_paragraph, _pre, children), min_size=1, max_size=3)
    return st.one_of(
        _list_of(tight_item),
        _list_of(loose_item),
        st.builds(lambda kids: _node("blockquote", {}, kids), st.lists(children, min_size=1, max_size=2)),
    )


_leaf_blocks = st.one_of(_paragraph, _heading, _pre, _table(), st.just(_node("hr", {}, [])))
_block = st.recursive(_leaf_blocks, _blocks, max_leaves=4)


_KINDS = {"b": "strong", "i": "em"}


def build(
    parent: etree._Element, items: list[Any], spaced: bool = True, kinds: frozenset[str] = frozenset()
) -> etree._Element:
    """Append generated items to `parent`, a space between inline neighbours (as in prose).

    An inline element inside another of its own kind is replaced by its content: for `q`, CommonMark
    cannot always tell those apart (see the module's documentation); the others are normalized so.
    """
    previous_inline = False
    for item in items:
        inline = isinstance(item, str) or item[0] not in _BLOCK_NAMES
        if previous_inline and inline and spaced:
            _append(parent, " ")
        previous_inline = inline
        if isinstance(item, str):
            _append(parent, item)
            continue
        name, attrs, kids = item
        kind = _KINDS.get(name, name)
        if kind in kinds:
            build(parent, kids, spaced, kinds)
            continue
        child = etree.SubElement(parent, NS + name, attrs)
        if name in ("pre", "code"):
            child.text = kids[0]
        else:
            inner = kinds | {kind} if name in _INLINE_NAMES else kinds
            build(child, kids, spaced=name not in ("ul", "ol", "table", "tr"), kinds=inner)
    return parent


_BLOCK_NAMES = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "pre",
    "table",
    "tr",
    "th",
    "td",
    "blockquote",
    "hr",
}


def _append(parent: etree._Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _round_trip(original: etree._Element, multiline: bool) -> tuple[str, etree._Element]:
    markdown = xml_to_markdown(original, multiline)
    rebuilt = etree.Element(original.tag)
    markdown_to_xml(rebuilt, markdown, multiline)
    return markdown, rebuilt


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(items=inline_content())
def test_inline_trees_round_trip(items: list[Any]) -> None:
    """markup-line: XML -> Markdown -> XML gives an equivalent tree."""
    original = build(element(False), items)
    markdown, rebuilt = _round_trip(original, False)
    assert canon(rebuilt, False) == canon(original, False), markdown


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(blocks=st.lists(_block, min_size=1, max_size=4))
def test_multiline_trees_round_trip(blocks: list[Any]) -> None:
    """markup-multiline: XML -> Markdown -> XML gives an equivalent tree."""
    original = build(element(), blocks)
    markdown, rebuilt = _round_trip(original, True)
    assert canon(rebuilt, True) == canon(original, True), markdown


_markdownish = st.text(alphabet='ab1 *_`~^"[]()!<>&#{}:|\\-+=.\n\t', max_size=40)


@settings(max_examples=300, deadline=None)
@given(markdown=_markdownish, multiline=st.booleans())
def test_markdown_read_write_read_is_stable(markdown: str, multiline: bool) -> None:
    """Whatever Markdown says, writing what was read and reading it again says the same."""
    first = to_xml(markdown, multiline)
    second = to_xml(xml_to_markdown(first, multiline), multiline)
    assert canon(second, multiline) == canon(first, multiline)
