"""Status words of legacy sheets and the OSCAL risk statuses they stand for."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from oscal_poam.legacy.layouts import normalize_header

if TYPE_CHECKING:
    from oscal_poam.legacy.model import LegacyItem

RISK_STATUSES = ("open", "investigating", "remediating", "deviation-requested", "deviation-approved", "closed")

_ITEM_WORDS: dict[str, tuple[str, ...]] = {
    # eMASS says Ongoing for every open item, whether or not work has started.
    "open": ("open", "ongoing", "new", "notstarted", "identified", "planned", "draft", "opened", "active"),
    "investigating": ("investigating", "underinvestigation", "underreview", "inreview", "analysis", "triage"),
    "remediating": (
        "inprogress",
        "remediating",
        "inremediation",
        "started",
        "delayed",
        "ontrack",
        "behindschedule",
        "pastdue",
        "overdue",
        "remediationinprogress",
    ),
    "deviation-requested": (
        "deviationrequested",
        "riskacceptancerequested",
        "pendingriskacceptance",
        "riskacceptancepending",
        "operationalrequirementrequested",
        "falsepositiverequested",
    ),
    "deviation-approved": (
        "riskaccepted",
        "accepted",
        "deviationapproved",
        "riskacceptanceapproved",
        "operationalrequirement",
    ),
    "closed": (
        "completed",
        "complete",
        "closed",
        "done",
        "resolved",
        "remediated",
        "fixed",
        "notapplicable",
        "na",
        "cancelled",
        "canceled",
        "falsepositive",
        "archived",
        "mitigated",
    ),
}
_ITEM_STATUS = {word: status for status, words in _ITEM_WORDS.items() for word in words}

_MILESTONE_DONE = frozenset(
    {"completed", "complete", "closed", "done", "finished", "met", "achieved", "archived", "resolved", "yes", "y"}
)

EMASS_WORDS = {
    "open": "Ongoing",
    "investigating": "Ongoing",
    "remediating": "Ongoing",
    "deviation-requested": "Ongoing",
    "deviation-approved": "Risk Accepted",
    "closed": "Completed",
}
"""The eMASS status written for each risk status (eMASS knows Ongoing, Risk Accepted, Completed, Not Applicable)."""

GENERIC_WORDS = {
    "open": "Open",
    "investigating": "Investigating",
    "remediating": "Remediating",
    "deviation-requested": "Deviation Requested",
    "deviation-approved": "Risk Accepted",
    "closed": "Closed",
}
"""The status written for each risk status where a sheet has its own words (each reads back as the same status)."""

EMASS_CHOICES = ("Ongoing", "Risk Accepted", "Completed", "Not Applicable")
MILESTONE_CHOICES = ("Pending", "In Progress", "Completed")


def item_status(text: str) -> str | None:
    """The risk status a status cell names, or None when the words are not known."""
    key = normalize_header(text)
    if not key:
        return None
    if key in RISK_STATUSES:
        return key
    found = _ITEM_STATUS.get(key)
    if found is None and key.startswith("closed"):
        found = "closed"
    return found


def sheet_status(sheet: str) -> str | None:
    """FedRAMP keeps closed items on their own sheet: `Closed POA&M Items`."""
    return "closed" if re.search(r"\bclosed\b", sheet, re.IGNORECASE) else None


def milestone_completed(status: str, completed_on: dt.date | None) -> bool:
    """A milestone is done when its status says so, or when it has a completion date and no status."""
    key = normalize_header(status)
    if key:
        return key in _MILESTONE_DONE
    return completed_on is not None


def item_word_for(risk_status: str, written: str, layout: str) -> str:
    """The status text to write: the sheet's own words while they still mean the same status."""
    if written and item_status(written) == risk_status:
        return written
    words = EMASS_WORDS if layout == "emass" else GENERIC_WORDS
    return words.get(risk_status, risk_status)


def milestone_word_for(completed: bool, written: str) -> str:
    if written and milestone_completed(written, None) == completed:
        return written
    return "Completed" if completed else "Pending"


def row_status(item: LegacyItem) -> tuple[str, bool]:
    """The risk status a row stands for, and whether its status words were known.

    An export's record gives the status itself where the words only approximate it; else the words decide, then
    the sheet (FedRAMP's closed items), then a completion date; unknown words give open (closed on a closed sheet).
    """
    if item.risk_status:
        return item.risk_status, True
    from_sheet = sheet_status(item.sheet)
    if item.status:
        found = item_status(item.status)
        if found is not None:
            return found, True
        return from_sheet or "open", False
    if from_sheet:
        return from_sheet, True
    if item.completed is not None:
        return "closed", True
    return "open", True
