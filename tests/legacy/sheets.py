"""Realistic legacy POA&M spreadsheets, built with openpyxl the way people fill the templates in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl

from oscal_poam.legacy.layouts import EMASS, FEDRAMP

FEDRAMP_HEADERS = FEDRAMP.headers()
EMASS_HEADERS = EMASS.headers()
SERIAL_2025_12_31 = (dt.date(2025, 12, 31) - dt.date(1899, 12, 30)).days


def fedramp_row(**values: Any) -> list[Any]:
    """A FedRAMP row from header -> value."""
    unknown = set(values) - set(FEDRAMP_HEADERS)
    assert not unknown, unknown
    return [values.get(h) for h in FEDRAMP_HEADERS]


FEDRAMP_OPEN = [
    {
        "POAM ID": "V-001",
        "Controls": "AC.L2-3.1.1",
        "Weakness Name": "Shared administrator account on the boundary firewall",
        "Weakness Description": "The boundary firewall fw01 is administered through one shared local admin account, "
        "so administrator actions cannot be traced to a person.",
        "Weakness Detector Source": "Self-assessment",
        "Weakness Source Identifier": "SA-2025-014",
        "Asset Identifier": "fw01.corp.example",
        "Point of Contact": "Jane Smith",
        "Resources Required": "40 hours of network engineer time",
        "Overall Remediation Plan": "Create named administrator accounts backed by the directory, then disable the "
        "shared account.",
        "Original Detection Date": dt.datetime(2025, 9, 2),
        "Scheduled Completion Date": dt.datetime(2026, 1, 15),
        "Planned Milestones": "1. Inventory shared accounts - 10/15/2025\n"
        "2. Create named admin accounts - 11/15/2025\n"
        "3. Disable the shared account - 12/15/2025",
        "Status Date": dt.datetime(2025, 11, 1),
        "Vendor Dependency": "No",
        "Original Risk Rating": "Moderate",
        "Adjusted Risk Rating": "Moderate",
        "False Positive": "No",
        "Supporting Documents": '=HYPERLINK("http://evil.example/x")',
        "Comments": "Tracked in change ticket CHG-4411.",
    },
    {
        "POAM ID": "V-002",
        "Controls": "3.1.5; AC-6",
        "Weakness Name": "Developers hold local administrator rights",
        "Weakness Description": "All twelve developer workstations grant the developers local administrator rights.",
        "Weakness Detector Source": "Internal audit",
        "Asset Identifier": "dev-ws-01 to dev-ws-12",
        "Point of Contact": "IT Operations",
        "Resources Required": "$1,200 for a privilege management tool licence",
        "Overall Remediation Plan": "Remove local admin rights and grant elevation on request.",
        "Original Detection Date": "09/20/2025",
        "Scheduled Completion Date": "2026-02-28",
        "Planned Milestones": "1) Buy the privilege management tool 11/30/2025 2) Pilot with two developers "
        "12/20/2025 3) Roll out to all developers 01/31/2026",
        "Status Date": "2025-11-03",
        "Original Risk Rating": "Low",
        "Comments": "+1 from the CISO: do it before the audit",
    },
    {
        "POAM ID": "V-003",
        "Controls": "IA.L2-3.5.3[a]",
        "Weakness Name": "No MFA for privileged remote access",
        "Weakness Description": "Privileged users reach the management network over VPN with a password only.",
        "Point of Contact": "John Doe",
        "Resources Required": "Existing staff",
        "Scheduled Completion Date": "TBD",
        "Planned Milestones": "Select an MFA product\nDeploy MFA to administrators",
        "Milestone Changes": "Vendor selection slipped\nbecause the budget was approved late.",
    },
]

FEDRAMP_CLOSED = [
    {
        "POAM ID": "V-010",
        "Controls": "AU.L2-3.3.8",
        "Weakness Name": "Audit logs writable by administrators",
        "Weakness Description": "Audit logs on the SIEM were writable by every administrator.",
        "Point of Contact": "Jane Smith",
        "Resources Required": "8 hours",
        "Original Detection Date": dt.datetime(2025, 3, 1),
        "Scheduled Completion Date": dt.datetime(2025, 6, 30),
        "Planned Milestones": "1. Restrict write access (completed 2025-05-02)",
        "Status Date": dt.datetime(2025, 5, 2),
    }
]

FEDRAMP_CONFIGURATION = [
    {
        "POAM ID": "CF-01",
        "Controls": "CM.L2-3.4.2",
        "Weakness Name": "CIS benchmark deviations on web servers",
        "Weakness Description": "Three web servers deviate from the CIS baseline on TLS settings.",
        "Point of Contact": "Web Team Lead",
        "Scheduled Completion Date": dt.datetime(2026, 1, 31),
        "Status Date": dt.datetime(2025, 11, 5),
        "CVE": "CVE-2024-12345",
        "Service Name": "Customer portal",
    }
]


def fedramp_workbook(path: Path, *, open_rows: list[dict[str, Any]] | None = None) -> Path:
    """The FedRAMP v2.1 layout: title, CSP block in rows 2-3, headers in row 5, three POA&M sheets."""
    workbook = openpyxl.Workbook()
    assert workbook.active is not None
    workbook.remove(workbook.active)
    content = {
        "Open POA&M Items": FEDRAMP_OPEN if open_rows is None else open_rows,
        "Closed POA&M Items": FEDRAMP_CLOSED,
        "Configuration Findings": FEDRAMP_CONFIGURATION,
    }
    for name, rows in content.items():
        ws = workbook.create_sheet(name)
        ws["A1"] = "FedRAMP® Plan of Action and Milestones (POA&M) Template"
        ws.merge_cells("A1:E1")
        for column, (label, value) in enumerate(
            [
                ("CSP", "Acme Cloud"),
                ("System Name", "Acme CUI Enclave"),
                ("Impact Level", "Moderate"),
                ("POAM Date", dt.datetime(2025, 11, 10)),
            ],
            start=1,
        ):
            ws.cell(row=2, column=column, value=label)
            ws.cell(row=3, column=column, value=value)
        for column, header in enumerate(FEDRAMP_HEADERS, start=1):
            ws.cell(row=5, column=column, value=header)
        for offset, values in enumerate(rows):
            for column, value in enumerate(fedramp_row(**values), start=1):
                if value is not None:
                    cell = ws.cell(row=6 + offset, column=column, value=value)
                    if isinstance(value, str) and value.startswith("="):
                        cell.data_type = "s"  # typed as text, as a user pasting it would leave it
    ws = workbook.create_sheet("Record of Changes")
    ws["B3"], ws["C3"], ws["D3"] = "Date", "Description", "Version"
    workbook.save(path)
    return path


EMASS_ROWS: list[dict[str, Any]] = [
    {
        "POA&M Item ID": 101,
        "Control Vulnerability Description": "Remote sessions to the CUI file server do not time out after inactivity.",
        "Controls / APs": "AC.L2-3.1.10; AC.L2-3.1.11",
        "Security Checks": "SV-253264r828825_rule",
        "POA&M Status": "Ongoing",
        "POA&M Scheduled Completion Date": SERIAL_2025_12_31,
        "Milestone ID": 1,
        "Milestone Description": "Define the session lock policy",
        "Milestone Status": "Completed",
        "Milestone Status Comments": "Approved by the ISSM.",
        "Milestone Scheduled Completion Date": dt.datetime(2025, 10, 15),
        "Milestone Completion Date": dt.datetime(2025, 10, 14),
        "Identification Source": "Self-assessment",
        "Office/Org": "Acme IT, Maria Lopez, 555-0100, maria.lopez@acme.example",
        "Resources Required": "16 hours of administrator time",
        "Comments": "Session lock GPO drafted.",
        "Raw Severity": "Moderate",
        "Devices Affected": "fs01",
        "Severity": "Moderate",
        "Likelihood": "Low",
        "Impact": "Moderate",
        "Residual Risk Level": "Low",
    },
    {
        "Milestone ID": 2,
        "Milestone Description": "Apply the GPO to the file servers",
        "Milestone Status": "In Progress",
        "Milestone Scheduled Completion Date": dt.datetime(2025, 11, 30),
    },
    {
        "Milestone ID": 3,
        "Milestone Description": "Verify the lock on every file server",
        "Milestone Status": "Pending",
        "Milestone Status Comments": "Waiting for the change window.",
        "Milestone Scheduled Completion Date": "12/15/2025",
        "Resources Required": "4 hours of auditor time",
    },
    {
        "POA&M Item ID": 102,
        "Control Vulnerability Description": "CUI at rest on backup tapes is encrypted with a non-FIPS-validated "
        "module.",
        "Controls / APs": "3.13.11",
        "POA&M Status": "Risk Accepted",
        "POA&M Requested Risk Accepted Expiration Date": dt.datetime(2026, 3, 31),
        "Identification Source": "Vulnerability Management",
        "Office/Org": "Acme Security Office",
        "Resources Required": "None",
        "Comments": "AO accepted the risk until the tape library is replaced.",
    },
    {
        "POA&M Item ID": 103,
        "Control Vulnerability Description": "Visitor logs were not retained for the server room.",
        "Controls / APs": "PE.L2-3.10.4",
        "POA&M Status": "Completed",
        "POA&M Scheduled Completion Date": dt.datetime(2025, 10, 25),
        "POA&M Completion Date": dt.datetime(2025, 11, 3),
        "Milestone ID": 1,
        "Milestone Description": "Install a visitor log book and retention procedure",
        "Milestone Status": "Completed",
        "Milestone Scheduled Completion Date": dt.datetime(2025, 10, 20),
        "Milestone Completion Date": dt.datetime(2025, 11, 3),
        "Identification Source": "Operational; Risk Assessment Findings",
        "Office/Org": "Facilities, Tom Brown",
        "Resources Required": "$50 for the log book",
    },
]


def emass_workbook(path: Path, rows: list[dict[str, Any]] | None = None) -> Path:
    """The eMASS import layout: CUI banner, label block in rows 2-6, headers in row 7 from column B."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "POA&M"
    ws["A1"] = "***** CONTROLLED UNCLASSIFIED INFORMATION *****"
    ws.merge_cells("A1:AG1")
    ws["A2"], ws["D2"] = "Date Exported:", dt.datetime(2025, 11, 10)
    ws["A5"], ws["D5"] = "System / Project Name:", "Acme CUI Enclave"
    ws["L4"], ws["M4"] = "POC Name:", "Maria Lopez"
    ws.merge_cells("A2:C2")
    ws.merge_cells("D2:K2")
    for column, header in enumerate(EMASS_HEADERS, start=2):
        ws.cell(row=7, column=column, value=header)
    for offset, values in enumerate(EMASS_ROWS if rows is None else rows):
        unknown = set(values) - set(EMASS_HEADERS)
        assert not unknown, unknown
        for column, header in enumerate(EMASS_HEADERS, start=2):
            if values.get(header) is not None:
                ws.cell(row=8 + offset, column=column, value=values[header])
    example = workbook.create_sheet("Example")
    for column, header in enumerate(EMASS_HEADERS, start=2):
        example.cell(row=7, column=column, value=header)
    example["B8"], example["C8"], example["D8"] = 1, "An example weakness that must not be imported.", "AC-1"
    workbook.save(path)
    return path


