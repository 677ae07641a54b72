"""Generate oscal_poam/io/xml/binding_table.py from the NIST OSCAL metaschema sources.

    python tools/gen_xml_binding.py            # write the table
    python tools/gen_xml_binding.py --check    # exit 1 when the committed table is not current

The metaschema says, for every assembly and field: its flags (XML attributes),
the order of its model, which children repeat and how they are grouped
(group-as, in-xml="GROUPED"), which children are required (min-occurs),
which markup fields are unwrapped (in-xml="UNWRAPPED"), how a field with
flags names its value in JSON (json-value-key) and the data type of every
value. Flagless fields share one definition per data type, except those with
constraints, which keep their own (tools/gen_constraints.py names them).
Documentation is not read. The table covers the models the project loads
(oscal_poam.io.models.KINDS) and every definition they reach.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_METASCHEMA = ROOT / "reference" / "oscal-schemas" / "1.2.1" / "metaschema"
ENTRY_MODULE = "oscal_complete_metaschema.xml"
TARGET = ROOT / "oscal_poam" / "io" / "xml" / "binding_table.py"

M = "{http://csrc.nist.gov/ns/oscal/metaschema/1.0}"

_INTEGER = {"integer", "non-negative-integer", "positive-integer"}
_SCALAR_TYPES = {
    "boolean": "boolean",
    "decimal": "decimal",
    "markup-line": "markup-line",
    "markup-multiline": "markup-multiline",
    **dict.fromkeys(_INTEGER, "integer"),
}
# metaschema's default JSON property for the value of a field with flags, by JSON value type
_DEFAULT_VALUE_KEY = {"markup-line": "RICHTEXT", "markup-multiline": "PROSE"}

# Entity references in the sources pull shared allowed-values lists into
# constraints. They are expanded from the files the module's DOCTYPE declares
# (the parser itself resolves no entities); one the module does not declare is
# dropped.
_ENTITY_REF = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)([A-Za-z_][\w.-]*);")
_ENTITY_DECL = re.compile(r'<!ENTITY\s+([A-Za-z_][\w.-]*)\s+SYSTEM\s+"([^"]+)"\s*>')
_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", re.DOTALL)


class MetaschemaError(Exception):
    pass


def use_name(element: etree._Element) -> str | None:
    text = element.findtext(f"{M}use-name")
    return text.strip() if text else None


def json_type(as_type: str | None) -> str:
    return _SCALAR_TYPES.get(as_type or "string", "string")


@dataclass
class Module:
    path: Path
    short_name: str
    root: etree._Element
    imports: list[Module] = field(default_factory=list)
    # (kind, name) -> definition element, kind in {"assembly", "field", "flag"}
    definitions: dict[tuple[str, str], etree._Element] = field(default_factory=dict)


def _parse(path: Path) -> etree._Element:
    text = path.read_text(encoding="utf-8")
    declared = {name: path.parent / href for name, href in _ENTITY_DECL.findall(text)}
    text = _DOCTYPE.sub("", text, count=1)

    def expand(match: re.Match[str]) -> str:
        found = declared.get(match.group(1))
        return found.read_text(encoding="utf-8") if found is not None else ""

    text = _ENTITY_REF.sub(expand, text)
    parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, remove_comments=True)
    return etree.fromstring(text.encode("utf-8"), parser)


def load_modules(folder: Path) -> list[Module]:
    """Every module reachable from the complete metaschema, imports before importers."""
    loaded: dict[Path, Module] = {}
    order: list[Module] = []

    def visit(path: Path) -> Module:
        path = path.resolve()
        if path in loaded:
            return loaded[path]
        root = _parse(path)
        module = Module(path, (root.findtext(f"{M}short-name") or path.stem).strip(), root)
        loaded[path] = module
        for imp in root.iterfind(f"{M}import"):
            module.imports.append(visit(path.parent / imp.get("href", "")))
        for child in root:
            kind = {f"{M}define-assembly": "assembly", f"{M}define-field": "field", f"{M}define-flag": "flag"}.get(
                str(child.tag)
            )
            if kind:
                module.definitions[(kind, child.get("name", ""))] = child
        order.append(module)
        return module

    visit(folder / ENTRY_MODULE)
    return order


class Generator:
    def __init__(self, modules: list[Module]) -> None:
        self.modules = modules
        self.definitions: dict[str, tuple[str, ...]] = {}
        self.sources: dict[str, tuple[Module, etree._Element]] = {}
        """Definition key -> the module and metaschema element it was made from (for tools/gen_constraints.py)."""
        self.flag_sources: dict[str, list[tuple[str, Module, etree._Element]]] = {}
        """Definition key -> (flag name, module, flag definition) of each of its flags."""
        self.roots: dict[str, str] = {}
        counts: dict[tuple[str, str], int] = {}
        for module in modules:
            for key in module.definitions:
                counts[key] = counts.get(key, 0) + 1
        self._ambiguous = {key for key, n in counts.items() if n > 1}

    # --- name resolution -------------------------------------------------------------

    def resolve(self, module: Module, kind: str, name: str) -> tuple[Module, etree._Element]:
        """A definition visible from `module`: its own, then the global ones of its imports."""
        if (kind, name) in module.definitions:
            return module, module.definitions[(kind, name)]
        seen: set[Path] = set()
        stack = list(module.imports)
        while stack:
            other = stack.pop(0)
            if other.path in seen:
                continue
            seen.add(other.path)
            found = other.definitions.get((kind, name))
            if found is not None and found.get("scope", "global") != "local":
                return other, found
            stack.extend(other.imports)
        raise MetaschemaError(f"{module.path.name}: no {kind} definition named {name!r}")

    def global_key(self, module: Module, kind: str, name: str) -> str:
        return f"{module.short_name}:{name}" if (kind, name) in self._ambiguous else name

    # --- definitions -----------------------------------------------------------------

    def flags(self, module: Module, definition: etree._Element, key: str | None = None) -> list[str]:
        out: list[str] = []
        for item in definition:
            if item.tag == f"{M}define-flag":
                name, as_type = str(item.get("name", "")), item.get("as-type")
                flag_module, flag_def = module, item
            elif item.tag == f"{M}flag":
                flag_module, flag_def = self.resolve(module, "flag", item.get("ref", ""))
                name = use_name(item) or use_name(flag_def) or str(flag_def.get("name", ""))
                as_type = flag_def.get("as-type")
            else:
                continue
            if key is not None:
                self.flag_sources.setdefault(key, []).append((name, flag_module, flag_def))
            ftype = json_type(as_type)
            if ftype.startswith("markup"):
                raise MetaschemaError(f"flag {name!r} has markup type {ftype}")
            datatype = as_type or "string"
            args = [repr(name)] + ([repr(ftype)] if ftype != "string" else [])
            if datatype not in (ftype, "string"):
                args.append(f"datatype={datatype!r}")
            out.append(f"G({', '.join(args)})")
        return out

    def define(self, module: Module, definition: etree._Element, key: str) -> str:
        """Emit `definition` under `key` (once) and return the key."""
        if key in self.definitions:
            return key
        self.definitions[key] = ()  # reserve: recursive models refer to themselves
        self.sources[key] = (module, definition)
        if definition.tag == f"{M}define-assembly":
            self.definitions[key] = ("A", *self.assembly(module, definition, key))
        else:
            self.definitions[key] = ("F", *self.field_def(module, definition, key))
        return key

    def field_def(self, module: Module, definition: etree._Element, key: str | None = None) -> tuple[str, ...]:
        datatype = definition.get("as-type") or "string"
        vtype = json_type(datatype)
        flags = self.flags(module, definition, key)
        args = [repr(vtype)]
        if flags:
            args.append("(" + ", ".join(flags) + ",)")
            if definition.find(f"{M}json-value-key-flag") is not None:
                raise MetaschemaError(f"{definition.get('name')}: json-value-key-flag is not supported")
            value_key = definition.findtext(f"{M}json-value-key")
            args.append(repr((value_key or _DEFAULT_VALUE_KEY.get(vtype, "STRVALUE")).strip()))
        if datatype not in (vtype, "string"):
            args.append(f"datatype={datatype!r}")
        return (f"F({', '.join(args)})",)

    def field_key(self, module: Module, definition: etree._Element, key: str) -> str:
        """Flagless fields without constraints share one definition per data type."""
        has_flags = any(item.tag in (f"{M}define-flag", f"{M}flag") for item in definition)
        if not has_flags and definition.find(f"{M}constraint") is None:
            datatype = definition.get("as-type") or "string"
            shared = f":{datatype}"
            self.definitions.setdefault(shared, ("F", self.field_def(module, definition)[0]))
            return shared
        return self.define(module, definition, key)

    def assembly(self, module: Module, definition: etree._Element, key: str) -> tuple[str, ...]:
        flags = self.flags(module, definition, key)
        children: list[str] = []
        model = definition.find(f"{M}model")
        if model is not None:
            for item in model:
                if item.tag == f"{M}choice":
                    for option in item:  # one of them is there: none is required on its own
                        children.append(self.child(module, option, key, in_choice=True))
                elif item.tag in (f"{M}any",):
                    raise MetaschemaError(f"{key}: <any> is not supported")
                elif isinstance(item.tag, str) and item.tag.startswith(M):
                    children.append(self.child(module, item, key))
        self._check_unwrapped(key, children)
        flags_text = "(" + ", ".join(flags) + ("," if flags else "") + ")"
        return (f"A({flags_text}, (" + ", ".join(children) + ("," if children else "") + "))",)

    def _check_unwrapped(self, key: str, children: list[str]) -> None:
        from oscal_poam.io.xml.definitions import BLOCK_ELEMENTS

        if any(c.startswith("C(None,") for c in children):
            names = {c.split("'")[1] for c in children if not c.startswith("C(None,")}
            clash = names & BLOCK_ELEMENTS
            if clash:
                raise MetaschemaError(f"{key}: an unwrapped markup field beside children named {sorted(clash)}")

    def child(self, module: Module, item: etree._Element, parent_key: str, in_choice: bool = False) -> str:
        tag = str(item.tag)
        if tag in (f"{M}assembly", f"{M}field"):
            kind = tag[len(M) :]
            def_module, definition = self.resolve(module, kind, item.get("ref", ""))
            def_key = self.global_key(def_module, kind, definition.get("name", ""))
        elif tag in (f"{M}define-assembly", f"{M}define-field"):
            kind = tag[len(M) + len("define-") :]
            def_module, definition = module, item
            def_key = f"{parent_key}/{item.get('name')}"
        else:
            raise MetaschemaError(f"{parent_key}: unexpected {tag} in a model")

        name = use_name(item) or use_name(definition) or str(definition.get("name", ""))
        required = not in_choice and int(item.get("min-occurs", "0")) > 0
        if kind == "assembly":
            ref = self.define(def_module, definition, def_key)
        else:
            ref = self.field_key(def_module, definition, def_key)

        max_occurs = item.get("max-occurs", "1")
        many = max_occurs == "unbounded" or int(max_occurs) > 1
        group = item.find(f"{M}group-as")
        in_xml = item.get("in-xml", "WITH_WRAPPER")
        needed = ", required=True" if required else ""
        if kind == "field" and in_xml == "UNWRAPPED":
            if json_type(definition.get("as-type")) != "markup-multiline" or many:
                raise MetaschemaError(f"{parent_key}/{name}: only a single markup-multiline field may be unwrapped")
            return f"C(None, {name!r}, {ref!r}{needed})"
        if not many:
            return f"C({name!r}, {name!r}, {ref!r}{needed})"
        if group is None:
            raise MetaschemaError(f"{parent_key}/{name}: repeats without group-as")
        in_json = group.get("in-json", "SINGLETON_OR_ARRAY")
        if in_json != "ARRAY":
            # OSCAL 1.2.1 groups every collection as a JSON array; other shapes would need binding support
            raise MetaschemaError(f"{parent_key}/{name}: group-as in-json={in_json} is not supported")
        args = [repr(name), repr(group.get("name")), repr(ref), "True"]
        if group.get("in-xml") == "GROUPED":
            args.append(repr(group.get("name")))
        if required:
            args.append("required=True")
        return f"C({', '.join(args)})"

    def run(self, roots: set[str]) -> None:
        for module in self.modules:
            for (kind, name), definition in module.definitions.items():
                root_name = (definition.findtext(f"{M}root-name") or "").strip()
                if kind == "assembly" and root_name in roots:
                    self.roots[root_name] = self.define(module, definition, self.global_key(module, kind, name))
        missing = roots - set(self.roots)
        if missing:
            raise MetaschemaError(f"no root definition for {', '.join(sorted(missing))}")


HEADER = '''"""OSCAL {version} XML binding: generated by tools/gen_xml_binding.py from the NIST metaschema; do not edit.

