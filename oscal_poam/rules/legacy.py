"""What the spreadsheet importer reports about a legacy POA&M: what it kept as written and what it left out.

These diagnostics name cells (`'Open POA&M Items'!B12`), not JSON pointers: their document is the
spreadsheet. Problems that make a sheet unreadable (formula errors, dates that are not dates, merged
data rows, duplicated headers) are not diagnostics but load errors, and nothing is written.
"""

from __future__ import annotations

from oscal_poam.diagnostics import Severity
from oscal_poam.rules.registry import rule

FAMILY = "legacy"
CONVENTIONS = "docs/conventions.md (POA&M: anything else from a spreadsheet)"

REQUIREMENT_UNMAPPED = rule(
    "legacy-requirement-unmapped",
    Severity.WARNING,
    CONVENTIONS,
    "A control in the sheet names no CMMC requirement (for example a NIST SP 800-53 id such as AC-2); it is "
    "kept as written in item prop legacy-controls.",
    FAMILY,
)
STATUS_UNKNOWN = rule(
    "legacy-status-unknown",
    Severity.WARNING,
    CONVENTIONS,
    "An item's status words are not known; the risk status is open (closed on a sheet of closed items) and the "
    "words are kept in item prop legacy-status.",
    FAMILY,
)
ROW_SKIPPED = rule(
    "legacy-row-skipped",
    Severity.WARNING,
    CONVENTIONS,
    "A row with values names no POA&M item and no milestone of the item above it; it is not imported.",
    FAMILY,
)
DUPLICATE_ID = rule(
    "legacy-duplicate-id",
    Severity.WARNING,
    CONVENTIONS,
    "Two items of the sheet carry the same POA&M ID; both are imported, told apart by sheet and row.",
    FAMILY,
)
DATE_PLACEHOLDER = rule(
    "legacy-date-placeholder",
    Severity.INFO,
    CONVENTIONS,
    "A date column holds a placeholder such as TBD; there is no date, and the text is kept as a legacy prop.",
    FAMILY,
)
MILESTONE_ROW_VALUES = rule(
    "legacy-milestone-row-values",
    Severity.INFO,
    CONVENTIONS,
    "A milestone row repeats an item column with another value; that value is kept on the milestone.",
    FAMILY,
)
CONTROL_CHARACTERS = rule(
    "legacy-control-characters",
    Severity.INFO,
    CONVENTIONS,
    "A cell holds control characters (other than tab and line ends) that no OSCAL document can hold in XML; "
    "they are left out of the text.",
    FAMILY,
)
