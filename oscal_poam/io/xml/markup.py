"""OSCAL markup in its two spellings: Markdown (JSON, YAML) and HTML-like elements (XML).

`markup-line` is inline content; `markup-multiline` is a sequence of blocks. The mapping follows NIST's
converters and metaschema's markup model (XML on the left, in the OSCAL namespace):

- ``p``: a paragraph; blocks are separated by a blank line. ``h1`` … ``h6``: ``#`` … ``######``.
- ``ul``/``ol``/``li``: ``* item`` and ``1. item`` (``ol/@start`` gives the first number).
- ``pre``: a fenced code block. ``blockquote``: ``>``. ``hr``: ``___``.
- ``table``/``tr``/``th``/``td``: a GitHub table; the first row is the header, and ``@align`` becomes the
  colons of the delimiter row.
- ``em``/``i``: ``*em*``; ``strong``/``b``: ``**strong**`` (``_`` and ``__`` where a ``*`` run touching
  another would be ambiguous). ``code``: a backtick span.
- ``sub``, ``sup``, ``q``: ``~sub~``, ``^sup^``, ``"q"``.
- ``a``: ``[text](href "title")``; ``img``: ``![alt](src "title")``; targets are kept verbatim.
- ``insert``: ``{{ insert: type, id-ref }}``. ``br``: a backslash at the end of the line.

Markdown is read by markdown-it-py (CommonMark and tables) with small inline rules for ``~``, ``^``, ``"``
and inserts; raw HTML is not recognized, so ``<b>`` stays text. Writing escapes what the reader would
otherwise take as markup: ``\\ ` * ~ ^ "`` always (as NIST's converter does), and ``_ [ ] < & ! { |`` and
the block markers at the start of a line only where they would act.

What XML -> Markdown -> XML does not keep (compare both sides normalized so):

- outside ``pre``, runs of XML whitespace become one space; whitespace at the start and end of a block
  (or of a markup-line) and next to a ``br`` is dropped, and whitespace just inside an inline element
  moves outside it; a ``br`` at the edge of an inline element moves outside it, one at the start or end
  of a block is dropped, and one in a heading or table cell becomes a space;
- ``b`` and ``i`` come back as ``strong`` and ``em``; an ``em``, ``strong``, ``sub`` or ``sup`` inside
  another of its kind gives way to its content; two adjacent ``em`` (or ``strong``) elements with letters
  on both outer sides become one (``a*b**c*d`` would not read as two), and so do adjacent ``code``;
- ``code`` and ``pre`` keep only their text, and ``code/@class`` is dropped; empty inline elements other
  than ``a``, ``img``, ``insert`` and ``br`` are dropped, as are empty paragraphs;
- a list item holding one paragraph (besides sub-lists and other blocks) is written tight and comes back
  without the ``p``; a loose list's items come back with their inline content in ``p``;
- a block-level ``img`` comes back inside a ``p``; an ``a`` without ``href`` comes back with ``href=""``;
  empty ``alt`` and ``title`` are dropped, and so is ``ol/@start="1"``;
- a table comes back with ``th`` in its first row and ``td`` elsewhere, rows padded to the widest, and
  each column aligned as its first cell.

CommonMark cannot express every nesting: emphasis (or ``sub``, ``sup``, ``q``) whose delimiter sits
between a letter and punctuation (``a<em>(b)</em>``), or a ``q`` inside another with punctuation at the
inner edge (``<q><em><q>(x)</q></em></q>``), is written but reads back differently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import pairwise
from typing import TypeAlias

from lxml import etree
from markdown_it import MarkdownIt
from markdown_it.rules_inline.state_inline import Delimiter, StateInline
from markdown_it.token import Token

from oscal_poam.digits import ascii_digits
from oscal_poam.io.xml.space import collapse_runs, only_space

__all__ = [
    "BLOCK_ELEMENTS",
    "OSCAL_NS",
    "MarkupError",
    "markdown_to_xml",
    "plain_line",
    "plain_paragraph",
    "xml_to_markdown",
]

OSCAL_NS = "http://csrc.nist.gov/ns/oscal/1.0"
_NS = "{" + OSCAL_NS + "}"

BLOCK_ELEMENTS = frozenset(
    _NS + name for name in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "pre", "table", "blockquote", "hr")
)
"""Clark names of the elements that make up markup-multiline (block-level ``img`` aside)."""


class MarkupError(ValueError):
    """XML content that is not OSCAL markup where markup is expected."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message if line is None else f"line {line}: {message}")
        self.line = line