ROOTS maps each root element (and JSON root key) to its definition; DEFINITIONS
holds every assembly and every field with flags under its metaschema name
(inline definitions as parent/name), and flagless fields under :<json type>.
"""

from __future__ import annotations

from oscal_poam.io.xml.definitions import Assembly as A
from oscal_poam.io.xml.definitions import Child as C
from oscal_poam.io.xml.definitions import Definition
from oscal_poam.io.xml.definitions import Field as F
from oscal_poam.io.xml.definitions import Flag as G

OSCAL_VERSION = {version!r}

'''


def render(folder: Path) -> str:
    modules = load_modules(folder)
    version = (modules[-1].root.findtext(f"{M}schema-version") or "").strip()
    from oscal_poam.io.models import BY_ROOT

    gen = Generator(modules)
    gen.run(set(BY_ROOT))
    lines = [HEADER.format(version=version), "ROOTS: dict[str, str] = {\n"]
    lines += [f"    {name!r}: {key!r},\n" for name, key in sorted(gen.roots.items())]
    lines.append("}\n\nDEFINITIONS: dict[str, Definition] = {\n")
    lines += [f"    {key!r}: {text[1]},\n" for key, text in sorted(gen.definitions.items())]
    lines.append("}\n")
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--metaschema", type=Path, default=DEFAULT_METASCHEMA, help="folder of metaschema sources")
    parser.add_argument("--output", type=Path, default=TARGET, help="the table to write or check")
    parser.add_argument("--check", action="store_true", help="exit 1 when the table is not current")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    try:
        text = render(args.metaschema)
    except (MetaschemaError, OSError, etree.XMLSyntaxError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current == text:
            print(f"{args.output} is current")
            return 0
        diff = difflib.unified_diff(current.splitlines(), text.splitlines(), "committed", "generated", lineterm="", n=1)
        print("\n".join(list(diff)[:40]))
        print(f"{args.output} is out of date: run python tools/gen_xml_binding.py", file=sys.stderr)
        return 1
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
