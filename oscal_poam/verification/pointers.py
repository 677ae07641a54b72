"""Verification pointers: the automated checks that verify a POA&M item, named as data.

A pointer is the value of a `cmmc-verification-check` prop on the item's verification task, `<tool>:<check>`:

- `prowler:<check id>`: a Prowler check (`prowler:iam_root_mfa_enabled`), matched by the check id of Prowler's
  findings (OCSF JSON);
- `sarif:<tool>/<rule id>`: a rule of any scanner writing SARIF 2.1.0 (`sarif:checkov/CKV_AWS_145`), matched by
  the run's tool name (case ignored) and the result's rule id;
- `oscal:<target id>`: a finding target of OSCAL assessment results from any tool (`oscal:ac-6.1_obj`).

docs/conventions.md ("Automated verification") describes them for people; the rules report a pointer naming
another tool, or one that is not of this form, as an error.
"""

from __future__ import annotations

from dataclasses import dataclass

TOOLS = ("prowler", "sarif", "oscal")
"""The tools a pointer may name, in the order the documentation lists them."""

EXAMPLES = "prowler:<check id>, sarif:<tool>/<rule id> or oscal:<finding target>"


@dataclass(frozen=True, order=True)
class Pointer:
    """One automated check. `scanner` is the SARIF tool name (lowercase); '' for the other tools."""

    tool: str
    check: str
    scanner: str = ""

    @property
    def text(self) -> str:
        """The pointer as written in its canonical form."""
        if self.tool == "sarif":
            return f"sarif:{self.scanner}/{self.check}"
        return f"{self.tool}:{self.check}"

    @property
    def key(self) -> tuple[str, str, str]:
        """What results are matched by: the tool, the SARIF tool name, the check."""
        return (self.tool, self.scanner, self.check)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Problem:
    """Why a prop value is not a pointer. `unknown_tool`: it names a tool before the colon, but not one of TOOLS."""

    value: str
    message: str
    unknown_tool: bool = False


def tool_key(name: str) -> str:
    """A scanner's name as pointers spell it: case ignored, spaces and underscores as hyphens (SARIF's `Semgrep OSS`
    is `semgrep-oss`)."""
    return "-".join(name.replace("_", " ").split()).casefold()


def parse(value: str) -> Pointer | Problem:
    """The pointer a prop value names, or the problem with it."""
    text = value.strip()
    tool, colon, check = text.partition(":")
    tool = tool.strip().lower()
    check = check.strip()
    if not colon or not tool:
        return Problem(value, f"{value!r} is not a verification pointer: write {EXAMPLES}")
    if tool not in TOOLS:
        return Problem(
            value,
            f"{value!r} names the tool {tool!r}, which oscal-poam cannot read; write {EXAMPLES}",
            unknown_tool=True,
        )
    if tool == "sarif":
        scanner, slash, rule = check.partition("/")
        if not slash or not scanner.strip() or not rule.strip():
            return Problem(value, f"{value!r} names no SARIF tool and rule: write sarif:<tool>/<rule id>")
        return Pointer("sarif", rule.strip(), tool_key(scanner))
    if not check:
        return Problem(value, f"{value!r} names no check after {tool}:")
    return Pointer(tool, check)