CSV_HEADER = [
    "owner",
    "Target Date",
    "Requirement #",
    "Issue",
    "details",
    "STATUS",
    "Milestones",
    "Cost",
    "Notes",
    "Internal Ticket",
    "ID",
]
CSV_ROWS = [
    [
        "Jürgen Müller",
        "2026-01-31",
        "NIST SP 800-171 3.4.6",
        "Unneeded services enabled on servers",
        "Print spooler and SMBv1 run on all four file servers – neither is needed.",
        "Ongoing",
        "1. Disable SMBv1 - 12/01/2025\n2. Disable print spooler - 12/15/2025\n3. Rescan - 01/15/2026",
        "10 hours",
        "Raised at the October review.",
        "INC-20931",
        "GAP-7",
    ],
    [
        "Ana Pérez",
        "45991",
        "AU.L2-3.3.1",
        "Logs kept for 30 days only",
        "The SIEM keeps logs for 30 days; the policy requires 90.",
        "Closed",
        "1. Extend retention to 90 days (completed 2025-11-02)",
        "$400 of storage",
        "",
        "INC-20977",
        "GAP-8",
    ],
]


def write_csv(path: Path, *, encoding: str = "utf-8", delimiter: str = ",", bom: bool = False) -> Path:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(CSV_ROWS)
    data = buffer.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


