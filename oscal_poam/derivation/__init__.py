"""Deriving the POA&M of a CMMC assessment: `oscal_poam.derive` (the function) is `derivation.api.derive`."""
