"""CMMC and OSCAL rules over typed models; each yields Diagnostics.

Importing this package imports every rule module, which fills the registry.
"""

from oscal_poam.rules import (  # noqa: F401
    closeout,
    consistency,
    credibility,
    eligibility,
    integrity,
    results,
    scoring,
    ssp,
)
