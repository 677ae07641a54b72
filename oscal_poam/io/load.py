"""One entry point that loads any OSCAL document this project handles.

Bytes are decoded leniently into plain data first (JSON, YAML or XML, told
apart by content, not by file name). NIST's schema then decides whether the
document is valid for its model: the XSD for XML, the JSON schema for JSON and
YAML (`oscal_poam.io.schema`). A valid document is validated into the
compliance-trestle model named by its root key, with every string as it was
written (`oscal_poam.io.keep`). Every failure becomes a LoadError naming the
file and the place.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml

import oscal_poam.limits as limits
from oscal_poam.errors import LoadError, NotOscalError, Problem
from oscal_poam.io import decoded, encodings, faithful, pointers, quick_json, yaml12
from oscal_poam.io.files import read_file
from oscal_poam.io.models import BY_ROOT, ModelKind, kind_named
from oscal_poam.io.positions import YamlLines

if TYPE_CHECKING:
    from trestle.core.base_model import OscalBaseModel

    from oscal_poam.io.positions import Position

Format = Literal["json", "yaml", "xml"]

DEFAULT_MAX_BYTES = limits.MAX_BYTES
"""Inputs larger than this are refused; OSCAL_POAM_MAX_BYTES overrides it."""


def max_bytes_default() -> int:
    return limits.max_bytes()


@dataclass(frozen=True)
class Document:
    """A loaded OSCAL document: its model and where it came from."""

    kind: ModelKind
    model: OscalBaseModel
    format: Format
    source: str
    path: Path | None = None
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    data: Any = field(default=None, compare=False, repr=False)
    """The document as plain OSCAL JSON data, where the loader kept it (the OSCAL checks then need not serialize
    the model again); None otherwise."""
    raw_bytes: bytes | None = field(default=None, compare=False, repr=False)
    """The bytes the document was read from, where they are at hand: what places a diagnostic by line and column."""
    notes: tuple[Problem, ...] = field(default=(), compare=False, repr=False)
    """Warnings about the text that do not make it invalid (a YAML scalar other readers take otherwise)."""

    def line_of(self, pointer: str) -> int | None:
        """The source line of the nearest located ancestor of `pointer`, where known."""
        return pointers.nearest_line(self.lines, pointer)

    def places(self, wanted: Iterable[str]) -> dict[str, Position]:
        """The line and column of each pointer in `wanted` (its nearest placed ancestor's), where known."""
        from oscal_poam.io.positions import places

        return places(self.format, self.raw_bytes, self.lines, wanted)


def load(
    path: str | os.PathLike[str],
    expect: str | Sequence[str] | None = None,
    max_bytes: int | None = None,
) -> Document:
    """Load the OSCAL document at `path`.

    `expect` names the model(s) acceptable here (root key or short name, for
    example `assessment-results` or `ar`).
    """
    file = Path(path)
    source = str(path)
    limit = max_bytes_default() if max_bytes is None else max_bytes
    data = read_file(file, source, max_bytes=limit)
    return parse(data, source, expect=expect, path=file, max_bytes=limit)


def load_model(path: str | os.PathLike[str], expect: str | Sequence[str] | None = None) -> OscalBaseModel:
    return load(path, expect).model


def parse(
    data: bytes,
    source: str = "<input>",
    expect: str | Sequence[str] | None = None,
    path: Path | None = None,
    max_bytes: int | None = None,
    *,
    keep_data: bool = False,
) -> Document:
    """Parse and validate a document held in memory; `keep_data` keeps its plain data in the Document."""
    decoded = read(data, source, max_bytes=max_bytes, expect=expect)
    if decoded.problems:
        raise _with_lines(LoadError(decoded.problems), decoded.format, data, decoded.lines)
    try:
        kind, model = validate(decoded.raw, source, expect, checked=True)
    except LoadError as exc:
        raise _with_lines(exc, decoded.format, data, decoded.lines) from None
    return Document(
        kind=kind,
        model=model,
        format=decoded.format,
        source=source,
        path=path,
        lines=decoded.lines,
        data=decoded.raw if keep_data else None,
        notes=decoded.notes,
        raw_bytes=data,
    )


@dataclass(frozen=True)
class Decoded:
    """A document as read: its plain OSCAL JSON data and what NIST's schema says of it."""

    format: Format
    raw: Any
    lines: Mapping[str, int]
    kind: ModelKind
    problems: tuple[Problem, ...] = ()
    """Where NIST's schema finds the document invalid for its model; empty when it is valid."""
    notes: tuple[Problem, ...] = ()


def read(
    data: bytes,
    source: str = "<input>",
    max_bytes: int | None = None,
    expect: str | Sequence[str] | None = None,
    *,
    lenient: bool = False,
) -> Decoded:
    """Bytes into plain OSCAL JSON data, checked against NIST's schema of its model.

    Raises LoadError when the bytes cannot be read as JSON, YAML or XML at all (NotOscalError when they are
    not an OSCAL document, or another model than `expect` names). Schema findings are returned, not raised.
    XML that does not fit the schema is bound as far as it can be when `lenient`, and else not at all.
    """
    limit = max_bytes_default() if max_bytes is None else max_bytes
    if len(data) > limit:
        raise LoadError.single(f"input is {len(data):,} bytes, over the limit of {limit:,} bytes", source)
    from oscal_poam.io import schema  # deferred: the schemas bring lxml, not needed until a document is checked

    fmt = detect_format(data, source)
    notes: list[Problem] = []
    if fmt == "xml":
        from oscal_poam.io.xml import bind, parse_tree

        root, root_key = parse_tree(data, source, limit)
        kind = BY_ROOT[root_key]
        _expected(kind, source, expect)
        problems = schema.xml_problems(root, root_key, source)
        if problems and not lenient:
            return Decoded(fmt, None, _lines_of(root, root_key), kind, tuple(problems))
        raw, lines = bind(root, root_key, source, lenient=bool(problems))
    else:
        if fmt == "json":
            raw, lines = _decode_json(data, source), {}
        else:
            raw, lines, notes = _decode_yaml(data, source)
        try:
            kind, content = root_kind(raw, source)
            _expected(kind, source, expect)
            _an_object(kind, content, source)
        except LoadError as exc:
            raise _with_lines(exc, fmt, data, lines) from None
        problems = schema.json_problems(raw, kind.root_key, source)
    return Decoded(fmt, raw, lines, kind, tuple(problems), tuple(notes))


def _lines_of(root: Any, root_key: str) -> Mapping[str, int]:
    from oscal_poam.io.xml.reader import XmlLines

    return XmlLines(root, root_key)


def _expected(kind: ModelKind, source: str, expect: str | Sequence[str] | None) -> None:
    if expect is None:
        return
    wanted = [kind_named(expect)] if isinstance(expect, str) else [kind_named(e) for e in expect]
    if kind not in wanted:
        names = " or ".join(w.named for w in wanted)
        raise LoadError.single(f"expected {names}, but this is {kind.named}", source, pointer="")


def _with_lines(exc: LoadError, fmt: Format, data: bytes, lines: Mapping[str, int]) -> LoadError:
    """The same error, each problem placed by the line and column of its pointer (or its nearest ancestor's)."""
    from oscal_poam.io.positions import places

    wanted = [p.pointer for p in exc.problems if p.line is None and p.pointer is not None]
    found = places(fmt, data, lines, wanted)
    if not found:
        return exc
    located = []
    for problem in exc.problems:
        where = found.get(problem.pointer) if problem.line is None and problem.pointer is not None else None
        located.append(dataclasses.replace(problem, line=where[0], column=where[1]) if where else problem)
    return type(exc)(located)


def decode(data: bytes, source: str = "<input>", max_bytes: int | None = None) -> tuple[Format, Any, Mapping[str, int]]:
    """Bytes into plain OSCAL JSON data, with the source line of each JSON pointer where the format has lines.

    No schema is applied: a document that does not fit it is read as far as it can be.
    """
    limit = max_bytes_default() if max_bytes is None else max_bytes
    fmt = detect_format(data, source)
    lines: Mapping[str, int] = {}
    if fmt == "xml":
        from oscal_poam.io.xml import read_xml

        raw, lines = read_xml(data, source, max_bytes=limit)
    elif fmt == "json":
        raw = _decode_json(data, source)
    else:
        raw, lines, _ = _decode_yaml(data, source)
    return fmt, raw, lines


def detect_format(data: bytes, source: str = "<input>") -> Format:
    found = encodings.wide(data)
    if found is not None:  # XML may be UTF-16 or UTF-32; JSON and YAML here are UTF-8
        if encodings.first_character(data, found) == "<":
            return "xml"
        raise LoadError.single(f"the file is {found.name} text; JSON and YAML are read as UTF-8 only", source, line=1)
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise LoadError.single("file is empty", source, line=1)
    first = text[:1]
    if first == b"<":
        return "xml"
    if first in (b"{", b"["):
        return "json"
    return "yaml"


def decode_text(data: bytes, source: str) -> str:
    """The text of UTF-8 bytes; a LoadError with the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError.single(f"not UTF-8 text (byte {exc.start})", source, line=line) from None


def _decode_json(data: bytes, source: str) -> Any:
    quick = quick_json.decode(data)
    if quick is not quick_json.UNSURE:
        return quick
    return decode_json_faithfully(data, source)


def decode_json_faithfully(data: bytes, source: str) -> Any:
    """JSON bytes decoded by the standard library's decoder with `faithful`'s hooks, every refusal located:
    what `quick_json` proves its data equal to, and what decides whenever it cannot."""
    text = decode_text(data, source)
    try:
        raw = faithful.decode_json(text)
    except json.JSONDecodeError as exc:
        raise LoadError.single(f"invalid JSON: {exc.msg}", source, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        line, column = _json_too_deep_at(text)
        raise LoadError.single("invalid JSON: nested too deeply", source, line=line, column=column) from None
    except ValueError:  # a key twice, a number out of range
        raise faithful.json_error(text, source) from None
    if _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(raw, source)
    return raw


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
JSON_DEPTH_REPORTED = 500
"""Where JSON too deep to decode is located: the first bracket this deep (OSCAL documents need a few dozen)."""


def _json_too_deep_at(text: str) -> tuple[int, int]:
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        kind = token.group()
        if kind in "[{":
            depth += 1
            if depth > JSON_DEPTH_REPORTED:
                return _offset_position(text, token.start(), in_utf8=False)
        elif kind in "]}":
            depth -= 1
    return 1, 1


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""A \\uD800-\\uDFFF escape: half of a pair (fine) or a lone surrogate, which is not text and cannot be written."""


def _refuse_lone_surrogates(raw: Any, source: str) -> None:
    stack: list[tuple[str, Any]] = [("", raw)]
    while stack:
        pointer, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                child = pointer + "/" + pointers.escape(key)
                if _lone_surrogate(key):
                    raise LoadError.single(
                        "invalid JSON: a key holds a lone surrogate (\\uD800-\\uDFFF)", source, child
                    )
                stack.append((child, value))
        elif isinstance(node, list):
            stack.extend((f"{pointer}/{index}", value) for index, value in enumerate(node))
        elif isinstance(node, str) and _lone_surrogate(node):
            message = "invalid JSON: the text holds a lone surrogate (\\uD800-\\uDFFF), which is not a character"
            raise LoadError.single(message, source, pointer)


def _lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class _OscalYamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML read by YAML 1.2's core schema (`oscal_poam.io.yaml12`): `yes` and dates are text."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        # The composer (LibYAML's, as PyYAML's own) calls these two around each node it makes (an alias makes
        # none), to resolve tags by path, which this loader does not do. C callables in their place spare two
        # Python calls a node; the one after each node also counts the nodes, for `_plain_yaml`.
        self._made: list[None] = []
        self.descend_resolver = slice
        self.ascend_resolver = functools.partial(self._made.append, None)

    @property
    def composed(self) -> int:
        """The nodes composed so far: `_plain_yaml` reaching more than these has reached one twice (an alias)."""
        return len(self._made)


yaml12.install(_OscalYamlLoader)


MAX_YAML_DEPTH = 500
"""YAML nested deeper is refused before LibYAML composes it: its recursive composer overflows the C stack.

Below the YAML library's own limit (1,000 levels since PyYAML 6.0.4, none before), so that the refusal, its
words and its place are ours whichever release is installed; OSCAL documents need a few dozen levels."""


def read_yaml(data: bytes, source: str) -> Any:
    """Plain data from YAML that is not an OSCAL document (a mapping file), under the same limits."""
    return _decode_yaml(data, source)[0]


def _decode_yaml(data: bytes, source: str) -> tuple[Any, dict[str, int], list[Problem]]:
    kept: tuple[Any, dict[str, int], list[Problem]] | None = decoded.recall(data)
    if kept is not None:
        return kept
    found = _decode_yaml_text(data, source)
    decoded.remember(data, found)
    return found


def _decode_yaml_text(data: bytes, source: str) -> tuple[Any, dict[str, int], list[Problem]]:
    text = decode_text(data, source)
    _refuse_deep_yaml(text, source)
    loader = _OscalYamlLoader(text)  # a SafeLoader subclass
    try:
        # Composing the node tree first, then constructing from it, parses once and keeps every node's mark.
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        plain = _plain_yaml(node, loader)
        if plain is None:
            faithful.check_yaml(node, len(text), source)  # the walk's data is proof that it would find nothing
            raw, lines = loader.construct_document(node), _yaml_lines(node)
        else:
            raw, lines = plain
        notes = yaml12.fit(raw, node, source) if yaml12.typed_scalars(loader) else []
        return raw, lines, notes
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        raise LoadError.single(f"invalid YAML: {exc.problem}", source, line=line, column=column) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow, located by offset, not by mark
        line, column = _offset_position(text, exc.position, in_utf8=exc.encoding != "unicode")
        raise LoadError.single(
            f"invalid YAML: the character U+{exc.character:04X} is not allowed", source, line=line, column=column
        ) from None
    except yaml.YAMLError as exc:
        raise LoadError.single(f"invalid YAML: {exc}", source) from None
    except RecursionError:
        raise LoadError.single("invalid YAML: nested too deeply", source) from None
    finally:
        loader.dispose()


def _refuse_deep_yaml(text: str, source: str) -> None:
    """A LoadError, located, for YAML nested more than MAX_YAML_DEPTH levels deep.

    Each level of block nesting sits further right and each level of flow nesting opens a bracket, so the
    longest line plus the brackets bound the depth: most documents need no closer look. The others are
    measured on LibYAML's event stream, which (unlike its composer) does not recurse.
    """
    bound = text.count("[") + text.count("{") + max(map(len, text.splitlines()), default=0)
    if bound <= MAX_YAML_DEPTH:
        return
    loader = _OscalYamlLoader(text)
    depth = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    mark = event.start_mark
                    raise LoadError.single(
                        f"invalid YAML: nested more than {MAX_YAML_DEPTH} levels deep",
                        source,
                        line=mark.line + 1 if mark is not None else 1,
                        column=mark.column + 1 if mark is not None else None,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return  # composing the document reports it, located
    finally:
        loader.dispose()


def _offset_position(text: str, offset: int, in_utf8: bool) -> tuple[int, int]:
    """1-based line and column of `offset`, counted in characters or (LibYAML's) UTF-8 bytes."""
    if in_utf8:
        text = text.encode("utf-8", errors="surrogatepass")[:offset].decode("utf-8", errors="replace")
        offset = len(text)
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


def _plain_yaml(root: yaml.Node, loader: _OscalYamlLoader) -> tuple[Any, YamlLines] | None:
    """The data and lines (with their columns) of a document of plain mappings, sequences and scalars, in one
    walk: what the loader's constructor and `_yaml_lines` make of it, in a third of their time. None for anything
    else (an alias, a merge key, another tag, a key that repeats as another scalar, a scalar the constructor
    refuses, a number `faithful.check_yaml` refuses), which the constructor then builds, or refuses, as it always
    has.

    Where this walk gives data, `faithful.check_yaml` would find nothing, so it is asked only where the walk gives
    way: no node is reached twice (no alias, so none that refers to itself and no expansion), no key repeats as
    written (its tag and text), and no number is one the check refuses (`faithful.number_refused`, asked here).
    A scalar its constructor refuses is a YAML error here too (`yaml12`'s constructors raise no other), so the walk
    never raises: the check always comes first where it has something to say.

    A node reached twice is found by counting the reaches against the nodes composed, once more than them."""
    constructors = type(loader).yaml_constructors
    scalars = {tag: constructors[tag] for tag in yaml12.SCALAR_TAGS}
    lines = YamlLines()
    columns = lines.columns
    mark = root.start_mark
    lines[""], columns[""] = mark.line + 1, mark.column + 1
    composed, visits = loader.composed, 0
    top: list[Any] = [None]
    # (node, the container its value goes in, its key or index there, its pointer); the lines of a node's
    # entries are set when it is taken, in the order `_yaml_lines` sets them
    stack: list[tuple[yaml.Node, Any, Any, str]] = [(root, top, 0, "")]
    pop, push, escape = stack.pop, stack.append, pointers.escape
    scalar_node, mapping_node = yaml.ScalarNode, yaml.MappingNode
    try:
        while stack:
            node, parent, slot, pointer = pop()
            visits += 1
            if visits > composed:
                return None  # a node reached twice, through an alias (perhaps of itself)
            tag = node.tag
            if isinstance(node, scalar_node):
                if tag == _STR_TAG:
                    parent[slot] = node.value
                    continue
                value = _typed_scalar(node, loader, scalars)
                if value is _NOT_PLAIN:
                    return None
                parent[slot] = value
            elif isinstance(node, mapping_node):
                if tag != _MAP_TAG:
                    return None
                mapping: dict[Any, Any] = {}
                parent[slot] = mapping
                typed: set[tuple[str, str]] | None = None  # the keys other than text, as written
                for key_node, value_node in node.value:
                    if not isinstance(key_node, scalar_node):
                        return None
                    visits += 1
                    name = key_node.value
                    if key_node.tag == _STR_TAG:
                        key = name
                    else:
                        key = _typed_scalar(key_node, loader, scalars)
                        written = (key_node.tag, name)
                        if key is _NOT_PLAIN or (typed is not None and written in typed):
                            return None  # a NaN key is never `in` the mapping, even repeated as written
                        typed = typed or set()
                        typed.add(written)
                    if key in mapping:
                        return None
                    mapping[key] = None
                    child = pointer + "/" + (escape(name) if "~" in name or "/" in name else name)
                    mark = key_node.start_mark
                    lines[child], columns[child] = mark.line + 1, mark.column + 1
                    push((value_node, mapping, key, child))
            else:
                if tag != _SEQ_TAG:
                    return None
                items: list[Any] = [None] * len(node.value)
                parent[slot] = items
                for index, item in enumerate(node.value):
                    child = f"{pointer}/{index}"
                    mark = item.start_mark
                    lines[child], columns[child] = mark.line + 1, mark.column + 1
                    push((item, items, index, child))
    except yaml.YAMLError:
        pass
    else:
        # Each node was reached at least once and, the last reach being a pop, none more than once: no alias.
        return top[0], lines
    yaml12.forget_typed_scalars(loader)  # the constructor counts them again, and refuses what was refused here
    return None


_NOT_PLAIN = object()


def _typed_scalar(node: yaml.ScalarNode, loader: _OscalYamlLoader, scalars: Mapping[str, Any]) -> Any:
    """The value of a scalar other than text, by the loader's own constructor; _NOT_PLAIN for a tag the walk
    leaves to the constructor, or a number `faithful.check_yaml` refuses."""
    construct = scalars.get(node.tag)
    if construct is None or faithful.number_refused(node) is not None:
        return _NOT_PLAIN
    return construct(loader, node)


def _yaml_lines(root: yaml.Node) -> YamlLines:
    """The 1-based line (and column) of every mapping entry (its key) and sequence item, by JSON pointer."""
    from oscal_poam.io.positions import yaml_node_positions

    return YamlLines.of(yaml_node_positions(root))


def root_kind(raw: Any, source: str) -> tuple[ModelKind, Any]:
    """The model named by the document's root key, and the content under it."""
    if not isinstance(raw, dict):
        found = type(raw).__name__ if raw is not None else "nothing"
        raise NotOscalError.single(
            f"not an OSCAL document: the top level is {found}, not an object with an OSCAL root key",
            source,
            pointer="",
        )
    keys = [k for k in raw if k != "$schema"]
    known = [k for k in keys if k in BY_ROOT]
    if not known:
        shown = ", ".join(repr(k) for k in keys[:5]) or "no keys"
        raise NotOscalError.single(
            f"not an OSCAL document: found {shown}; expected one of {', '.join(sorted(BY_ROOT))}",
            source,
            pointer="",
        )
    if len(keys) > 1:
        extra = [k for k in keys if k != known[0]]
        raise LoadError.single(
            f"an OSCAL document has exactly one root key; found also {', '.join(map(repr, extra))}",
            source,
            pointer=pointers.join(extra[0]),
        )
    return BY_ROOT[known[0]], raw[known[0]]


def validate(
    raw: Any, source: str, expect: str | Sequence[str] | None = None, *, checked: bool = False
) -> tuple[ModelKind, Any]:
    """Validate plain OSCAL data (as from JSON) into its compliance-trestle model.

    NIST's JSON schema decides first, unless the caller has had the schema of the document's own format say
    so (`checked`: an XML document, for one, is judged by the XSD, which allows what the JSON schema does not,
    an empty title). `raw` is changed in place: its URIs and date-times become kept values.
    """
    kind, content = root_kind(raw, source)
    _expected(kind, source, expect)
    _an_object(kind, content, source)
    if not checked:
        from oscal_poam.io import schema  # deferred: the schemas bring lxml, not needed until a document is checked

        problems = schema.json_problems(raw, kind.root_key, source)
        if problems:
            raise LoadError(problems)
    from oscal_poam.io.modeling import model_of

    return kind, model_of(kind, content, source)


def _an_object(kind: ModelKind, content: Any, source: str) -> None:
    if not isinstance(content, dict):
        raise LoadError.single(
            f"{kind.root_key} must be an object, not {type(content).__name__}",
            source,
            pointer=pointers.join(kind.root_key),
        )
