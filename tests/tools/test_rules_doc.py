"""docs/rules.md: "A table of every rule (id, severity, citation, what it checks) in docs/rules.md, generated from
the rule registry and checked by a test." """

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import oscal_poam
from oscal_poam.engine.ruleset import all_rules
from oscal_poam.rules.registry import RULES
from tests.conftest import ROOT
from tools import gen_rules_doc

DOC = ROOT / "docs" / "rules.md"


def test_committed_table_is_current() -> None:
    """ "generated from the rule registry and checked by a test": the committed file is what the tool writes."""
    assert DOC.read_text(encoding="utf-8") == gen_rules_doc.render(all_rules()), (
        "docs/rules.md is out of date: run python tools/gen_rules_doc.py"
    )


def test_every_rule_is_one_row() -> None:
    """ "A table of every rule (id, severity, citation, what it checks)": one row per rule, in registry order."""
    rows = [line for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("| `")]
    rules = all_rules()
    assert [row.split("`")[1] for row in rows] == [r.id for r in rules]
    for row, rule in zip(rows, rules, strict=True):
        cells = [c.strip() for c in row.strip("|").split(" | ")]
        assert cells[1:3] == [rule.severity.value, rule.family]
        assert cells[3] == (rule.citation.replace("|", "\\|") or "—")
        assert rule.summary.split()[0] in cells[4]


def test_every_rule_module_is_registered() -> None:
    """Importing `oscal_poam.engine.ruleset` registers every rule the package declares: the table is complete."""
    fresh = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from oscal_poam.engine.ruleset import all_rules; "
            "print(json.dumps([r.id for r in all_rules()]))",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    for module in pkgutil.walk_packages(oscal_poam.__path__, "oscal_poam."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    assert sorted(json.loads(fresh.stdout)) == sorted(RULES)


def test_check_flag(tmp_path: Path) -> None:
    """`--check` writes nothing and exits 1 while the file is stale, 0 once written."""
    out = tmp_path / "rules.md"
    out.write_text("# Rules\n", encoding="utf-8")
    assert gen_rules_doc.main(["--out", str(out), "--check"]) == 1
    assert out.read_text(encoding="utf-8") == "# Rules\n"
    assert gen_rules_doc.main(["--out", str(out)]) == 0
    assert gen_rules_doc.main(["--out", str(out), "--check"]) == 0
    assert out.read_text(encoding="utf-8") == DOC.read_text(encoding="utf-8")
