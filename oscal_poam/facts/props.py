"""The CMMC props of one OSCAL object (a result, a finding, the POA&M's metadata), each read once.

docs/conventions.md defines each prop; this module reads them the one way every command reads them:

- only props in the project's namespace are read; one with the right name and another namespace is reported,
  since a person most likely forgot the `ns`;
- values from a closed list are matched without regard to case (`C3PAO`, `Self`) and read in the spelling the
  conventions document (`c3pao`, `self`);
- a prop given twice with different values is an error naming both, and neither is read: the verdict must not
  depend on the order of props; given twice with the same value, it is read once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from oscal_poam.cmmc import vocab
from oscal_poam.diagnostics import Diagnostic, Severity
from oscal_poam.io import pointers
from oscal_poam.io.models import text
from oscal_poam.quoting import excerpt
from oscal_poam.rules import results as rules


@dataclass(frozen=True)
class Written:
    """One occurrence of a prop: its value as written and the JSON pointer of the prop."""

    value: str
    pointer: str


@dataclass
class PropReader:
    """The CMMC props of one object; diagnostics about them go to `diagnostics`."""

    props: Sequence[Any] | None
    pointer: str
    """The JSON pointer of the object holding the props."""
    document: str
    subject: str = ""
    what: str = "prop"
    """How messages name the holder's props (`result prop`, `metadata prop`)."""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_name: dict[str, list[Written]] = {}
        for index, prop in enumerate(self.props or []):
            here = self.pointer + pointers.join("props", index)
            ns = str(prop.ns) if getattr(prop, "ns", None) is not None else None
            name = str(prop.name)
            if ns == vocab.NS:
                self._by_name.setdefault(name, []).append(Written(text(prop.value), here))
            else:
                self._by_name.setdefault(_OTHER_NS + name, []).append(Written(ns or "", here))

    def warn_unnamespaced(self, names: Iterable[str]) -> None:
        """A prop named like one of ours in another namespace (or none) is not read: say so."""
        for name in names:
            for found in self._by_name.get(_OTHER_NS + name, ()):
                self._say(
                    rules.PROP_INVALID,
                    f"prop {name} has namespace {found.value or '(none)'!r}, not {vocab.NS!r}; it is not read",
                    found.pointer,
                )

    def written(self, name: str) -> list[Written]:
        """Every occurrence of the prop `name` in the project's namespace, in document order."""
        return list(self._by_name.get(name, ()))

    def values(self, name: str) -> list[str]:
        """The distinct values of `name`, as written, in document order."""
        return list(dict.fromkeys(w.value for w in self.written(name)))

    def one(
        self,
        name: str,
        allowed: Sequence[str] | None = None,
        fallback: str = "",
        parse: Callable[[str], object] | None = None,
        expected: str = "",
        severity: Severity | None = None,
    ) -> Written | None:
        """The one value of `name` (in its documented spelling where `allowed` lists them), or None.

        None when the prop is absent, when its value is not allowed (or `parse` gives None for it; a warning, or
        a diagnostic of `severity`, says what is read instead: `fallback`), or when it is given twice with
        different values (an error names both).
        """
        found = self.written(name)
        if not found:
            return None
        readings = [(w, _canonical(w.value, allowed)) for w in found]
        valid = []
        for w, value in readings:
            ok = value is not None and (parse is None or parse(value) is not None)
            if not ok:
                wanted = expected or " or ".join(allowed or ())
                self._say(
                    rules.PROP_INVALID,
                    f"{self.what} {name} is {excerpt(w.value)}, not {wanted}" + (f"; {fallback}" if fallback else ""),
                    w.pointer,
                    severity,
                )
            else:
                valid.append(Written(value or "", w.pointer))
        distinct = list(dict.fromkeys(w.value for w in valid))
        if len(distinct) > 1:
            shown = " and ".join(repr(v) for v in distinct)
            self._say(
                rules.PROP_DUPLICATED,
                f"{self.what} {name} is given {len(valid)} times, as {shown}: which one holds cannot be told, so "
                "neither is read",
                valid[1].pointer,
            )
            return None
        return valid[0] if valid else None

    def _say(self, rule: Any, message: str, pointer: str, severity: Severity | None = None) -> None:
        self.diagnostics.append(
            rule.diag(message, pointer=pointer, document=self.document, subject=self.subject, severity=severity)
        )


_OTHER_NS = "\x00"
"""Key prefix for props named like ours in another namespace."""


def _canonical(value: str, allowed: Sequence[str] | None) -> str | None:
    """`value` in its documented spelling: `allowed` matched without regard to case; any value when None."""
    if allowed is None:
        return value
    wanted = value.strip().casefold()
    return next((a for a in allowed if a.casefold() == wanted), None)
