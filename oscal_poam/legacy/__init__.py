"""Legacy POA&M spreadsheets (FedRAMP, eMASS, ad-hoc sheets and CSV) to OSCAL and back.

The public API is `import_poam` and `export_poam` (see `oscal_poam.legacy.api`); they are imported
lazily so that importing this package does not load openpyxl or compliance-trestle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from oscal_poam.legacy.api import ImportResult, ImportSummary, export_poam, import_poam

__all__ = ["ImportResult", "ImportSummary", "export_poam", "import_poam"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from oscal_poam.legacy import api

        return getattr(api, name)
    raise AttributeError(f"module 'oscal_poam.legacy' has no attribute {name!r}")
