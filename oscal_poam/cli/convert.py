"""`oscal-poam convert IN OUT [--to json|yaml|xml]`.

Imports inside the command are deferred on purpose: they keep `oscal-poam --version` fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from oscal_poam.cli.common import err, out, waiting
from oscal_poam.quoting import printable


def convert(
    source: Annotated[Path, typer.Argument(metavar="IN", help="An OSCAL document (JSON, YAML or XML).")],
    target: Annotated[
        Path, typer.Argument(metavar="OUT", help="The file to write; - for standard output (JSON unless --to).")
    ],
    to: Annotated[
        Literal["json", "yaml", "xml"] | None,
        typer.Option("--to", help="Output format (default: OUT's suffix, .json, .yaml, .yml or .xml)."),
    ] = None,
) -> None:
    """Convert an OSCAL document between JSON, YAML and XML.

    The document is validated, and the output is read back and must give the same document before it is
    written; on any failure nothing is written. Exit code 3 when IN cannot be loaded.
    """
    from oscal_poam.io.convert import convert as run
    from oscal_poam.io.outputs import is_stdout

    done = run(source, target, to, on_wait=waiting(target))
    say = err if is_stdout(target) else out  # standard output holds the document
    say.print(
        f"wrote {printable(str(done.target))} ({done.source.kind.title}, {done.format.upper()}, {done.size:,} bytes)",
        markup=False,
    )
