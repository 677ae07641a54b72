"""The Jinja2 environment of both reports and the portfolio page: templates from the package, an undefined name an
error, and (where autoescaped) every value escaped as markupsafe escapes it, in fewer steps."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from types import CodeType
from typing import Any

import jinja2
import markupsafe


def _escaped_by_markupsafe(text: str) -> str:
    return str(markupsafe.escape(text))


_escaped_text: Callable[[str], str] = getattr(markupsafe, "_escape_inner", _escaped_by_markupsafe)
"""The function markupsafe.escape calls on a value's text (markupsafe 3: in C), else markupsafe.escape itself."""


def escape(value: Any) -> str:
    """`markupsafe.escape(value)`'s text, for what an autoescaped template writes out.

    A report writes some thousand values per page, nearly all plain strings and numbers: a string's text is escaped
    without markupsafe.escape's test for `__html__` and its Markup, and a number's text (digits, a sign, a point,
    `e`, `inf`, `nan`) has nothing to escape. Anything else (Markup, whatever has `__html__`, None, a subclass of
    str or int) goes through markupsafe.escape itself.
    """
    kind = type(value)
    if kind is str:
        return _escaped_text(value)
    if kind is int or kind is float:
        return str(value)
    return markupsafe.escape(value)


class _Template(jinja2.Template):
    """A template whose compiled code calls `escape` above where it would call markupsafe.escape. The code of an
    autoescaped template calls it only on what it writes out (`yield escape(...)`), and the pieces are joined into
    one str, so a str in place of a Markup of the same text makes the same page."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = escape
        return template


def template_environment(
    *, autoescape: bool, finalize: Callable[[Any], Any] | None = None, folder: str = "report/templates"
) -> jinja2.Environment:
    """A new environment over the package's `folder` of templates (default: the reports'); block tags leave no
    blank lines behind."""

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("oscal_poam", folder),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    if autoescape:
        env.template_class = _Template
    return env
