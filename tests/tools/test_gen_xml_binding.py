"""tools/gen_xml_binding.py: the committed XML binding table is what the NIST metaschema says."""

from __future__ import annotations

import subprocess
from pathlib import Path

from oscal_poam.io.models import BY_ROOT
from oscal_poam.io.xml.binding_table import DEFINITIONS, OSCAL_VERSION, ROOTS
from oscal_poam.io.xml.definitions import Assembly, Child, Field, Flag
from tests.conftest import ROOT
from tests.tools.generators import run_generator

TOOL = ROOT / "tools" / "gen_xml_binding.py"
TABLE = ROOT / "oscal_poam" / "io" / "xml" / "binding_table.py"


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return run_generator(TOOL, *args)


def test_the_committed_table_is_current() -> None:
    result = run_tool("--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "is current" in result.stdout


def test_check_reports_a_stale_table(tmp_path: Path) -> None:
    stale = tmp_path / "binding_table.py"
    stale.write_text(TABLE.read_text(encoding="utf-8").replace("'revisions'", "'revision-list'"), encoding="utf-8")
    result = run_tool("--check", "--output", str(stale))
    assert result.returncode == 1
    assert "out of date" in result.stderr
    assert "revision-list" in result.stdout


def test_the_tool_regenerates_the_same_table(tmp_path: Path) -> None:
    out = tmp_path / "table.py"
    assert run_tool("--output", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == TABLE.read_text(encoding="utf-8")


def test_the_table_covers_the_models_the_project_loads() -> None:
    assert OSCAL_VERSION == "1.2.1"
    assert set(ROOTS) == set(BY_ROOT)
    for key in ROOTS.values():
        assert isinstance(DEFINITIONS[key], Assembly)


def test_every_reference_in_the_table_resolves() -> None:
    for definition in DEFINITIONS.values():
        if isinstance(definition, Assembly):
            for child in definition.model:
                assert child.definition in DEFINITIONS


def test_the_table_says_what_the_metaschema_says() -> None:
    metadata = DEFINITIONS["metadata"]
    assert isinstance(metadata, Assembly)
    # group-as in-xml="GROUPED": the one wrapped collection of OSCAL 1.2.1
    assert Child("revision", "revisions", "metadata/revision", True, "revisions") in metadata.model
    # in-xml="UNWRAPPED": a part's prose stands between its props and its parts
    part = DEFINITIONS["part"]
    assert isinstance(part, Assembly)
    assert [c.json for c in part.model] == ["title", "props", "prose", "parts", "links"]
    assert part.model[2] == Child(None, "prose", ":markup-multiline")
    # json-value-key, and a flag renamed by use-name
    assert DEFINITIONS["telephone-number"] == Field("string", (Flag("type"),), "number")
    assert DEFINITIONS["hash"] == Field("string", (Flag("algorithm"),), "value")
    # the element order of a model
    poam = DEFINITIONS["plan-of-action-and-milestones"]
    assert isinstance(poam, Assembly)
    assert [c.json for c in poam.model] == [
        "metadata",
        "import-ssp",
        "system-id",
        "local-definitions",
        "observations",
        "risks",
        "findings",
        "poam-items",
        "back-matter",
    ]
    # data types that JSON carries as numbers and booleans
    frequency = DEFINITIONS["task/timing/at-frequency"]
    assert isinstance(frequency, Assembly) and Flag("period", "integer", "positive-integer") in frequency.flags
    merge = DEFINITIONS["merge"]
    assert isinstance(merge, Assembly) and Child("as-is", "as-is", ":boolean") in merge.model
    # the metaschema data type of every flag and value, and which children are required (not those of a choice)
    assert Flag("uuid", datatype="uuid") in poam.flags
    assert DEFINITIONS[":date-time-with-timezone"] == Field("string", datatype="date-time-with-timezone")
    assert Child("metadata", "metadata", "metadata", required=True) in poam.model
    assert Child("flat", "flat", "merge/flat") in merge.model
    # a flagless field with constraints keeps a definition of its own, for the constraints to find it
    assert DEFINITIONS["party-uuid"] == Field("string", datatype="uuid")
