"""Deriving the POA&M of a CMMC assessment.

`oscal_poam.derive(ssp, results, ...)` derives: the name is both this package
and the function, so the package is made callable and calling it calls
`oscal_poam.derive.api.derive`.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from oscal_poam.derive.api import DeriveResult, NotCmmcError, derive

__all__ = ["DeriveResult", "NotCmmcError", "derive"]


class _CallablePackage(types.ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> DeriveResult:
        return derive(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
