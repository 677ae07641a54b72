"""Hostile input: oversized files, deep nesting, huge strings, XML and YAML expansion attacks, formula injection.

Each attack ends in a LoadError that says what was refused and where, or (for valid but extreme documents)
in a correct result; never in a crash, a hang on expansion, or a formula in an exported spreadsheet.
Cases that could take the interpreter down (LibYAML's recursive composer) run in a child process.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from oscal_poam.errors import LoadError, WriteError
from oscal_poam.io.load import MAX_YAML_DEPTH, load, parse
from oscal_poam.io.write import dumps
from oscal_poam.legacy.api import export_poam, import_poam
from oscal_poam.validate.one_file import MODEL, validate_bytes, validate_file
from tests.conftest import OSCAL_CONTENT, ROOT
from tests.legacy import sheets
from tests.robustness.mutations import assert_located, examples

CATALOG = OSCAL_CONTENT / "catalog" / "json" / "basic-catalog.json"
AR_XML = OSCAL_CONTENT / "ar" / "xml" / "ifa_assessment-results-example.xml"
MAINTAINED = ROOT / "examples" / "l2-conditional" / "poam-maintained.json"
SECRET = "TOP-SECRET-7f3a"


def _catalog() -> dict[str, Any]:
    return json.loads(CATALOG.read_bytes())  # type: ignore[no-any-return]


def _first_part(data: dict[str, Any]) -> dict[str, Any]:
    return data["catalog"]["groups"][0]["groups"][0]["controls"][0]["parts"][0]  # type: ignore[no-any-return]


def _refused(read: Any, source: str) -> LoadError:
    with pytest.raises(LoadError) as caught:
        read()
    assert_located(caught.value, source)
    return caught.value


# -- oversized files --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["catalog/json/basic-catalog.json", "catalog/xml/basic-catalog.xml",
                                  "catalog/yaml/basic-catalog.yaml"])  # fmt: skip
def test_a_file_over_the_cap_is_refused_before_it_is_read(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OSCAL_POAM_MAX_BYTES", "4096")
    path = OSCAL_CONTENT / name
    with pytest.raises(LoadError) as caught:
        load(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert "over the limit of 4,096 bytes (OSCAL_POAM_MAX_BYTES)" in problem.message
    assert load(path, max_bytes=path.stat().st_size).model is not None  # the cap, not the file, refused it
    found = validate_file(path)
    assert [d.rule_id for d in found.diagnostics] == [MODEL.id]
    assert "over the limit" in found.diagnostics[0].message


def test_the_cap_applies_on_the_command_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "oscal_poam.cli.app", "info", str(CATALOG)],
        capture_output=True,
        text=True,
        env={"OSCAL_POAM_MAX_BYTES": "1000", "PATH": "", "COLUMNS": "200"},
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert "over the limit of 1,000 bytes" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_spreadsheet_over_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = sheets.write_csv(tmp_path / "poam.csv")
    monkeypatch.setenv("OSCAL_POAM_MAX_BYTES", "100")
    with pytest.raises(LoadError, match="over the limit of 100 bytes"):
        import_poam(path)


def test_a_workbook_that_unpacks_past_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zip bomb: a small file whose parts unpack to far more than the cap."""
    path = sheets.fedramp_workbook(tmp_path / "poam.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * 8_000_000)
    assert path.stat().st_size < 1_000_000
    monkeypatch.setenv("OSCAL_POAM_MAX_BYTES", "1000000")
    with pytest.raises(LoadError, match=r"unpacks to 8,\d{3},\d{3} bytes, over the limit of 1,000,000"):
        import_poam(path)
    monkeypatch.delenv("OSCAL_POAM_MAX_BYTES")
    assert import_poam(path).poam is not None


# -- deep nesting -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "column"),
    [(b"[" * 100_000 + b"]" * 100_000, 501), (b'{"a": ' * 50_000 + b"1" + b"}" * 50_000, 3001)],
    ids=["arrays", "objects"],
)
def test_deeply_nested_json_is_refused_where_it_gets_too_deep(raw: bytes, column: int) -> None:
    error = _refused(lambda: parse(raw, "deep.json"), "deep.json")
    (problem,) = error.problems
    assert (problem.line, problem.column) == (1, column)
    assert "nested too deeply" in problem.message


