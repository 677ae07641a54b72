"""CMMC and OSCAL rules over typed models; each yields Diagnostics.

Importing this package imports every rule module, which fills the registry.
"""

from oscal_poam.rules import (  # noqa: F401
    closeout,
    consistency,
    credibility,
    eligibility,
    integrity,
    legacy,
    results,
    scoring,
    ssp,
)

# Rules declared beside the code that reports them, outside this package.
from oscal_poam.validate import cmmc as _validate_cmmc  # noqa: F401
from oscal_poam.validate import one_file as _validate_one_file  # noqa: F401
