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
FORMULA_CACHED = rule(
    "legacy-formula-value",
    Severity.WARNING,
    CONVENTIONS,
    "A cell holds a formula; the value the spreadsheet program saved with it is imported, the formula is not.",
    FAMILY,
)

ONTO = "docs/conventions.md (POA&M: what import --onto changes)"
ONTO_CONFLICT = rule(
    "import-conflict",
    Severity.ERROR,
    ONTO,
    "A cell was changed in the sheet and, since the export, in the POA&M too, to another value; neither is "
    "chosen: the POA&M keeps its value, and the edit is left to be made again.",
    FAMILY,
)
ONTO_MISSING = rule(
    "import-row-missing",
    Severity.WARNING,
    ONTO,
    "An item of the POA&M has no row in the sheet; it is kept (closed with --close-missing).",
    FAMILY,
)
ONTO_MILESTONE_MISSING = rule(
    "import-milestone-missing",
    Severity.WARNING,
    ONTO,
    "A milestone the export wrote is no longer in the sheet; the POA&M keeps it.",
    FAMILY,
)
ONTO_GONE = rule(
    "import-item-gone",
    Severity.WARNING,
    ONTO,
    "A row names an item the export wrote that the POA&M no longer holds; the row is not imported.",
    FAMILY,
)
ONTO_DUPLICATE = rule(
    "import-duplicate-row",
    Severity.ERROR,
    ONTO,
    "Two rows name the same item; the second is not applied.",
    FAMILY,
)
ONTO_OTHER_POAM = rule(
    "import-other-poam",
    Severity.WARNING,
    ONTO,
    "The workbook was exported from another POA&M; rows are matched by their ids, and every difference is taken "
    "as an edit (no conflict can be told).",
    FAMILY,
)