def test_deeply_nested_xml_is_refused_where_it_gets_too_deep() -> None:
    raw = b'<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0">' + b"<part>" * 10_000 + b"</part>" * 10_000
    error = _refused(lambda: parse(raw + b"</catalog>", "deep.xml"), "deep.xml")
    assert error.problems[0].line == 1


DEEP_YAML = {
    "flow": b"catalog: " + b"[" * 100_000 + b"]" * 100_000,
    "block": b"catalog:\n" + b"- " * 100_000 + b"x\n",
    "mixed": b"catalog:\n  a:\n" + b"    - " + b"{b: " * 60_000 + b"1" + b"}" * 60_000 + b"\n",
}

_LOAD_IN_A_CHILD = (
    "import sys\n"
    "from oscal_poam.errors import LoadError\n"
    "from oscal_poam.io.load import load\n"
    "try:\n"
    "    load(sys.argv[1])\n"
    "except LoadError as exc:\n"
    "    (problem,) = exc.problems\n"
    "    print(problem.file, problem.line, problem.column, problem.message, sep='\\t')\n"
)


def _load_in_a_child(path: Path) -> tuple[str, int, int | None, str]:
    """Load in another interpreter, so that a crash of the YAML library fails the test rather than ending it."""
    done = subprocess.run([sys.executable, "-c", _LOAD_IN_A_CHILD, str(path)], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout, "the document was not refused"
    file, line, column, message = done.stdout.rstrip("\n").split("\t")
    return file, int(line), None if column == "None" else int(column), message


@pytest.mark.parametrize("name", DEEP_YAML)
def test_deeply_nested_yaml_is_refused_before_libyaml_composes_it(name: str, tmp_path: Path) -> None:
    """LibYAML's composer recursed until the process died (a segmentation fault, not an exception)."""
    path = tmp_path / "deep.yaml"
    path.write_bytes(DEEP_YAML[name])
    file, line, column, message = _load_in_a_child(path)
    assert (file, line >= 1, column is not None) == (str(path), True, True)
    assert message.startswith("invalid YAML: ")


def test_yaml_one_level_past_the_limit_is_refused_where_it_gets_there(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    brackets = MAX_YAML_DEPTH  # inside the document's mapping, the first level
    path.write_bytes(b"catalog: " + b"[" * brackets + b"]" * brackets)
    message = f"invalid YAML: nested more than {MAX_YAML_DEPTH} levels deep"
    assert _load_in_a_child(path) == (str(path), 1, len("catalog: ") + brackets, message)  # the last bracket


def test_yaml_at_the_limit_is_not_refused_for_its_depth(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    brackets = MAX_YAML_DEPTH - 1
    path.write_bytes(b"catalog: " + b"[" * brackets + b"]" * brackets)
    assert _load_in_a_child(path)[3] == "catalog must be an object, not list"  # read, then judged as a catalog


def test_deeply_nested_yaml_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_bytes(DEEP_YAML["flow"])
    done = subprocess.run(
        [sys.executable, "-m", "oscal_poam.cli.app", "info", str(path)],
        capture_output=True,
        text=True,
        env={"PATH": "", "COLUMNS": "400"},
        check=False,
    )
    assert done.returncode == 3, done.stderr
    assert str(path) in done.stderr
    assert "invalid YAML" in done.stderr
    assert "Traceback" not in done.stderr


def _nested_parts(depth: int) -> bytes:
    data = _catalog()
    node = _first_part(data)
    for n in range(depth):
        child = {"id": f"deep-{n}", "name": "item", "prose": f"level {n}"}
        node["parts"] = [child]
        node = child
    return json.dumps(data).encode()


def test_valid_but_deeply_nested_parts_load_and_cannot_be_written_quietly() -> None:
    """Parts within parts are valid OSCAL at any depth; the writers stop at 255 levels, with a WriteError."""
    shallow = parse(_nested_parts(60), "deep.json")
    assert parse(dumps(shallow.model, "json"), "again.json").model == shallow.model
    deep = parse(_nested_parts(200), "deep.json")
    for fmt in ("json", "yaml", "xml"):
        with pytest.raises(WriteError, match="nested too deeply"):
            dumps(deep.model, fmt)


def test_parts_too_deep_to_validate_are_one_located_problem() -> None:
    error = _refused(lambda: parse(_nested_parts(400), "deep.json"), "deep.json")
    (problem,) = error.problems
    assert problem.message.endswith("nested too deeply to validate")
    assert problem.pointer is not None and problem.pointer.count("/parts/") > 100


# -- expansion attacks ------------------------------------------------------------------------------------


def _yaml_laughs(levels: int) -> bytes:
    lines = ["catalog:", '  a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"  a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines).encode()


def test_yaml_billion_laughs_is_refused() -> None:
    error = _refused(lambda: parse(_yaml_laughs(12), "laughs.yaml"), "laughs.yaml")
    assert "refused as an expansion attack" in error.problems[0].message
    assert validate_bytes(_yaml_laughs(12), "laughs.yaml").diagnostics[0].rule_id == MODEL.id


def test_yaml_aliases_that_merely_reuse_are_fine() -> None:
    """Anchors and aliases are YAML: a document reusing a value a few times loads."""
    data = json.loads((OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json").read_bytes())
    text = yaml.safe_dump(data, sort_keys=False)
    text = re.sub(r"methods:\n(\s*)- TEST\n", r"methods: &m\n\1- TEST\n", text, count=1)
    text, aliased = re.subn(r"methods:\n\s*- TEST\n", "methods: *m\n", text, count=1)
    assert aliased == 1 and "&m" in text
    doc = parse(text.encode(), "reuse.yaml")
    observations = doc.model.results[0].observations  # type: ignore[attr-defined]
    assert [o.methods for o in observations] == [["TEST"], ["TEST"]]


def test_yaml_recursive_alias_is_refused() -> None:
    _refused(lambda: parse(b"catalog: &a\n  uuid: *a\n", "loop.yaml"), "loop.yaml")


XML_ATTACKS = {
    "billion laughs": (
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10) for i in range(1, 10)
        )
        + b']>\n<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"><title>&lol8;</title></catalog>'
    ),
    "external entity": (
        b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://SECRET">]>\n'
        b'<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"><title>&xxe;</title></catalog>'
    ),
    "external DTD": (
        b'<!DOCTYPE catalog SYSTEM "http://127.0.0.1:9/oscal.dtd">\n'
        b'<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"/>'
    ),
    "parameter entity": (
        b'<!-- a comment first -->\n<?pi first?>\n<!DOCTYPE x [<!ENTITY % p SYSTEM "file://SECRET"> %p;]>\n'
        b'<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"/>'
    ),
    "undeclared entity": b'<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"><title>&xxe;</title></catalog>',
    "XInclude": (
        b'<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
        b'<xi:include href="file://SECRET" parse="text"/></catalog>'
    ),
}


@pytest.mark.parametrize("name", XML_ATTACKS)
def test_xml_entity_and_dtd_attacks_are_refused(name: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    raw = XML_ATTACKS[name].replace(b"SECRET", str(secret).encode())
    error = _refused(lambda: parse(raw, "attack.xml"), "attack.xml")
    assert SECRET not in str(error)
    found = validate_bytes(raw, "attack.xml")
    assert found.diagnostics
    assert SECRET not in repr(found)


def test_doctype_in_utf16_xml_is_refused() -> None:
    raw = '<!DOCTYPE x [<!ENTITY e "e">]><catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0"/>'.encode("utf-16")
    _refused(lambda: parse(raw, "attack.xml"), "attack.xml")


def _with_part(path: Path, target: str, change: Any) -> Path:
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name)
            archive.writestr(name, change(data) if name == target else data)
    return path


def _doctype_after_declaration(doctype: bytes) -> Any:
    def change(data: bytes) -> bytes:
        if data.startswith(b"<?xml"):
            declaration, _, rest = data.partition(b"?>")
            return declaration + b"?>" + doctype + rest
        return doctype + data

    return change


WORKBOOK_ATTACKS = {
    "billion laughs in a sheet": ("xl/worksheets/sheet1.xml", b'<!DOCTYPE l [<!ENTITY l "lol"><!ENTITY l2 "&l;&l;">]>'),
    "external entity in the workbook": ("xl/workbook.xml", b'<!DOCTYPE x [<!ENTITY e SYSTEM "file://SECRET">]>'),
    "DTD in the relationships": ("_rels/.rels", b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd">'),
    "DOCTYPE after a long comment": ("xl/styles.xml", b"<!--" + b"x" * 100_000 + b'--><!DOCTYPE x [<!ENTITY e "e">]>'),
}


@pytest.mark.parametrize("name", WORKBOOK_ATTACKS)
def test_workbook_parts_with_a_doctype_are_refused(name: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    part, doctype = WORKBOOK_ATTACKS[name]
    path = _with_part(
        sheets.fedramp_workbook(tmp_path / "poam.xlsx"),
        part,
        _doctype_after_declaration(doctype.replace(b"SECRET", str(secret).encode())),
    )
    with pytest.raises(LoadError, match=f"refused: the part {re.escape(part)} of the workbook has a DOCTYPE"):
        import_poam(path)


# -- very long strings ------------------------------------------------------------------------------------


def test_a_very_long_string_survives_every_format() -> None:
    data = _catalog()
    title = "Ȿ" + " ".join(["very long title"] * 500_000)  # 8 MB of text
    data["catalog"]["metadata"]["title"] = title
    doc = parse(json.dumps(data).encode(), "long.json")
    for fmt in ("json", "yaml", "xml"):
        again = parse(dumps(doc.model, fmt), f"long.{fmt}")
        assert again.model.metadata.title == title  # type: ignore[attr-defined]


def test_a_paragraph_of_many_inline_elements_converts_to_xml_and_back() -> None:
    """Written with a quadratic child count before; it must at least come back right."""
    data = _catalog()
    prose = " ".join(f"step {n} **now** and *then* `code{n}`" for n in range(20_000))
    _first_part(data)["prose"] = prose
    doc = parse(json.dumps(data).encode(), "long.json")
    back = parse(dumps(doc.model, "xml"), "long.xml")
    assert _first_part({"catalog": json.loads(dumps(back.model, "json"))["catalog"]})["prose"] == prose


# -- formula injection in exports -------------------------------------------------------------------------

payloads = st.tuples(
    st.sampled_from(["=", "+", "-", "@"]),
    st.sampled_from(['cmd|" /C calc"!A0', 'HYPERLINK("http://evil.example","x")', "1+1", "SUM(A1:A9)", "x"]),
    st.text(alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"]), max_size=20),
).map(lambda t: (t[0] + t[1] + t[2]).strip())


@examples(12)
@given(payloads, st.sampled_from(["fedramp", "emass"]))
def test_exported_text_starting_like_a_formula_is_text(payload: str, layout: str) -> None:
    data = json.loads(MAINTAINED.read_bytes())
    poam = data["plan-of-action-and-milestones"]
    for item in poam["poam-items"]:
        item["title"] = payload
        item["description"] = payload
        item["remarks"] = payload
        item["props"].append({"name": "legacy-comments", "ns": "urn:oscal-poam:cmmc", "value": payload})
    for risk in poam["risks"]:
        for remediation in risk.get("remediations", []):
            remediation["description"] = payload
            for task in remediation.get("tasks", []):
                task["title"] = payload
    model = parse(json.dumps(data).encode(), "poam.json").model
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.xlsx"
        export_poam(model, path, layout=layout)  # type: ignore[arg-type]
        package = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    workbook = openpyxl.load_workbook(io.BytesIO(package))
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    risky = [c for c in cells if c.value[:1] in "=+-@"]
    assert len(risky) >= 2 * len(poam["poam-items"])  # at least each item's name and description
    assert all(c.data_type == "s" and c.quotePrefix for c in risky), [c.coordinate for c in risky]