# --------------------------------------------------------------------------------------------------
# Markdown -> XML


_PAIRED = {"~": "sub", "^": "sup", '"': "q"}
_INSERT = re.compile(r"\{\{\s*insert:\s*([^\s,{}]+)\s*,\s*([^\s,{}]+)\s*\}\}")
# markdown-it's own stop characters, plus the double quote that opens and closes a `q`.
_TEXT_STOP = re.compile(r"[\n!#$%&*+\-:<=>@\[\\\]^_`{}~\"]")
# Characters that can begin inline markup; text without them is its own XML text.
_INLINE_MARKUP = re.compile(r"[\\`*_\[<&{~^\"\n\r\x00]")
_BLOCK_START = frozenset("#>-+*=_|:~`0123456789 \t")


def _text_rule(state: StateInline, silent: bool) -> bool:
    """markdown-it's text rule, also stopping at '"' so the quote rule sees it."""
    found = _TEXT_STOP.search(state.src, state.pos, state.posMax)
    end = found.start() if found else state.posMax
    if end == state.pos:
        return False
    if not silent:
        state.pending += state.src[state.pos : end]
    state.pos = end
    return True


def _pair_rule(state: StateInline, silent: bool) -> bool:
    """Record each ``~``, ``^`` and ``"`` as a delimiter, the way emphasis records ``*``."""
    marker = state.src[state.pos]
    if silent or marker not in _PAIRED:
        return False
    scanned = state.scanDelims(state.pos, True)
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        # length 0 leaves out emphasis's "rule of 3", which has no meaning for these markers.
        state.delimiters.append(
            Delimiter(
                marker=ord(marker),
                length=0,
                token=len(state.tokens) - 1,
                end=-1,
                open=scanned.can_open,
                close=scanned.can_close,
            )
        )
    state.pos += scanned.length
    return True


def _pair_tags(state: StateInline, delimiters: list[Delimiter]) -> None:
    for opener in delimiters:
        marker = chr(opener.marker)
        tag = _PAIRED.get(marker)
        if tag is None or opener.end < 0:
            continue
        for index, kind, nesting in ((opener.token, "_open", 1), (delimiters[opener.end].token, "_close", -1)):
            token = state.tokens[index]
            token.type = tag + kind
            token.tag = tag
            token.nesting = -1 if nesting < 0 else 1
            token.markup = marker
            token.content = ""


def _pair_postprocess(state: StateInline) -> None:
    _pair_tags(state, state.delimiters)
    for meta in state.tokens_meta:
        if meta and "delimiters" in meta:
            _pair_tags(state, meta["delimiters"])


def _insert_markdown(kind: str, id_ref: str) -> str:
    return "{{ insert: " + kind + ", " + id_ref + " }}"


def _insert_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("{{", state.pos):
        return False
    found = _INSERT.match(state.src, state.pos, state.posMax)
    if found is None:
        return False
    if not silent:
        token = state.push("oscal_insert", "insert", 0)
        token.meta = {"type": found.group(1), "id-ref": found.group(2)}
    state.pos = found.end()
    return True


def _as_is(url: str) -> str:
    return url


def _any_url(url: str) -> bool:
    return True


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    # OSCAL keeps link targets exactly as written: no percent-encoding, no scheme filter.
    md.normalizeLink = _as_is  # type: ignore[method-assign]
    md.normalizeLinkText = _as_is  # type: ignore[method-assign,assignment]
    md.validateLink = _any_url  # type: ignore[method-assign]
    md.inline.ruler.at("text", _text_rule)
    md.inline.ruler.before("emphasis", "oscal_pairs", _pair_rule)
    md.inline.ruler.before("link", "oscal_insert", _insert_rule)
    md.inline.ruler2.before("emphasis", "oscal_pairs", _pair_postprocess)
    return md


def _new(parent: etree._Element, name: str) -> etree._Element:
    return etree.SubElement(parent, _NS + name)


def _append_text(element: etree._Element, text: str) -> None:
    # not len(element): lxml counts the children one by one, which made long paragraphs quadratic
    try:
        last = element[-1]
    except IndexError:
        element.text = (element.text or "") + text
        return
    last.tail = (last.tail or "") + text


