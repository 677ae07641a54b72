"""Converting an OSCAL document between JSON, YAML and XML, verified before anything is written.

The document is loaded (NIST's schema of its format decides whether it is
valid) into its model and serialized; the output must be valid for NIST's
schema of its own format, and the serialized bytes are read back: only when
they give the same OSCAL data, every string as it was read, is the output
written (atomically). A failure leaves the output path as it was.

XML carries markup as elements, not as Markdown, so Markdown comes back from
XML in its canonical spelling; for XML output, a markup value counts as equal
when it is the canonical spelling of the original (see
`oscal_poam.io.xml.equivalence`). Everything else must come back exactly.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from oscal_poam.collector import collector_paused
from oscal_poam.errors import LoadError, UsageError, WriteError
from oscal_poam.io.load import Document, decode, load
from oscal_poam.io.outputs import refuse_overwriting, write_bytes
from oscal_poam.io.write import OutputFormat, format_for, serialize, to_data

FORMATS: tuple[OutputFormat, ...] = ("json", "yaml", "xml")


@dataclass(frozen=True)
class Conversion:
    """What a conversion read and wrote."""

    source: Document
    target: Path
    format: OutputFormat
    size: int


def output_format(target: str | os.PathLike[str], to: str | None) -> OutputFormat:
    if to is not None:
        if to not in FORMATS:
            raise UsageError(f"unknown output format {to!r}; use json, yaml or xml")
        return to
    try:
        return format_for(target)
    except WriteError as exc:
        raise UsageError(f"{exc} (or give --to)") from None


def convert_bytes(document: Document, fmt: OutputFormat, target: str) -> bytes:
    """The bytes of `document` in `fmt`, after checking that they read back as the same OSCAL data."""
    data = to_data(document.model)
    out = serialize(data, fmt)
    try:
        _, again, _ = decode(out, f"{target} (as written)", max_bytes=max(len(out), 1))
    except LoadError as exc:
        first = exc.problems[0]
        raise WriteError(f"{target}: the {fmt.upper()} written does not read back: {first}") from None
    if again == data:
        return out
    changed: list[str] = []
    if fmt == "xml":
        from oscal_poam.io.xml.equivalence import differences

        changed = list(differences(data, again))
        if not changed:
            return out
    where = f" at {', '.join(p or '/' for p in changed[:3])}" if changed else ""
    raise WriteError(f"{target}: the {fmt.upper()} written reads back as a different document{where}; nothing written")


@collector_paused()  # the loaded model, its data, the XML and its read-back hold no cycles to find
def convert(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    to: str | None = None,
    max_bytes: int | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Conversion:
    """Convert the OSCAL document at `source` into `target`, in `to` or the format of target's suffix.

    Raises LoadError when the input cannot be loaded, UsageError for an
    unusable request and WriteError when the output cannot be written
    faithfully; in every failure nothing is written.
    """
    out = Path(target)
    fmt = output_format(target, to)
    refuse_overwriting([("OUT", target)], [("IN", source)])
    document = load(source, max_bytes=max_bytes)
    data = convert_bytes(document, fmt, str(target))
    write_bytes(target, data, on_wait)
    return Conversion(document, out, fmt, len(data))
