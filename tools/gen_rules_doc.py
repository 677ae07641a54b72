"""Write docs/rules.md: the table of every rule, from the rule registry.

    python tools/gen_rules_doc.py [--out FILE] [--check]

`--check` writes nothing and exits 1 when the file differs from what would be written.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))

from oscal_poam.engine.ruleset import all_rules  # noqa: E402
from oscal_poam.rules.registry import Rule  # noqa: E402

DEFAULT_OUT = ROOT / "docs" / "rules.md"

HEADER = """\
# Rules

Every diagnostic oscal-poam reports names one of these rules. Rule ids are stable: scripts, SARIF
consumers and `--fail-on` may rely on them. The severity is the rule's default; where a rule says so in
its description, a diagnostic may be reported at another severity (for example
`credibility-milestone-after-deadline` is an error on a Conditional POA&M). The citation is the source of
the rule: a paragraph of 32 CFR Part 170 or 48 CFR, the OSCAL specification, NIST SP 800-171, assessor
practice, or this project's conventions (docs/conventions.md).

This file is generated from the rule registry by `python tools/gen_rules_doc.py`; a test keeps it current.
"""


def _cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ") or "—"


def render(rules: Sequence[Rule]) -> str:
    """The Markdown of docs/rules.md for `rules`."""
    counts = Counter(r.severity.value for r in rules)
    families = Counter(r.family for r in rules)
    lines = [HEADER]
    summary = ", ".join(f"{counts[s]} {s}" for s in ("error", "warning", "info") if counts[s])
    lines.append(f"{len(rules)} rules in {len(families)} families ({summary}).\n")
    lines.append("| Family | Rules |")
    lines.append("|---|---|")
    lines.extend(f"| {family} | {n} |" for family, n in sorted(families.items()))
    lines.append("")
    lines.append("| Id | Severity | Family | Citation | What it checks |")
    lines.append("|---|---|---|---|---|")
    for r in rules:
        lines.append(
            f"| `{r.id}` | {r.severity.value} | {_cell(r.family)} | {_cell(r.citation)} | {_cell(r.summary)} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/rules.md from the rule registry.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the Markdown file to write")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if the file would change")
    args = parser.parse_args(argv)
    text = render(all_rules())
    current = args.out.read_text(encoding="utf-8") if args.out.is_file() else None
    if args.check:
        if current != text:
            print(f"out of date: {args.out} (run python tools/gen_rules_doc.py)", file=sys.stderr)
            return 1
        return 0
    if current != text:
        from oscal_poam.io.write import atomic_write_bytes

        atomic_write_bytes(args.out, text.encode("utf-8"))
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