def _plain(tokens: Sequence[Token]) -> str:
    """The text of inline tokens without their markup (an image's alt text)."""
    parts: list[str] = []
    for token in tokens:
        if token.type in ("text", "text_special", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif token.type == "image":
            parts.append(_plain(token.children or ()))
        elif token.type == "oscal_insert":
            parts.append(_insert_markdown(token.meta["type"], token.meta["id-ref"]))
    return "".join(parts)


def _set_optional(element: etree._Element, name: str, value: object) -> None:
    if isinstance(value, str) and value:
        element.set(name, value)


def _inline_to_xml(parent: etree._Element, tokens: Sequence[Token]) -> None:
    stack = [parent]
    for token in tokens:
        kind = token.type
        top = stack[-1]
        if kind in ("text", "text_special", "html_inline"):
            _append_text(top, token.content)
        elif kind == "softbreak":
            _append_text(top, "\n")
        elif kind == "hardbreak":
            _new(top, "br")
        elif kind == "code_inline":
            _new(top, "code").text = token.content
        elif token.nesting == 1:
            element = _new(top, "a" if kind == "link_open" else token.tag)
            if kind == "link_open":
                element.set("href", str(token.attrGet("href") or ""))
                _set_optional(element, "title", token.attrGet("title"))
            stack.append(element)
        elif token.nesting == -1:
            if len(stack) > 1:
                stack.pop()
        elif kind == "image":
            image = _new(top, "img")
            image.set("src", str(token.attrGet("src") or ""))
            _set_optional(image, "alt", _plain(token.children or ()))
            _set_optional(image, "title", token.attrGet("title"))
        elif kind == "oscal_insert":
            insert = _new(top, "insert")
            insert.set("type", token.meta["type"])
            insert.set("id-ref", token.meta["id-ref"])


_BLOCK_TAGS = {
    "paragraph_open": "p",
    "bullet_list_open": "ul",
    "ordered_list_open": "ol",
    "list_item_open": "li",
    "blockquote_open": "blockquote",
    "table_open": "table",
    "tr_open": "tr",
    "th_open": "th",
    "td_open": "td",
}
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


def _blocks_to_xml(parent: etree._Element, tokens: Sequence[Token]) -> None:
    stack = [parent]
    for token in tokens:
        kind = token.type
        if kind == "inline":
            _inline_to_xml(stack[-1], token.children or ())
        elif token.hidden:
            # The paragraphs of a tight list item: their inline content belongs to the `li` itself.
            continue
        elif kind in _BLOCK_TAGS or kind == "heading_open":
            element = _new(stack[-1], _BLOCK_TAGS.get(kind) or token.tag)
            if kind == "ordered_list_open":
                start = token.attrGet("start")
                if start is not None and str(start) != "1":
                    element.set("start", str(start))
            elif kind in ("th_open", "td_open"):
                align = _ALIGN.search(str(token.attrGet("style") or ""))
                if align:
                    element.set("align", align.group(1))
            stack.append(element)
        elif token.nesting == -1:
            if kind not in ("thead_close", "tbody_close") and len(stack) > 1:
                closed = stack.pop()
                if kind == "paragraph_close" and not closed.text and not len(closed):
                    # A paragraph of nothing but non-breaking spaces, trimmed away by Markdown.
                    stack[-1].remove(closed)
        elif kind in ("fence", "code_block"):
            content = token.content
            _new(stack[-1], "pre").text = content[:-1] if content.endswith("\n") else content
        elif kind == "hr":
            _new(stack[-1], "hr")


def plain_paragraph(markdown: str) -> str | None:
    """The text of the one paragraph that markup-multiline `markdown` is when it holds no Markdown syntax at all
    (most descriptions are such a sentence or two): its XML is a `p` holding that text. None for anything else."""
    if (
        markdown
        and markdown[0] not in _BLOCK_START
        and "\n" not in markdown
        and _INLINE_MARKUP.search(markdown) is None
    ):
        return markdown.strip() or None
    return None


def plain_line(markdown: str) -> bool:
    """Whether markup-line `markdown` is text with no Markdown syntax at all, which is its own XML text."""
    return bool(markdown) and _INLINE_MARKUP.search(markdown) is None


def markdown_to_xml(parent: etree._Element, markdown: str, multiline: bool) -> None:
    """Append the OSCAL XML for `markdown` (markup-multiline or markup-line) to `parent`.

    Blocks (multiline) or inline content become `parent`'s text, children and tails, in the OSCAL
    namespace, after any content `parent` already has. Raises ValueError (from lxml) when the text
    holds characters XML cannot carry.
    """
    if not markdown:
        return
    if multiline:
        text = plain_paragraph(markdown)
        if text is not None:
            _new(parent, "p").text = text
            return
        _blocks_to_xml(parent, _parser().parse(markdown))
        return
    if plain_line(markdown):
        _append_text(parent, markdown)
        return
    for token in _parser().parseInline(markdown):
        _inline_to_xml(parent, token.children or ())


# --------------------------------------------------------------------------------------------------
# XML -> Markdown


class _Node:
    """An inline element after whitespace normalization: a name, its attributes, its content."""

    __slots__ = ("attrs", "kids", "name")

    def __init__(self, name: str, attrs: dict[str, str], kids: list[_Item]) -> None:
        self.name = name
        self.attrs = attrs
        self.kids = kids


_Item: TypeAlias = "str | _Node"

_WRAPPERS = {"em": "em", "i": "em", "strong": "strong", "b": "strong", "sub": "sub", "sup": "sup", "q": "q", "a": "a"}
_WRAPPER_NAMES = frozenset(_WRAPPERS.values())
_ATTRIBUTES = {"a": ("href", "title"), "img": ("src", "alt", "title"), "insert": ("type", "id-ref"), "br": ()}
_BLOCK_NAMES = frozenset(name[len(_NS) :] for name in BLOCK_ELEMENTS)


def _local(element: etree._Element) -> str | None:
    """The markup name of an element; None for comments and processing instructions."""
    tag = element.tag
    if not isinstance(tag, str):
        return None
    if tag.startswith(_NS):
        return tag[len(_NS) :]
    raise MarkupError(f"<{etree.QName(tag).localname}> outside the OSCAL namespace is not markup", _line_of(element))


def _line_of(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None


def _collapse(text: str | None) -> str:
    return collapse_runs(text) if text else ""


def _text_of(element: etree._Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _inline_node(element: etree._Element, name: str) -> _Node:
    if name in _WRAPPERS:
        wrapper = _WRAPPERS[name]
        attrs = {key: element.get(key) or "" for key in _ATTRIBUTES.get(wrapper, ()) if element.get(key) is not None}
        return _Node(wrapper, attrs, _inline_items(element))
    if name == "code":
        return _Node("code", {}, [_collapse(_text_of(element))])
    if name in _ATTRIBUTES:
        return _Node(name, {key: element.get(key) or "" for key in _ATTRIBUTES[name]}, [])
    raise MarkupError(f"<{name}> is not allowed in inline markup", _line_of(element))


def _inline_items(element: etree._Element) -> list[_Item]:
    items: list[_Item] = []
    if element.text:
        items.append(_collapse(element.text))
    for child in element:
        name = _local(child)
        if name is not None:
            items.append(_inline_node(child, name))
        if child.tail:
            items.append(_collapse(child.tail))
    return items


def _push_text(out: list[_Item], text: str) -> None:
    if not text:
        return
    if out:
        last = out[-1]
        if isinstance(last, str):
            out[-1] = last + (text[1:] if last.endswith(" ") and text.startswith(" ") else text)
            return
        if last.name == "br":
            text = text.lstrip(" ")
            if not text:
                return
    out.append(text)


def _push_break(out: list[_Item], node: _Node) -> None:
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(" ")
        if not out[-1]:
            out.pop()
    out.append(node)


def _push(out: list[_Item], item: _Item) -> None:
    if isinstance(item, str):
        _push_text(out, item)
    elif item.name == "br":
        _push_break(out, item)
    else:
        out.append(item)


def _is_edge(item: _Item) -> bool:
    return item.startswith(" ") if isinstance(item, str) else item.name == "br"


_FLATTENED = frozenset({"em", "strong", "sub", "sup"})


def _tidy(items: Sequence[_Item], inside: frozenset[str] = frozenset()) -> list[_Item]:
    """Merge text, and move spaces and line breaks at the edges of inline elements outside them.

    An em, strong, sub or sup inside another of its kind gives way to its content: Markdown renders
    them no differently and cannot always write them unambiguously.
    """
    out: list[_Item] = []
    for item in items:
        if isinstance(item, _Node) and item.name in inside and item.name in _FLATTENED:
            for kid in _tidy(item.kids, inside):
                _push(out, kid)
            continue
        if isinstance(item, str) or item.name not in _WRAPPER_NAMES:
            if isinstance(item, _Node) and item.name == "code":
                if not item.kids[0]:
                    continue
                last = out[-1] if out else None
                if isinstance(last, _Node) and last.name == "code":
                    # Two code spans in a row would read as one with a backtick run inside.
                    out[-1] = _Node("code", {}, [str(last.kids[0]) + str(item.kids[0])])
                    continue
            _push(out, item)
            continue
        kids = _tidy(item.kids, inside | {item.name})
        before: list[_Item] = []
        after: list[_Item] = []
        while kids and _is_edge(kids[0]):
            first = kids[0]
            if isinstance(first, str):
                before.append(" ")
                kids[0] = first[1:]
                if not kids[0]:
                    kids.pop(0)
            else:
                before.append(kids.pop(0))
        while kids and (kids[-1].endswith(" ") if isinstance(kids[-1], str) else kids[-1].name == "br"):
            last = kids[-1]
            if isinstance(last, str):
                after.insert(0, " ")
                kids[-1] = last[:-1]
                if not kids[-1]:
                    kids.pop()
            else:
                after.insert(0, kids.pop())
        for edge in before:
            _push(out, edge)
        if kids or item.name == "a":
            out.append(_Node(item.name, item.attrs, kids))
        for edge in after:
            _push(out, edge)
    return out


def _strip_edges(items: list[_Item]) -> list[_Item]:
    """Drop spaces and line breaks at the start and end of a block's inline content."""
    while items and _is_edge(items[0]):
        first = items[0]
        if isinstance(first, str) and first.strip(" "):
            items[0] = first.lstrip(" ")
            break
        items.pop(0)
    while items and (items[-1].endswith(" ") if isinstance(items[-1], str) else items[-1].name == "br"):
        last = items[-1]
        if isinstance(last, str) and last.strip(" "):
            items[-1] = last.rstrip(" ")
            break
        items.pop()
    return items


_ALWAYS = frozenset('\\`*~^"')
_SPECIAL = re.compile(r'[\\`*~^"_\[\]<&!{|]')
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LINE_MARKERS = frozenset("#>+-=|[")
_ORDINAL = re.compile(r"[0-9]{1,9}(?=[.)])")


def _needs_escape(text: str, index: int, char: str, *, cell: bool, link: bool, before_link: bool) -> bool:
    if char in _ALWAYS:
        return True
    following = text[index + 1 : index + 2]
    if char == "_":
        return not (index and following and text[index - 1].isalnum() and following.isalnum())
    if char == "[":
        return link
    if char == "]":
        return link or following == "("
    if char == "<":
        return not following.isspace()
    if char == "&":
        return _ENTITY.match(text, index) is not None
    if char == "!":
        return before_link and not following
    if char == "{":
        return following == "{"
    return cell  # "|"


def _escape(text: str, *, line_start: bool, cell: bool, link: bool, before_link: bool) -> str:
    escaped = text
    if _SPECIAL.search(text):
        parts: list[str] = []
        done = 0
        for found in _SPECIAL.finditer(text):
            index = found.start()
            if _needs_escape(text, index, found.group(), cell=cell, link=link, before_link=before_link):
                parts.append(text[done:index])
                parts.append("\\")
                done = index
        parts.append(text[done:])
        escaped = "".join(parts)
    if line_start and text and not escaped.startswith("\\"):
        if text[0] in _LINE_MARKERS or text.startswith(":-"):
            return "\\" + escaped
        ordinal = _ORDINAL.match(text)
        if ordinal:
            return escaped[: ordinal.end()] + "\\" + escaped[ordinal.end() :]
    return escaped


def _destination(url: str) -> str:
    if not url:
        return "<>"
    if any(char in url for char in " <>()") or any(char.isspace() or ord(char) < 32 for char in url):
        return "<" + _escape_chars(url, "<>\\") + ">"
    return _escape_chars(url, "\\")


def _escape_chars(text: str, chars: str) -> str:
    out = "".join("\\" + char if char in chars else char for char in text)
    return _ENTITY.sub(lambda found: "\\" + found.group(), out)


def _title(attrs: dict[str, str]) -> str:
    title = attrs.get("title")
    return ' "' + _escape_chars(title, '"\\') + '"' if title else ""


def _backtick_fence(text: str, minimum: int) -> str:
    runs = {len(run) for run in re.findall(r"`+", text)}
    size = minimum
    while size in runs or (minimum > 1 and any(run >= size for run in runs)):
        size += 1
    return "`" * size


def _first_char(item: _Item | None, closer: str) -> str:
    if item is None:
        return closer
    return item[:1] if isinstance(item, str) else "*"


class _Writer:
    """Renders normalized inline items as Markdown into one output buffer."""

    __slots__ = ("breaks", "cell", "lines", "out")

    def __init__(self, *, lines: bool, cell: bool = False, breaks: bool = True) -> None:
        self.out: list[str] = []
        self.lines = lines
        self.cell = cell
        # Headings and table cells are one line each: a line break there can only become a space.
        self.breaks = breaks and not cell

    def previous(self) -> str:
        return self.out[-1][-1] if self.out else ""

    def render(
        self,
        items: Sequence[_Item],
        *,
        closer: str = "",
        link: bool = False,
        line_start: bool = False,
        outer: tuple[bool, bool] = (False, False),
    ) -> None:
        """Append `items`; `closer` is what follows them, `outer` whether letters surround the parent."""
        out = self.out
        items = self.unstuck(items, closer)
        count = len(items)
        for index, item in enumerate(items):
            following = items[index + 1] if index + 1 < count else None
            if isinstance(item, str):
                before_link = isinstance(following, _Node) and following.name == "a"
                text = _escape(
                    item,
                    line_start=line_start and self.lines,
                    cell=self.cell,
                    link=link,
                    before_link=before_link,
                )
                if closer and closer != "]" and (index == 0 or following is None):
                    # Delimiters must touch non-space: `*\u00a0x*` is no emphasis, `*&#160;x*` is.
                    text = _edge_entities(text, start=index == 0, end=following is None)
                out.append(text)
                line_start = False
                continue
            name = item.name
            if name == "br":
                if self.breaks:
                    out.append("\\\n")
                    line_start = True
                else:
                    out.append(" ")
                continue
            line_start = False
            if name in ("em", "strong"):
                beyond = _first_char(items[index + 2] if index + 2 < count else None, closer)
                edges = (index == 0 and outer[0], following is None and outer[1])
                self.emphasis(item, following, beyond, closer, link, edges)
            elif name in ("sub", "sup", "q"):
                marker = {"sub": "~", "sup": "^", "q": '"'}[name]
                out.append(marker)
                self.render(item.kids, closer=marker, link=link)
                out.append(marker)
            elif name == "code":
                self.code(item.kids[0] if item.kids and isinstance(item.kids[0], str) else "")
            elif name == "a":
                out.append("[")
                self.render(item.kids, closer="]", link=True)
                out.append("](" + _destination(item.attrs.get("href", "")) + _title(item.attrs) + ")")
            elif name == "img":
                alt = _escape(item.attrs.get("alt", ""), line_start=False, cell=self.cell, link=True, before_link=False)
                out.append("![" + alt + "](" + _destination(item.attrs.get("src", "")) + _title(item.attrs) + ")")
            elif name == "insert":
                out.append(_insert_markdown(item.attrs.get("type", ""), item.attrs.get("id-ref", "")))

    def unstuck(self, items: Sequence[_Item], closer: str) -> Sequence[_Item]:
        """Merge two adjacent em (or strong) elements that have letters on both outer sides."""
        if len(items) < 2:
            return items
        merged: list[_Item] = []
        pending = list(items)
        for index, item in enumerate(pending):
            following = pending[index + 1] if index + 1 < len(pending) else None
            if (
                isinstance(item, _Node)
                and isinstance(following, _Node)
                and item.name == following.name
                and item.name in ("em", "strong")
            ):
                last = merged[-1] if merged else None
                before = self.previous() if last is None else last[-1:] if isinstance(last, str) else ""
                beyond = _first_char(pending[index + 2] if index + 2 < len(pending) else None, closer)
                if before.isalnum() and beyond.isalnum():
                    pending[index + 1] = _Node(
                        item.name, {}, _tidy([*item.kids, *following.kids], frozenset({item.name}))
                    )
                    continue
            merged.append(item)
        return merged

    def emphasis(
        self,
        node: _Node,
        following: _Item | None,
        beyond: str,
        closer: str,
        link: bool,
        edges: tuple[bool, bool],
    ) -> None:
        before = self.previous()
        after = _first_char(following, closer)
        # A '*' run touching another '*' run may read differently (`***x***` is em around strong), so the
        # inner or later one switches to '_', which CommonMark allows only outside words, and only where
        # the parent's own '*' keeps a letter on its far side (`a*_x_ y*` is no emphasis; `a***x** y*` is).
        # When the next emphasis must keep '*' (a letter follows it), this one takes '_'.
        underscore = before == "*" or (following is None and closer == "*")
        if isinstance(following, _Node) and following.name in ("em", "strong") and beyond.isalnum():
            underscore = True
        if underscore and (before.isalnum() or after.isalnum() or edges[0] or edges[1]):
            underscore = False
        marker = ("_" if underscore else "*") * (2 if node.name == "strong" else 1)
        self.out.append(marker)
        self.render(node.kids, closer=marker[0], link=link, outer=(before.isalnum(), after.isalnum()))
        self.out.append(marker)

    def code(self, text: str) -> None:
        if self.cell:
            text = text.replace("|", "\\|")
        fence = _backtick_fence(text, 1)
        pad = text[0] == "`" or text[-1] == "`" or (text[0] == " " and text[-1] == " " and bool(text.strip(" ")))
        space = " " if pad else ""
        self.out.append(fence + space + text + space + fence)


def _edge_entities(markdown: str, start: bool = True, end: bool = True) -> str:
    """Spell non-ASCII whitespace at a block's edges as character references; Markdown would trim it."""
    if start and markdown[:1].isspace():
        markdown = f"&#{ord(markdown[0])};" + markdown[1:]
    if end and markdown[-1:].isspace():
        markdown = markdown[:-1] + f"&#{ord(markdown[-1])};"
    return markdown


def _line(items: Sequence[_Item], *, cell: bool = False, heading: bool = False) -> str:
    """One block's inline content (paragraph, heading, list item text, table cell)."""
    writer = _Writer(lines=not cell, cell=cell, breaks=not heading)
    writer.render(items, line_start=True)
    markdown = "".join(writer.out)
    if heading and markdown.endswith("#") and not markdown.endswith("\\#"):
        markdown = markdown[:-1] + "\\#"
    return _edge_entities(markdown)


_Part: TypeAlias = "tuple[str, list[_Item] | etree._Element]"


def _parts(container: etree._Element) -> list[_Part]:
    """A container's content as blocks, with each run of inline content as one pseudo-paragraph."""
    parts: list[_Part] = []
    run: list[_Item] = []

    def flush() -> None:
        items = _strip_edges(_tidy(run))
        if items:
            parts.append(("inline", items))
        run.clear()

    if container.text:
        run.append(_collapse(container.text))
    for child in container:
        name = _local(child)
        if name is not None and name in _BLOCK_NAMES:
            flush()
            parts.append((name, child))
        elif name is not None:
            run.append(_inline_node(child, name))
        if child.tail:
            run.append(_collapse(child.tail))
    flush()
    return parts


_PARAGRAPH_LIKE = frozenset({"inline", "p"})
_SELF_CLOSING = frozenset({"pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6"})


def _needs_blank_line(previous: _Part, part: _Part) -> bool:
    """Whether two blocks of a list item must be separated by a blank line (making the list loose)."""
    kind, payload = part
    if previous[0] in ("blockquote", "table") or kind == "table":
        # Without a blank line, what follows a quote or table would continue it, and a table's
        # first row would continue the paragraph before it.
        return True
    if kind in _PARAGRAPH_LIKE:
        return previous[0] not in _SELF_CLOSING
    if kind in ("ul", "ol") and previous[0] in _PARAGRAPH_LIKE and isinstance(payload, etree._Element):
        # Only a list starting at 1 with a non-empty first item may interrupt a paragraph.
        first = next((child for child in payload if _local(child) == "li"), None)
        if first is None or not _parts(first):
            return True
        return kind == "ol" and (payload.get("start") or "1").lstrip("0") not in ("", "1")
    return False


def _render_parts(parts: Sequence[_Part], separator: str, last_marker: str = "") -> str:
    rendered: list[str] = []
    for kind, payload in parts:
        if isinstance(payload, list):
            text, last_marker = _line(payload), ""
        elif kind in ("ul", "ol"):
            text, last_marker = _list(payload, kind == "ol", last_marker)
        else:
            text, last_marker = _block(kind, payload), ""
        if text:
            rendered.append(text)
    return separator.join(rendered)


def _indent(text: str, first: str, rest: str) -> str:
    lines = text.split("\n")
    head = (first + lines[0]) if lines[0] else first.rstrip()
    return "\n".join([head, *((rest + line) if line else "" for line in lines[1:])])


def _list(element: etree._Element, ordered: bool, avoid: str) -> tuple[str, str]:
    # Two lists in a row would merge into one unless their markers differ.
    marker = (")" if avoid == "." else ".") if ordered else ("-" if avoid == "*" else "*")
    start = (element.get("start") or "1").strip()
    number = int(start) if ascii_digits(start) else 1
    items: list[list[_Part]] = []
    for child in element:
        name = _local(child)
        if name == "li":
            items.append(_parts(child))
        elif name is not None:
            raise MarkupError(f"<{name}> is not allowed in a list", _line_of(child))
    loose = any(_needs_blank_line(a, b) for parts in items for a, b in pairwise(parts))
    lines: list[str] = []
    for index, parts in enumerate(items):
        bullet = (f"{number if index == 0 else 1}{marker} ") if ordered else f"{marker} "
        # A list opening an item takes the other marker too: `* * *` would be a rule.
        body = _render_parts(parts, "\n\n" if loose else "\n", last_marker=marker)
        lines.append(_indent(body, bullet, " " * len(bullet)))
    return ("\n\n" if loose else "\n").join(lines), marker


def _table(element: etree._Element) -> str:
    rows: list[list[tuple[str, str | None]]] = []
    for tr in element:
        if _local(tr) != "tr":
            if _local(tr) is not None:
                raise MarkupError(f"<{_local(tr)}> is not allowed in a table", _line_of(tr))
            continue
        cells = []
        for cell in tr:
            name = _local(cell)
            if name in ("th", "td"):
                items = _strip_edges(_tidy(_inline_items(cell)))
                cells.append((_line(items, cell=True), cell.get("align")))
            elif name is not None:
                raise MarkupError(f"<{name}> is not allowed in a table row", _line_of(cell))
        rows.append(cells)
    if not rows:
        return ""
    width = max(1, *(len(row) for row in rows))
    delimiters = {"left": ":---", "center": ":---:", "right": "---:"}
    header = rows[0] + [("", None)] * (width - len(rows[0]))
    lines = ["| " + " | ".join(text for text, _ in header) + " |"]
    lines.append("| " + " | ".join(delimiters.get(align or "", "---") for _, align in header) + " |")
    for row in rows[1:]:
        texts = [text for text, _ in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(texts) + " |")
    return "\n".join(lines)


def _block(name: str, element: etree._Element) -> str:
    if name == "p":
        return _line(_strip_edges(_tidy(_inline_items(element))))
    if name[0] == "h" and ascii_digits(name[1:]):
        text = _line(_strip_edges(_tidy(_inline_items(element))), heading=True)
        return "#" * int(name[1:]) + (" " + text if text else "")
    if name == "pre":
        text = _text_of(element)
        fence = _backtick_fence(text, 3)
        return fence + "\n" + text + "\n" + fence
    if name == "hr":
        return "___"
    if name == "table":
        return _table(element)
    if name == "blockquote":
        inner = _render_parts(_parts(element), "\n\n")
        return "\n".join(("> " + line) if line else ">" for line in inner.split("\n"))
    raise MarkupError(f"<{name}> is not allowed here", _line_of(element))


_P = _NS + "p"


def _plain_paragraphs(element: etree._Element) -> str | None:
    """The Markdown of content that is only paragraphs of text (the common case), else None."""
    if element.text and not only_space(element.text):
        return None
    paragraphs: list[str] = []
    for child in element:
        if child.tag != _P or len(child) or (child.tail and not only_space(child.tail)):
            return None
        text = _collapse(child.text).strip(" ")
        if text:
            paragraphs.append(_edge_entities(_escape(text, line_start=True, cell=False, link=False, before_link=False)))
    return "\n\n".join(paragraphs)


def xml_to_markdown(element: etree._Element, multiline: bool) -> str:
    """The Markdown for the content (text and children) of `element`.

    Raises MarkupError for elements that are not OSCAL markup in their place.
    """
    if multiline:
        plain = _plain_paragraphs(element)
        return _render_parts(_parts(element), "\n\n") if plain is None else plain
    if len(element) == 0:
        text = _collapse(element.text).strip(" ")
        return _escape(text, line_start=False, cell=False, link=False, before_link=False) if text else ""
    writer = _Writer(lines=False)
    writer.render(_strip_edges(_tidy(_inline_items(element))))
    return "".join(writer.out)