EMASS_2018_HEADERS = [
    "POA&M Item ID",
    "Control Vulnerability Description",
    "Security Control Number (NC/NA controls only)",
    "Office/Org",
    "Security Checks",
    "Resources Required",
    "Scheduled Completion Date",
    "Milestone with Completion Dates",
    "Milestone Changes",
    "Source Identifying Vulnerability ",
    "Status",
    "Comments",
    " Raw Severity",
    "Devices Affected",
    "Mitigations",
    "Predisposing Conditions",
    "Severity",
    "Relevance of Threat",
    "Threat Description",
    "Likelihood",
    "Impact",
    "Impact Description",
    "Residual Risk Level",
    "Recommendations",
]
"""The eMASS POA&M export of 2018, built from the layout as published, since no real file of it is vendored:
the column titles and their order as C-PAT's importer of these exports maps them (NSWC-Crane/C-PAT, the
`excelColumnToDbColumnMapping` of its POA&M upload, with the stray spaces of " Raw Severity" and "Source
Identifying Vulnerability " that real exports carry) and its documentation (c-pat.readthedocs.io, "POAM
Exporting": one milestone per row in "Milestone with Completion Dates", the date written in the text); the
header block of rows 1 to 6 and the header row 7 as Vulnerator's eMASS POA&M writer lays them out (banner,
"Date Exported:", "DoD Component:", "System / Project Name:", ... "Security Costs:"). The items are fictional."""

