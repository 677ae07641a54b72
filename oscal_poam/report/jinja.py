"""The Jinja2 environment of both reports: templates from the package, an undefined name an error."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import jinja2

if TYPE_CHECKING:
    import jinja2


def template_environment(
    *, autoescape: bool, finalize: Callable[[Any], Any] | None = None, folder: str = "report/templates"
) -> jinja2.Environment:
    """A new environment over the package's `folder` of templates (default: the reports'); block tags leave no
    blank lines behind."""

    return jinja2.Environment(
        loader=jinja2.PackageLoader("oscal_poam", folder),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