EMASS_2018_ROWS: list[dict[str, Any]] = [
    {
        "POA&M Item ID": 70211,
        "Control Vulnerability Description": "Title: Windows Server 2016 must be patched.\n\nDescription: "
        "The October 2018 cumulative update is missing on four file servers.",
        "Security Control Number (NC/NA controls only)": "SI-2",
        "Office/Org": "NAVSEA, Jane Smith, 555-0100, jane.smith@navy.example",
        "Security Checks": "Plugin ID 118007",
        "Resources Required": "8 hours of administrator time",
        "Scheduled Completion Date": dt.datetime(2018, 12, 15),
        "Milestone with Completion Dates": "Identify all servers missing the patch 10/15/2018",
        "Source Identifying Vulnerability ": "Assured Compliance Assessment Solution (ACAS)",
        "Status": "Ongoing",
        " Raw Severity": "II",
        "Devices Affected": "fs01\nfs02\nfs03\nfs04",
    },
    {"Milestone with Completion Dates": "Apply the patch to the development servers 11/01/2018"},
    {
        "Milestone with Completion Dates": "Apply the patch to the production servers 11/30/2018",
        "Milestone Changes": "Moved from 11/15/2018: change freeze",
    },
    {"Milestone with Completion Dates": "Verify with an ACAS scan 12/10/2018"},
    {
        "POA&M Item ID": 70212,
        "Control Vulnerability Description": "Audit logs are kept for 30 days; the policy requires 90.",
        "Security Control Number (NC/NA controls only)": "AU-11; 3.3.1",
        "Office/Org": "NAVSEA, Tom Brown",
        "Resources Required": "$400 of storage",
        "Scheduled Completion Date": "11/30/2018",
        "Milestone with Completion Dates": "Extend retention to 90 days 11/30/2018",
        "Status": "Risk Accepted",
        "Comments": "AO accepted the risk until the SIEM is replaced.",
    },
]


def emass_2018_workbook(path: Path, headers: list[str] | None = None) -> Path:
    """The 2018 eMASS export: banner, label block in rows 2-6, headers in row 7 from column A, milestones per row."""
    headers = headers or EMASS_2018_HEADERS
    workbook = openpyxl.Workbook()
    ws = workbook.active
    assert ws is not None
    ws.title = "POA&M"
    ws["A1"] = "UNCLASSIFIED//FOR OFFICIAL USE ONLY"
    ws.merge_cells("A1:O1")
    block = [
        (2, 1, "Date Exported:", "10/20/2018"),
        (3, 1, "Exported By:", "Jane Smith"),
        (4, 1, "DoD Component:", "Navy"),
        (5, 1, "System / Project Name:", "Shipyard Maintenance Network"),
        (6, 1, "DoD IT Registration No:", "12345"),
        (2, 9, "System Type:", "IS Enclave"),
        (4, 9, "POC Name:", "Jane Smith"),
        (5, 9, "POC Phone:", "555-0100"),
        (6, 9, "POC E-Mail:", "jane.smith@navy.example"),
        (2, 12, "OMB Project ID:", ""),
        (5, 12, "Security Costs:", ""),
    ]
    for row, column, label, value in block:
        ws.cell(row=row, column=column, value=label)
        if value:
            ws.cell(row=row, column=column + 2, value=value)
    for column, header in enumerate(headers, start=1):
        ws.cell(row=7, column=column, value=header)
    for offset, values in enumerate(EMASS_2018_ROWS):
        for column, header in enumerate(EMASS_2018_HEADERS, start=1):
            if values.get(header) is not None:
                ws.cell(row=8 + offset, column=column, value=values[header])
    workbook.save(path)
    return path
