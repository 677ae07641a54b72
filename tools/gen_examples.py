"""Generate the shipped examples: a fictional machining company's SSPs, assessment plans and results, and the
POA&Ms `derive` makes of them.

    python tools/gen_examples.py [--out DIR] [--check]

Acme Precision Machining, LLC and everyone named here are fictional. Four scenarios (examples/README.md):

- `l2-conditional`: a Level 2 C3PAO assessment scoring 104 with four eligible NOT MET requirements
  (Conditional Level 2 (C3PAO)); `poam.json` is what derive makes of it, `poam-maintained.json` the same
  POA&M after the company planned its remediation (milestones, owners, resources, root causes);
- `l2-not-eligible`: a Level 2 self-assessment with an excluded requirement and a 5-point requirement NOT MET
  (no CMMC status); its `poam.json` is written with --force;
- `l3-conditional`: a Level 3 DIBCAC assessment with one eligible NOT MET requirement (Conditional Level 3);
- `l2-closeout`: the C3PAO's POA&M closeout assessment of the first, derived onto `poam-maintained.json`: every
  item closed, Final Level 2 (C3PAO).

Every UUID comes from stable keys and every date is a constant below, so re-running changes nothing;
`--check` writes nothing and exits 1 when a file differs from what would be generated.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import shutil
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source checkout
    sys.path.insert(0, str(ROOT))

from oscal_poam.cmmc import vocab  # noqa: E402
from oscal_poam.cmmc.catalog import Requirement, catalog  # noqa: E402
from oscal_poam.ids import stable_uuid  # noqa: E402
from oscal_poam.io.load import validate  # noqa: E402
from oscal_poam.io.write import dumps  # noqa: E402

Data = dict[str, Any]

OSCAL_VERSION = "1.2.1"
NS = vocab.NS
RFC4122 = "https://ietf.org/rfc/rfc4122"
EASTERN_DAYLIGHT = dt.timezone(dt.timedelta(hours=-4))
EASTERN_STANDARD = dt.timezone(dt.timedelta(hours=-5))


def uid(*keys: object) -> str:
    return stable_uuid("examples", *keys)


def at(day: str, hour: int, minute: int = 0) -> str:
    """A date-time in Dayton, Ohio (Eastern time, with its daylight saving offset)."""
    date = dt.date.fromisoformat(day)
    zone = EASTERN_DAYLIGHT if dt.date(date.year, 3, 8) <= date < dt.date(date.year, 11, 1) else EASTERN_STANDARD
    moment = dt.datetime.combine(date, dt.time(hour, minute), tzinfo=zone)
    return moment.isoformat()


def prop(name: str, value: str, ns: str | None = NS) -> Data:
    found: Data = {"name": name}
    if ns:
        found["ns"] = ns
    found["value"] = value
    return found


# -- the organization, its people and its assessors ---------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    key: str
    name: str
    title: str
    email: str
    org: str = "acme"

    @property
    def uuid(self) -> str:
        return uid("party", self.key)


ACME = "acme"
NORTHGATE = "northgate"
KEYSTONE = "keystone"
DIBCAC = "dibcac"

ORGANIZATIONS: dict[str, Data] = {
    ACME: {
        "name": "Acme Precision Machining, LLC",
        "short-name": "Acme",
        "address": ["4100 Foundry Road"],
        "city": "Dayton",
        "state": "OH",
        "postal-code": "45414",
        "website": "https://acme-precision.example",
    },
    NORTHGATE: {
        "name": "Northgate Managed IT Services, Inc.",
        "short-name": "Northgate",
        "address": ["220 Commerce Park Drive, Suite 300"],
        "city": "Beavercreek",
        "state": "OH",
        "postal-code": "45431",
        "website": "https://northgate-msp.example",
    },
    KEYSTONE: {
        "name": "Keystone Cyber Assessments, LLC",
        "short-name": "Keystone",
        "address": ["75 Liberty Avenue, Floor 9"],
        "city": "Pittsburgh",
        "state": "PA",
        "postal-code": "15222",
        "website": "https://keystone-c3pao.example",
    },
    DIBCAC: {
        "name": "DCMA Defense Industrial Base Cybersecurity Assessment Center",
        "short-name": "DCMA DIBCAC",
        "address": ["3901 A Avenue"],
        "city": "Fort Lee",
        "state": "VA",
        "postal-code": "23801",
        "website": "https://www.dcma.mil",
    },
}

DANA = Person("dana-whitfield", "Dana Whitfield", "President", "dana.whitfield@acme-precision.example")
MARCUS = Person("marcus-lee", "Marcus Lee", "IT Manager", "marcus.lee@acme-precision.example")
PRIYA = Person("priya-raman", "Priya Raman", "Quality and Compliance Manager", "priya.raman@acme-precision.example")
TOM = Person("tom-becker", "Tom Becker", "Facilities Manager", "tom.becker@acme-precision.example")
KAREN = Person("karen-oneill", "Karen O'Neill", "Human Resources Manager", "karen.oneill@acme-precision.example")
LUIS = Person("luis-ortega", "Luis Ortega", "Production Engineering Lead", "luis.ortega@acme-precision.example")
ERIN = Person(
    "erin-castillo", "Erin Castillo", "Service Delivery Manager", "erin.castillo@northgate-msp.example", NORTHGATE
)
JORDAN = Person(
    "jordan-ellis", "Jordan Ellis", "Lead CMMC Certified Assessor", "j.ellis@keystone-c3pao.example", KEYSTONE
)
SAM = Person("sam-ortiz", "Sam Ortiz", "CMMC Certified Assessor", "s.ortiz@keystone-c3pao.example", KEYSTONE)
ALEX = Person("alex-morgan", "Alex Morgan", "DIBCAC Lead Assessor", "alex.morgan@dcma.example", DIBCAC)

ACME_PEOPLE = (DANA, MARCUS, PRIYA, TOM, KAREN, LUIS)


def org_party(key: str) -> Data:
    org = ORGANIZATIONS[key]
    return {
        "uuid": uid("party", key),
        "type": "organization",
        "name": org["name"],
        "short-name": org["short-name"],
        "links": [{"href": org["website"], "rel": "homepage"}],
        "addresses": [
            {
                "type": "work",
                "addr-lines": org["address"],
                "city": org["city"],
                "state": org["state"],
                "postal-code": org["postal-code"],
                "country": "US",
            }
        ],
    }


def person_party(person: Person) -> Data:
    return {
        "uuid": person.uuid,
        "type": "person",
        "name": person.name,
        "props": [prop("job-title", person.title, None)],
        "email-addresses": [person.email],
        "member-of-organizations": [uid("party", person.org)],
    }


PLANT = uid("location", "dayton-plant")


def plant_location() -> Data:
    org = ORGANIZATIONS[ACME]
    return {
        "uuid": PLANT,
        "title": "Acme Precision Machining, Dayton plant",
        "address": {
            "type": "work",
            "addr-lines": org["address"],
            "city": org["city"],
            "state": org["state"],
            "postal-code": org["postal-code"],
            "country": "US",
        },
    }


# -- systems -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    key: str
    type: str
    title: str
    description: str

    def uuid(self, system: str) -> str:
        return uid(system, "component", self.key)


COMPONENTS = (
    Component(
        "this-system",
        "this-system",
        "",
        "",
    ),
    Component(
        "ad",
        "software",
        "Active Directory domain (DC01, DC02)",
        "Two Windows Server 2022 domain controllers: accounts, security groups and Group Policy for every enclave "
        "workstation and server.",
    ),
    Component(
        "fs01",
        "hardware",
        "CUI file server (FS01)",
        "Windows Server 2022 file server holding customer drawings, CAM programs and quality records marked CUI.",
    ),
    Component(
        "workstations",
        "hardware",
        "Engineering and CNC programming workstations",
        "Fourteen Windows 11 Enterprise workstations running CAD/CAM software: eleven in the engineering office, "
        "three at the CNC programming benches on the shop floor.",
    ),
    Component(
        "cnc",
        "hardware",
        "CNC machine controllers",
        "Six CNC machining centers whose embedded controllers receive CAM programs from the programming "
        "workstations over an isolated machine VLAN. Specialized assets (operational technology).",
    ),
    Component(
        "firewall",
        "hardware",
        "Perimeter firewall and remote-access VPN",
        "A next-generation firewall pair that separates the enclave from the business network and the Internet and "
        "terminates the engineers' remote-access VPN.",
    ),
    Component(
        "edr",
        "software",
        "Endpoint protection and vulnerability scanning",
        "Endpoint detection and response agents on every enclave server and workstation, with the vendor's "
        "authenticated vulnerability scanner.",
    ),
    Component(
        "siem",
        "software",
        "Security log collector",
        "A log collector that receives Windows security events, firewall logs and endpoint alerts, keeps them one "
        "year, and feeds Northgate's monitoring desk.",
    ),
    Component(
        "cloud",
        "service",
        "Cloud email and collaboration (GCC High tenant)",
        "Government-community cloud email, file sharing and identity with multifactor authentication, used for "
        "CUI exchanged with customers.",
    ),
    Component(
        "backup",
        "hardware",
        "Backup appliance",
        "A backup appliance that takes nightly images of FS01 and the domain controllers and replicates them to a "
        "second appliance in the quality lab.",
    ),
    Component(
        "badge",
        "physical",
        "Badge access and camera system",
        "Badge readers on every door to the engineering office, server room and shop floor, with cameras at each "
        "entrance and thirty days of recordings.",
    ),
    Component(
        "policies",
        "policy",
        "Information security policies and procedures",
        "Acme's information security policy set (ACME-ISP-01 to ACME-ISP-14), reviewed each January by the "
        "President and the IT Manager.",
    ),
    Component(
        "msp",
        "service",
        "Northgate managed IT and monitoring service",
        "Northgate Managed IT Services administers the firewall and backups and staffs the 24x7 monitoring desk "
        "under a contract that flows down DFARS 252.204-7012.",
    ),
)
COMPONENT = {c.key: c for c in COMPONENTS}

FAMILY_COMPONENTS: dict[str, tuple[str, ...]] = {
    "AC": ("ad", "firewall"),
    "AT": ("policies",),
    "AU": ("siem", "ad"),
    "CM": ("ad", "workstations"),
    "IA": ("ad", "cloud"),
    "IR": ("policies", "msp"),
    "MA": ("policies", "msp"),
    "MP": ("policies", "fs01"),
    "PS": ("policies",),
    "PE": ("badge",),
    "RA": ("edr", "policies"),
    "CA": ("policies",),
    "SC": ("firewall", "fs01"),
    "SI": ("edr", "siem"),
}

FAMILY_HOW: dict[str, str] = {
    "AC": "Accounts are created in the domain only on an access request approved by the IT Manager; security "
    "groups give each role only the shares and applications it needs, and Group Policy enforces logon, lockout "
    "and session settings. Remote access is through the VPN only.",
    "AT": "Everyone with enclave access completes security awareness and role-based training at onboarding and "
    "every year; Human Resources keeps the completion records.",
    "AU": "Domain controllers, FS01 and the workstations forward Windows security events to the log collector, "
    "which keeps them one year; Northgate's monitoring desk reviews alerts and a weekly summary goes to the IT "
    "Manager.",
    "CM": "Baselines are kept as Group Policy objects and build sheets for each asset type; every change goes "
    "through the weekly change review and is recorded in the ticketing system.",
    "IA": "Every user and device has a unique domain identity; the cloud tenant and the VPN require multifactor "
    "authentication, and the domain enforces the password policy.",
    "IR": "The incident response plan names roles, contacts and the 72-hour reporting duty of DFARS "
    "252.204-7012; Northgate's monitoring desk escalates to the IT Manager, and the plan is exercised each year.",
    "MA": "Maintenance is done by the IT Manager or by Northgate; outside technicians are escorted, remote "
    "maintenance sessions use multifactor authentication and are logged, and media is scanned before use.",
    "MP": "CUI media is marked, kept in the locked engineering records room and FS01, and sanitized to NIST SP "
    "800-88 before disposal or reuse.",
    "PS": "Human Resources screens people before they are given access and tells IT the same day of every "
    "termination or transfer.",
    "PE": "Badge readers limit entry to the engineering office and server room to authorized staff; visitors sign "
    "in, wear a visitor badge and are escorted; the Facilities Manager reviews badge logs each month.",
    "RA": "Risk is assessed each year and after major changes; authenticated vulnerability scans run every month "
    "against every enclave asset and findings are fixed by severity.",
    "CA": "The IT Manager and the Quality and Compliance Manager assess the controls each year against NIST SP "
    "800-171A, track gaps in the operational plan of action, and review this plan each January.",
    "SC": "The firewall denies by default and allows by exception; CUI is protected in transit with TLS 1.2 or "
    "later and at rest on FS01 with BitLocker in FIPS mode.",
    "SI": "Endpoint protection updates hourly and scans in real time and weekly; patches are deployed monthly, "
    "critical ones within seven days, and the monitoring desk watches for indicators of attack.",
}

FAMILY_EVIDENCE: dict[str, str] = {
    "AC": "examined the domain account listing, access request tickets and the Group Policy report; interviewed "
    "the IT Manager",
    "AT": "examined the training records and course content; interviewed the Human Resources Manager",
    "AU": "examined the log collector configuration and a week of security events; interviewed the IT Manager",
    "CM": "examined the baseline build sheets, Group Policy report and change tickets; interviewed the IT Manager",
    "IA": "examined the domain password policy and the tenant's authentication settings; tested a VPN logon",
    "IR": "examined the incident response plan and the last exercise report; interviewed the IT Manager",
    "MA": "examined the maintenance log and the remote-support procedure; interviewed Northgate's service manager",
    "MP": "examined the media procedure, markings and sanitization records; observed the records room",
    "PS": "examined the screening records and the offboarding checklist; interviewed the Human Resources Manager",
    "PE": "examined the badge access lists, visitor log and monthly log reviews; observed the entrances",
    "RA": "examined the risk assessment and three months of vulnerability scan reports; interviewed the IT Manager",
    "CA": "examined the self-assessment, the operational plan of action and this plan's review history",
    "SC": "examined the firewall rule base, TLS settings and BitLocker status; interviewed the IT Manager",
    "SI": "examined the endpoint console, the patch reports and monitoring tickets; interviewed the IT Manager",
}


@dataclass(frozen=True)
class Gap:
    """How one requirement stands where it is not simply MET and implemented."""

    status: str  # not-met, not-applicable, met (with a basis)
    failing: tuple[str, ...] = ()  # objective letters not satisfied (Level 2); empty: the whole requirement
    finding: str = ""  # what the assessor found
    implementation: str = ""  # what the SSP says
    ssp_status: str = "partial"
    partial: str | None = None
    basis: str | None = None
    risk: Data | None = None  # an assessor's risk on the finding
    evidence: str = ""  # title of the evidence artifact kept in back-matter
    components: tuple[str, ...] = ()  # where it is implemented, when not the family's usual components


@dataclass(frozen=True)
class System:
    key: str
    name: str
    short: str
    description: str
    level: int
    gaps: Mapping[str, Gap] = field(default_factory=dict)
    ssp_version: str = "3.2"
    ssp_modified: str = ""

    @property
    def id(self) -> str:
        return uid("system", self.key)


# -- scenario 1: Level 2, C3PAO, Conditional -----------------------------------------------------------------------

ENCLAVE_GAPS: dict[str, Gap] = {
    "AC.L2-3.1.10": Gap(
        "not-met",
        ("b",),
        finding="The session lock Group Policy sets 15 minutes of inactivity, as ACME-ISP-03 defines, but it is "
        "linked only to the engineering office OU. The three CNC programming workstations on the shop floor are in "
        "the Shop-Floor OU, where the lock is set by hand to 60 minutes; the assessor watched PRG-02 stay unlocked "
        "for 40 minutes with a CAM program open.",
        components=("workstations", "ad"),
        implementation="Group Policy locks workstations after 15 minutes of inactivity with a blank, "
        "pattern-hiding screen. The shop-floor programming workstations still use a 60-minute local setting.",
    ),
    "AU.L2-3.3.4": Gap(
        "not-met",
        ("c",),
        finding="The log collector raises an alert when a source stops sending, but the alert goes to a shared "
        "mailbox that nobody watches. When the assessor stopped the log forwarder on FS01 at 10:05 on 7 October, "
        "no one was told; the IT Manager learned of it from the assessor the next morning.",
        components=("siem",),
        implementation="The log collector alerts on a silent source after 30 minutes. The alert recipient is a "
        "shared mailbox that is not monitored.",
        evidence="Log collector alert configuration export, 7 October 2026",
    ),
    "CM.L2-3.4.9": Gap(
        "not-met",
        ("c",),
        finding="Users have no local administrator rights, so they cannot install software themselves, but "
        "installations are not monitored: no report or alert covers new software. The assessor found an "
        "unapproved PDF editor on ENG-07 and ENG-11, installed in August by a contractor with a help-desk "
        "elevation that was never reviewed.",
        components=("workstations", "edr"),
        implementation="Standard users cannot install software; installations need an elevation by Northgate. "
        "Installed software is not yet inventoried or reviewed.",
    ),
    "SC.L2-3.13.11": Gap(
        "not-met",
        ("a",),
        finding="CUI on FS01 and in transit is protected with FIPS-validated modules, but the nightly backup "
        "images on the backup appliance and its replica are encrypted with AES-256 by the appliance's own module, "
        "which has no CMVP certificate for firmware 7.2.",
        components=("backup", "fs01"),
        implementation="BitLocker in FIPS mode on FS01 and TLS through FIPS-validated modules. Backup images are "
        "encrypted by the appliance with a module that is not FIPS-validated.",
        partial=vocab.PARTIAL_ENCRYPTION,
        risk={
            "title": "Backup copies of CUI rely on an unvalidated cryptographic module",
            "description": "Every nightly image of FS01, with all customer drawings and CAM programs, is encrypted "
            "only by the backup appliance's module, which is not FIPS 140 validated.",
            "statement": "A weakness in the unvalidated module could expose every backup copy of CUI held on the "
            "two appliances, including copies of data since deleted from FS01.",
            "status": "open",
        },
        evidence="Backup appliance encryption settings and firmware version, 8 October 2026",
    ),
    "SC.L2-3.13.5": Gap(
        "not-applicable",
        finding="No publicly accessible system component is in the assessment scope: Acme's public website is "
        "hosted by a third party outside the enclave, and the enclave offers no service to the Internet.",
        implementation="Not applicable: the enclave has no publicly accessible system components; the public "
        "website is hosted outside it.",
        ssp_status="not-applicable",
    ),
    "AC.L2-3.1.16": Gap(
        "not-applicable",
        finding="The enclave has no wireless access: the access points on the business network are on a "
        "separate VLAN that the firewall keeps out of the enclave, and wireless is disabled on every workstation.",
        implementation="Not applicable: the enclave has no wireless access points and wireless is disabled on "
        "enclave workstations.",
        ssp_status="not-applicable",
    ),
    "AC.L2-3.1.17": Gap(
        "not-applicable",
        finding="The enclave has no wireless access (see AC.L2-3.1.16).",
        implementation="Not applicable: the enclave has no wireless access.",
        ssp_status="not-applicable",
    ),
    "CM.L2-3.4.8": Gap(
        "met",
        finding="Workstations and servers run an allow-list policy. The six CNC machine controllers cannot run "
        "allow-listing; the SSP documents them as an enduring exception with their mitigations (isolated machine "
        "VLAN, no Internet route, USB ports disabled, programs loaded only from the programming workstations).",
        implementation="Application allow-listing on every workstation and server. The CNC machine controllers "
        "are an enduring exception: they are isolated on the machine VLAN with no Internet route and USB ports "
        "disabled, and receive programs only from the programming workstations.",
        ssp_status="alternative",
        basis="enduring-exception",
    ),
    "SI.L2-3.14.1": Gap(
        "met",
        finding="Flaws are identified, reported and corrected on time. One correction is pending: the CAM "
        "post-processor's 2026.2 update waits for the machine builder's certification. It is a temporary "
        "deficiency tracked in operational plan of action item OPA-2026-07, with monthly reviews.",
        implementation="Monthly patching, critical patches within seven days. The CAM post-processor update "
        "2026.2 is a temporary deficiency tracked in the operational plan of action (OPA-2026-07).",
        ssp_status="implemented",
        basis="temporary-deficiency",
    ),
}

ENCLAVE = System(
    "acme-cui-enclave",
    "Acme CUI Enclave",
    "ACME-CUI",
    "The engineering and production network where Acme Precision Machining receives, creates and stores the "
    "Controlled Unclassified Information of its defense customers: technical drawings, CAM programs and "
    "inspection records for machined aircraft and ground-vehicle parts.",
    2,
    ENCLAVE_GAPS,
    ssp_modified=at("2026-09-14", 16, 20),
)

# -- scenario 2: Level 2, self-assessment, not eligible ------------------------------------------------------------

DESIGN_GAPS: dict[str, Gap] = {
    "AC.L2-3.1.20": Gap(
        "not-met",
        ("c", "d", "e", "f"),
        finding="Engineers exchange drawings with two customers through personal file-sharing accounts. The "
        "connections are listed, but nobody verifies the customers' services or limits what may be sent, and "
        "nothing stops an upload to any other service.",
        implementation="External systems are listed in the interconnection register; their use is not yet "
        "verified or limited.",
        ssp_status="planned",
    ),
    "IA.L2-3.5.3": Gap(
        "not-met",
        ("b", "c", "d"),
        finding="No account uses multifactor authentication: administrators and engineers sign in to the domain, "
        "the VPN and the file server with passwords only.",
        implementation="Multifactor authentication is planned for the first quarter of 2027.",
        ssp_status="planned",
    ),
    "AU.L2-3.3.7": Gap(
        "not-met",
        ("b", "c"),
        finding="No authoritative time source is specified. The workstations take their time from a domain "
        "controller whose clock was 4 minutes fast, so audit records of different systems do not line up.",
        implementation="Clocks synchronize within the domain; no external authoritative source is configured.",
    ),
    "MP.L2-3.8.9": Gap(
        "not-met",
        ("a",),
        finding="Weekly backups of the design file share are copied to a USB drive that the office manager takes "
        "home; the drive is not encrypted.",
        implementation="Weekly backups are taken off site on a USB drive.",
    ),
}

DESIGN = System(
    "acme-design-office",
    "Acme Design Office Network",
    "ACME-DESIGN",
    "The network of Acme's product design office, where two engineers develop fixtures and tooling from customer "
    "drawings marked CUI.",
    2,
    DESIGN_GAPS,
    ssp_version="1.4",
    ssp_modified=at("2026-08-28", 11, 5),
)

# -- scenario 3: Level 3, DIBCAC, Conditional ----------------------------------------------------------------------

PROGRAMS_GAPS: dict[str, Gap] = {
    "CA.L3-3.12.1e": Gap(
        "not-met",
        finding="The last penetration test was in June 2025, more than a year ago, and no test followed the "
        "firewall replacement of March 2026, a significant security change. The test plan does not include ad "
        "hoc testing by subject matter experts.",
        implementation="A penetration test by an outside firm, last performed in June 2025.",
    ),
}

PROGRAMS = System(
    "acme-defense-programs",
    "Acme Defense Programs Enclave",
    "ACME-DP",
    "The segregated enclave for Acme's work on a critical defense program. It holds a Final Level 2 (C3PAO) "
    "status and adds the Level 3 requirements of NIST SP 800-172.",
    3,
    PROGRAMS_GAPS,
    ssp_version="2.0",
    ssp_modified=at("2026-10-02", 9, 40),
)

# The enclave after remediation: the SSP the closeout assessment looks at.
REMEDIATED = {
    "AC.L2-3.1.10": "Group Policy locks every workstation, including the three CNC programming workstations "
    "(moved to a linked OU in December 2026), after 15 minutes of inactivity with a pattern-hiding screen.",
    "AU.L2-3.3.4": "The log collector alerts the IT Manager and Northgate's monitoring desk by phone and email "
    "within 30 minutes of a silent source or a full log volume; the alert is tested each quarter.",
    "CM.L2-3.4.9": "Standard users cannot install software; the endpoint agent reports every installation to "
    "the monitoring desk and the IT Manager reviews the weekly installation report.",
    "SC.L2-3.13.11": "BitLocker in FIPS mode on FS01, TLS through FIPS-validated modules, and backup images "
    "encrypted by the appliance's FIPS 140-3 validated module (firmware 8.0).",
}


# -- documents -----------------------------------------------------------------------------------------------------


def requirements(system: System) -> tuple[Requirement, ...]:
    return catalog(system.level).requirements


def ssp_document(
    system: System, *, remediated: Mapping[str, str] | None = None, version: str = "", modified: str = ""
) -> Data:
    level = system.level
    fixed = dict(remediated or {})
    parties = [org_party(ACME), org_party(NORTHGATE), *(person_party(p) for p in (*ACME_PEOPLE, ERIN))]
    components = []
    for c in COMPONENTS:
        if c.key == "this-system":
            components.append(
                {
                    "uuid": c.uuid(system.key),
                    "type": "this-system",
                    "title": system.name,
                    "description": system.description,
                    "status": {"state": "operational"},
                }
            )
            continue
        entry: Data = {
            "uuid": c.uuid(system.key),
            "type": c.type,
            "title": c.title,
            "description": c.description,
            "status": {"state": "operational"},
        }
        if c.key == "msp":
            entry["responsible-roles"] = [{"role-id": "provider", "party-uuids": [uid("party", NORTHGATE)]}]
        if c.key == "cnc":
            entry["props"] = [prop("asset-type", "appliance", None)]
        components.append(entry)
    implemented = []
    for req in requirements(system):
        gap = system.gaps.get(req.label)
        status = "implemented"
        how = FAMILY_HOW[req.family]
        remarks = None
        if gap is not None:
            status = gap.ssp_status
            how = gap.implementation
        if req.label in fixed:
            status, how = "implemented", fixed[req.label]
        keys = gap.components if gap is not None and gap.components else FAMILY_COMPONENTS[req.family]
        by_components = []
        for index, key in enumerate(keys):
            component_status = status if index == 0 or status == "not-applicable" else "implemented"
            if gap is not None and gap.basis == "enduring-exception" and key != "cnc":
                component_status = "implemented"
            by_components.append(
                {
                    "component-uuid": COMPONENT[key].uuid(system.key),
                    "uuid": uid(system.key, req.control_id, "by-component", key),
                    "description": how if index == 0 else f"{COMPONENT[key].title} supports {req.label}.",
                    "implementation-status": {"state": component_status},
                }
            )
        if gap is not None and gap.basis == "enduring-exception":
            by_components.append(
                {
                    "component-uuid": COMPONENT["cnc"].uuid(system.key),
                    "uuid": uid(system.key, req.control_id, "by-component", "cnc"),
                    "description": "Enduring exception (32 CFR 170.24(b)(1)(i)): the controllers cannot run "
                    "allow-listing. Mitigations: machine VLAN with no Internet route, USB ports disabled, programs "
                    "loaded only from the programming workstations.",
                    "implementation-status": {"state": "alternative"},
                }
            )
            remarks = "Enduring exception for the CNC machine controllers, with the mitigations described."
        entry = {
            "uuid": uid(system.key, req.control_id, "implemented-requirement"),
            "control-id": req.control_id,
            "by-components": by_components,
        }
        if remarks:
            entry["remarks"] = remarks
        implemented.append(entry)
    return {
        "system-security-plan": {
            "uuid": uid(system.key, "ssp", version or system.ssp_version),
            "metadata": {
                "title": f"{system.name} System Security Plan",
                "last-modified": modified or system.ssp_modified,
                "version": version or system.ssp_version,
                "oscal-version": OSCAL_VERSION,
                "roles": [
                    {"id": "system-owner", "title": "System Owner"},
                    {"id": "authorizing-official", "title": "Authorizing Official"},
                    {"id": "information-system-security-officer", "title": "Information System Security Officer"},
                    {"id": "prepared-by", "title": "Prepared By"},
                    {"id": "provider", "title": "External Service Provider"},
                ],
                "locations": [plant_location()],
                "parties": parties,
                "responsible-parties": [
                    {"role-id": "system-owner", "party-uuids": [DANA.uuid]},
                    {"role-id": "authorizing-official", "party-uuids": [DANA.uuid]},
                    {"role-id": "information-system-security-officer", "party-uuids": [MARCUS.uuid]},
                    {"role-id": "prepared-by", "party-uuids": [PRIYA.uuid]},
                    {"role-id": "provider", "party-uuids": [uid("party", NORTHGATE)]},
                ],
            },
            "import-profile": {"href": f"../../profiles/cmmc-level{level}-profile.json"},
            "system-characteristics": {
                "system-ids": [{"identifier-type": RFC4122, "id": system.id}],
                "system-name": system.name,
                "system-name-short": system.short,
                "description": system.description,
                "security-sensitivity-level": "moderate",
                "system-information": {
                    "information-types": [
                        {
                            "uuid": uid(system.key, "information-type", "cui"),
                            "title": "Controlled Technical Information",
                            "description": "Customer drawings, specifications, CAM programs and inspection "
                            "records marked CUI//SP-CTI under DoD contracts.",
                            "confidentiality-impact": {"base": "fips-199-moderate"},
                            "integrity-impact": {"base": "fips-199-moderate"},
                            "availability-impact": {"base": "fips-199-low"},
                        }
                    ]
                },
                "security-impact-level": {
                    "security-objective-confidentiality": "fips-199-moderate",
                    "security-objective-integrity": "fips-199-moderate",
                    "security-objective-availability": "fips-199-low",
                },
                "status": {"state": "operational"},
                "authorization-boundary": {
                    "description": f"The {system.name}: every asset that processes, stores or transmits CUI, "
                    "and the security protection assets that protect them, inside the firewall pair at the "
                    "Dayton plant, plus the GCC High tenant. The business network, the guest wireless network "
                    "and the public website are outside the boundary."
                },
            },
            "system-implementation": {
                "users": [
                    {
                        "uuid": uid(system.key, "user", "engineer"),
                        "title": "Engineer",
                        "props": [prop("type", "internal", None), prop("privilege-level", "non-privileged", None)],
                        "role-ids": ["system-owner"],
                        "description": "Engineers and CNC programmers who create and use CUI.",
                    },
                    {
                        "uuid": uid(system.key, "user", "administrator"),
                        "title": "Administrator",
                        "props": [prop("type", "internal", None), prop("privilege-level", "privileged", None)],
                        "role-ids": ["information-system-security-officer"],
                        "description": "The IT Manager and Northgate's administrators.",
                    },
                ],
                "components": components,
            },
            "control-implementation": {
                "description": f"How {ORGANIZATIONS[ACME]['name']} meets each CMMC Level {level} requirement in "
                f"the {system.name}.",
                "implemented-requirements": implemented,
            },
        }
    }


def assessment_plan(
    system: System,
    key: str,
    *,
    title: str,
    assessor: Sequence[Person],
    ssp_href: str,
    modified: str,
    labels: Iterable[str] | None = None,
) -> Data:
    reviewed = (
        {"control-selections": [{"include-all": {}}]}
        if labels is None
        else {
            "control-selections": [
                {
                    "include-controls": [
                        {"control-id": catalog(system.level).by_label(label).control_id}  # type: ignore[union-attr]
                        for label in labels
                    ]
                }
            ]
        }
    )
    assessor_org = assessor[0].org
    parties = [org_party(assessor_org), *(person_party(p) for p in assessor)]
    if assessor_org != ACME:
        parties.insert(0, org_party(ACME))
    return {
        "assessment-plan": {
            "uuid": uid(system.key, key, "assessment-plan"),
            "metadata": {
                "title": title,
                "last-modified": modified,
                "version": "1.0",
                "oscal-version": OSCAL_VERSION,
                "roles": [{"id": "assessor", "title": "Assessor"}, {"id": "assessment-lead", "title": "Lead Assessor"}],
                "parties": parties,
                "responsible-parties": [
                    {"role-id": "assessment-lead", "party-uuids": [assessor[0].uuid]},
                    {"role-id": "assessor", "party-uuids": [p.uuid for p in assessor]},
                ],
            },
            "import-ssp": {"href": ssp_href},
            "reviewed-controls": reviewed,
            "assessment-subjects": [{"type": "component", "include-all": {}}],
        }
    }


@dataclass(frozen=True)
class Assessment:
    system: System
    key: str
    title: str
    description: str
    assessment_type: str
    kind: str
    start: str
    end: str
    modified: str
    assessor: Sequence[Person]
    labels: Sequence[str] | None = None  # a closeout assesses only these
    passing: Mapping[str, str] = field(default_factory=dict)  # closeout: label -> what the assessor found now


def assessment_results(a: Assessment) -> Data:
    system = a.system
    cat = catalog(system.level)
    chosen = [cat.by_label(label) for label in a.labels] if a.labels is not None else list(cat.requirements)
    lead = a.assessor[0]
    actors = [{"type": "party", "actor-uuid": lead.uuid, "role-id": "assessor"}]
    observations: list[Data] = []
    findings: list[Data] = []
    risks: list[Data] = []
    resources: list[Data] = []
    collected = a.start
    for req in chosen:
        assert req is not None
        gap = None if req.label in a.passing else system.gaps.get(req.label)
        obs_uuid = uid(system.key, a.key, req.control_id, "observation")
        known = system.gaps.get(req.label)
        family_components = (
            known.components if known is not None and known.components else FAMILY_COMPONENTS[req.family]
        )
        evidence_text = FAMILY_EVIDENCE[req.family]
        observation: Data = {
            "uuid": obs_uuid,
            "title": f"{req.label} {req.title}: evidence",
            "description": f"The assessor {evidence_text}.",
            "methods": ["EXAMINE", "INTERVIEW"] if req.family not in ("SC", "IA", "AU") else ["EXAMINE", "TEST"],
            "types": ["control-objective"],
            "origins": [{"actors": actors}],
            "subjects": [
                {"subject-uuid": COMPONENT[k].uuid(system.key), "type": "component"} for k in family_components
            ],
            "collected": collected,
        }
        if gap is not None and gap.evidence:
            resource_uuid = uid(system.key, a.key, req.control_id, "evidence")
            observation["relevant-evidence"] = [{"href": f"#{resource_uuid}", "description": gap.evidence}]
            resources.append(
                {
                    "uuid": resource_uuid,
                    "title": gap.evidence,
                    "description": f"Artifact the assessor collected for {req.label}, kept in the assessment "
                    "evidence repository.",
                    "props": [prop("type", "evidence", None)],
                    # a resource names where it is (NIST's oscal-back-matter-resource-base64-rlink-cardinality)
                    "rlinks": [{"href": f"evidence/{resource_uuid}.pdf", "media-type": "application/pdf"}],
                }
            )
        observations.append(observation)
        risk_uuids: list[str] = []
        if gap is not None and gap.risk is not None:
            risk = {"uuid": uid(system.key, a.key, req.control_id, "risk"), **gap.risk}
            risk["related-observations"] = [{"observation-uuid": obs_uuid}]
            risks.append(risk)
            risk_uuids.append(str(risk["uuid"]))
        targets: list[tuple[str, str, str]] = []  # (target id, letter, text)
        if req.objectives:
            targets = [(o.id, o.letter, o.text) for o in req.objectives]
        else:
            targets = [(req.statement_id, "", req.statement)]
        for target, letter, text in targets:
            failing = gap is not None and gap.status == "not-met" and (not gap.failing or letter in gap.failing)
            name = f"{req.label}[{letter}]" if letter else req.label
            subject = text.rstrip(";. ").removesuffix(" and").rstrip(";,")
            if failing:
                assert gap is not None
                description = gap.finding
            elif gap is not None and gap.status == "not-applicable":
                description = f"Not applicable. {gap.finding}"
            elif gap is not None and gap.status == "met" and gap.basis:
                description = f"Satisfied. {gap.finding}"
            elif req.label in a.passing:
                description = f"Satisfied. {a.passing[req.label]}"
            else:
                description = f"Satisfied: {subject}. The assessor {evidence_text}."
            props = []
            if gap is not None and gap.status == "not-applicable":
                props.append(prop(vocab.DETERMINATION, "not-applicable"))
            if failing and gap is not None and gap.partial:
                props.append(prop(vocab.PARTIAL, gap.partial))
            if gap is not None and gap.basis:
                props.append(prop(vocab.MET_BASIS, gap.basis))
            finding: Data = {
                "uuid": uid(system.key, a.key, target, "finding"),
                "title": f"{name} {'not satisfied' if failing else 'satisfied'}",
                "description": description,
            }
            if props:
                finding["props"] = props
            finding["origins"] = [{"actors": actors}]
            finding["target"] = {
                "type": "objective-id" if letter else "statement-id",
                "target-id": target,
                "status": {"state": "not-satisfied" if failing else "satisfied"},
            }
            finding["implementation-statement-uuid"] = uid(system.key, req.control_id, "implemented-requirement")
            finding["related-observations"] = [{"observation-uuid": obs_uuid}]
            if failing and risk_uuids:
                finding["related-risks"] = [{"risk-uuid": u} for u in risk_uuids]
            findings.append(finding)
    result_props = [
        prop(vocab.LEVEL, str(system.level)),
        prop(vocab.ASSESSMENT_TYPE, a.assessment_type),
        prop(vocab.ASSESSMENT_KIND, a.kind),
    ]
    result: Data = {
        "uuid": uid(system.key, a.key, "result"),
        "title": a.title,
        "description": a.description,
        "start": a.start,
        "end": a.end,
        "props": result_props,
        "reviewed-controls": {
            "control-selections": [
                {"include-all": {}}
                if a.labels is None
                else {"include-controls": [{"control-id": r.control_id} for r in chosen if r is not None]}
            ]
        },
        "observations": observations,
    }
    if risks:
        result["risks"] = risks
    result["findings"] = findings
    assessor_org = a.assessor[0].org
    parties = [org_party(assessor_org), *(person_party(p) for p in a.assessor)]
    if assessor_org != ACME:
        parties.insert(0, org_party(ACME))
    document: Data = {
        "uuid": uid(system.key, a.key, "assessment-results"),
        "metadata": {
            "title": f"{a.title}: Assessment Results",
            "last-modified": a.modified,
            "version": "1.0",
            "oscal-version": OSCAL_VERSION,
            "roles": [{"id": "assessor", "title": "Assessor"}, {"id": "assessment-lead", "title": "Lead Assessor"}],
            "parties": parties,
            "responsible-parties": [
                {"role-id": "assessment-lead", "party-uuids": [lead.uuid]},
                {"role-id": "assessor", "party-uuids": [p.uuid for p in a.assessor]},
            ],
        },
        "import-ap": {"href": "assessment-plan.json"},
        "results": [result],
    }
    if resources:
        document["back-matter"] = {"resources": resources}
    return {"assessment-results": document}


# -- what Acme wrote on its POA&M after the assessment -------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    owner: Person
    root_cause: str
    milestones: Sequence[tuple[str, str, str]]  # (date, title, description)
    resources: str
    evidence: str = ""  # the closure evidence Acme filed for the closeout assessment
    checks: Sequence[str] = ()  # the automated checks that verify closure (verification pointers)


PLANS: dict[str, Plan] = {
    "AC.L2-3.1.10": Plan(
        LUIS,
        "The shop-floor programming workstations were joined to the domain in a separate OU so that the CNC "
        "programs would not be interrupted, and the session-lock policy was never linked to it.",
        (
            (
                "2026-10-30",
                "Confirm the lock time with production",
                "Agree with production that a 15-minute lock does not interrupt program transfers to the machines.",
            ),
            (
                "2026-12-04",
                "Move the programming workstations to a locked OU",
                "Move PRG-01 to PRG-03 into an OU "
                "linked to the session-lock Group Policy and remove the local 60-minute setting.",
            ),
            (
                "2027-01-15",
                "Verify the lock on every workstation",
                "Check the resultant policy on all fourteen workstations and keep the report as closure evidence.",
            ),
        ),
        "Production Engineering Lead: 6 hours; IT Manager: 4 hours. No purchase.",
        "Resultant Group Policy report for all fourteen workstations, 15 January 2027",
    ),
    "AU.L2-3.3.4": Plan(
        MARCUS,
        "The alert recipient was set to a shared mailbox when the log collector was installed in 2024 and was "
        "never reviewed when the monitoring desk moved to Northgate.",
        (
            (
                "2026-10-23",
                "Route failure alerts to named people",
                "Send audit-failure alerts to the IT Manager and Northgate's monitoring desk by phone and email.",
            ),
            (
                "2026-11-20",
                "Define the failures that alert",
                "Alert on a silent source, a full log volume and a "
                "stopped collector service; document them in ACME-ISP-05.",
            ),
            (
                "2027-01-08",
                "Test the alerts and record the test",
                "Stop a log forwarder, fill a test volume, and record who was alerted and when; repeat each quarter.",
            ),
        ),
        "IT Manager: 8 hours; Northgate monitoring desk configuration: 4 hours ($600).",
        "Audit-failure alert test record, 8 January 2027",
        ("prowler:guardduty_is_enabled", "prowler:securityhub_enabled", "sarif:checkov/CKV_AWS_252"),
    ),
    "CM.L2-3.4.9": Plan(
        MARCUS,
        "Installations were controlled by removing administrator rights, and monitoring was assumed to come "
        "with it; the help-desk elevations for contractors were never reviewed.",
        (
            (
                "2026-11-06",
                "Remove the unapproved software",
                "Uninstall the PDF editor from ENG-07 and ENG-11 and review every elevation granted since January.",
            ),
            (
                "2026-12-11",
                "Report every installation",
                "Enable the endpoint agent's software-installation events and send them to the monitoring desk.",
            ),
            (
                "2027-01-22",
                "Review installations each week",
                "Add the weekly installation report to the IT Manager's review and keep the reviewed reports.",
            ),
        ),
        "IT Manager: 12 hours; Northgate: 6 hours ($900).",
        "Weekly software-installation reports, December 2026 to February 2027",
        ("prowler:ec2_instance_managed_by_ssm", "prowler:ssm_managed_compliant_patching"),
    ),
    "SC.L2-3.13.11": Plan(
        DANA,
        "The backup appliance was bought for its capacity in 2023, before Acme's CMMC program, and its "
        "encryption module was never checked against the CMVP list.",
        (
            (
                "2026-11-13",
                "Choose a validated encryption path",
                "Confirm with the vendor that firmware 8.0 uses "
                "the FIPS 140-3 validated module, or quote a replacement appliance.",
            ),
            (
                "2027-01-29",
                "Upgrade both appliances",
                "Install firmware 8.0 on both appliances in FIPS mode and re-encrypt the existing images.",
            ),
            (
                "2027-02-05",
                "Confirm the certificate and test a restore",
                "Record the CMVP certificate number and restore a test file from an encrypted image.",
            ),
        ),
        "Appliance support renewal with firmware 8.0: $3,800; IT Manager: 10 hours; Northgate: 8 hours ($1,200).",
        "CMVP certificate of the backup appliance module and restore test record, 5 February 2027",
        ("prowler:s3_bucket_kms_encryption", "sarif:checkov/CKV_AWS_145"),
    ),
}

PLANNED_ON = at("2026-11-02", 10, 30)
READY_ON = at("2027-02-10", 15, 45)


def maintain(poam: Data) -> Data:
    """The POA&M as Acme kept it up to the closeout: planned on 2 November, every milestone done by 10 February.

    These are the edits people make by hand in an OSCAL editor; re-deriving must keep every one of them.
    """
    edited = copy.deepcopy(poam)
    body = edited["plan-of-action-and-milestones"]
    meta = body["metadata"]
    meta["last-modified"] = READY_ON
    meta["version"] = "1.4"
    meta["remarks"] = (
        "Remediation planned by the IT Manager and the Quality and Compliance Manager on 2 November 2026; "
        "every milestone completed and closure evidence filed by 10 February 2027, ready for the closeout "
        "assessment."
    )
    resources = body.setdefault("back-matter", {}).setdefault("resources", [])
    risks = {r["uuid"]: r for r in body.get("risks") or []}
    for item in body["poam-items"]:
        label = next(p["value"] for p in item["props"] if p["name"] == vocab.REQUIREMENT)
        plan = PLANS[label]
        item["props"].append(prop(vocab.ROOT_CAUSE, plan.root_cause))
        risk = risks[item["related-risks"][0]["risk-uuid"]]
        risk["status"] = "remediating"
        planned = next(r for r in risk["remediations"] if r["lifecycle"] == "planned")
        owner = [{"role-id": vocab.OWNER_ROLE, "party-uuids": [plan.owner.uuid]}]
        milestones = []
        for index, (day, title, description) in enumerate(plan.milestones):
            task: Data = {
                "uuid": uid("maintained", label, "milestone", index),
                "type": "milestone",
                "title": title,
                "description": description,
                "props": [prop(vocab.MILESTONE_STATUS, "completed"), prop(vocab.COMPLETED_ON, day)],
                "timing": {"on-date": {"date": at(day, 17)}},
                "responsible-roles": owner,
            }
            milestones.append(task)
        evidence = uid("maintained", label, "evidence")
        resources.append(
            {
                "uuid": evidence,
                "title": plan.evidence,
                "description": f"Closure evidence for {label}, filed by {plan.owner.name} for the closeout assessment.",
                "props": [prop("type", "evidence", None)],
                "rlinks": [{"href": f"evidence/{evidence}.pdf", "media-type": "application/pdf"}],
            }
        )
        for task in planned["tasks"]:
            task.setdefault("responsible-roles", owner)
            task["links"] = [{"href": f"#{evidence}", "rel": vocab.EVIDENCE_REL, "text": plan.evidence}]
            # Acme names the automated checks that verify closure in place of those derive proposed.
            kept = [p for p in task["props"] if p["name"] != vocab.VERIFICATION_CHECK]
            task["props"] = [*kept, *(prop(vocab.VERIFICATION_CHECK, check) for check in plan.checks)]
        planned["tasks"] = [*milestones, *planned["tasks"]]
        planned["required-assets"] = [{"uuid": uid("maintained", label, "resources"), "description": plan.resources}]
        log = risk.setdefault("risk-log", {}).setdefault("entries", [])
        log.append(
            {
                "uuid": uid("maintained", label, "remediating"),
                "title": "Remediation planned",
                "description": f"{plan.owner.name} owns the remediation; milestones and resources agreed.",
                "start": PLANNED_ON,
                "status-change": "remediating",
                "logged-by": [{"party-uuid": PRIYA.uuid}],
            }
        )
        log.append(
            {
                "uuid": uid("maintained", label, "ready"),
                "title": "Ready for the closeout assessment",
                "description": f"Every milestone completed; closure evidence filed: {plan.evidence}.",
                "start": READY_ON,
                "logged-by": [{"party-uuid": PRIYA.uuid}],
            }
        )
    return edited


# -- the scenarios ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    folder: str
    system: System
    assessment: Assessment
    ssp: Data
    ssp_href: str  # from the scenario folder
    poam_from: str | None = None  # an existing POA&M to derive onto, relative to the examples folder
    force: bool = False


def scenarios() -> list[Scenario]:
    conditional = Assessment(
        ENCLAVE,
        "c3pao-2026",
        "Acme CUI Enclave CMMC Level 2 Certification Assessment, October 2026",
        "Level 2 certification assessment by Keystone Cyber Assessments of all 110 requirements and their 320 "
        "objectives, on site at the Dayton plant.",
        "c3pao",
        "initial",
        at("2026-10-05", 8, 30),
        at("2026-10-16", 17),
        at("2026-10-16", 18, 15),
        (JORDAN, SAM),
    )
    not_eligible = Assessment(
        DESIGN,
        "self-2026",
        "Acme Design Office CMMC Level 2 Self-Assessment, September 2026",
        "Level 2 self-assessment by Acme's Quality and Compliance Manager of all 110 requirements.",
        "self",
        "initial",
        at("2026-09-14", 9),
        at("2026-09-25", 15),
        at("2026-09-25", 16, 40),
        (PRIYA,),
    )
    level3 = Assessment(
        PROGRAMS,
        "dibcac-2026",
        "Acme Defense Programs Enclave CMMC Level 3 Certification Assessment, November 2026",
        "Level 3 certification assessment by DCMA DIBCAC of the 24 Level 3 requirements.",
        "dibcac",
        "initial",
        at("2026-11-09", 9),
        at("2026-11-13", 16),
        at("2026-11-13", 17, 30),
        (ALEX,),
    )
    closeout = Assessment(
        ENCLAVE,
        "closeout-2027",
        "Acme CUI Enclave CMMC Level 2 POA&M Closeout Assessment, February 2027",
        "POA&M closeout assessment by Keystone Cyber Assessments of the four requirements on the POA&M of the "
        "October 2026 certification assessment (32 CFR 170.21(b)).",
        "c3pao",
        "closeout",
        at("2027-02-16", 9),
        at("2027-02-17", 15),
        at("2027-02-17", 16, 10),
        (JORDAN,),
        labels=tuple(PLANS),
        passing={
            label: f"{text} The assessor examined the configuration and tested it."
            for label, text in REMEDIATED.items()
        },
    )
    remediated_ssp = ssp_document(ENCLAVE, remediated=REMEDIATED, version="3.3", modified=at("2027-02-09", 14, 0))
    return [
        Scenario("l2-conditional", ENCLAVE, conditional, ssp_document(ENCLAVE), "ssp.json"),
        Scenario("l2-not-eligible", DESIGN, not_eligible, ssp_document(DESIGN), "ssp.json", force=True),
        Scenario("l3-conditional", PROGRAMS, level3, ssp_document(PROGRAMS), "ssp.json"),
        Scenario(
            "l2-closeout",
            ENCLAVE,
            closeout,
            remediated_ssp,
            "ssp.json",
            poam_from="l2-conditional/poam-maintained.json",
        ),
    ]


def model_bytes(data: Data, fmt: str) -> bytes:
    """Validate plain OSCAL data as its trestle model, then serialize it."""
    _, model = validate(data, "<generated>")
    return dumps(model, fmt)  # type: ignore[arg-type]


class Writer:
    """Writes (or, with --check, compares) every generated file."""

    def __init__(self, out: Path, check: bool) -> None:
        self.out = out
        self.check = check
        self.stale: list[Path] = []
        self.produced: set[Path] = set()

    def put(self, relative: str, data: bytes) -> None:
        path = self.out / relative
        self.produced.add(path)
        if self.check:
            if not path.exists() or path.read_bytes() != data:
                self.stale.append(path)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_bytes() != data:
            from oscal_poam.io.write import atomic_write_bytes

            atomic_write_bytes(path, data)

    def document(self, relative_stem: str, data: Data) -> None:
        for fmt in ("json", "xml"):
            self.put(f"{relative_stem}.{fmt}", model_bytes(data, fmt))


def generate(out: Path, check: bool) -> list[Path]:
    """Write every example under `out` (the examples folder); returns the files that differ (with check)."""
    import tempfile

    from oscal_poam.derivation.api import derive
    from oscal_poam.io.load import parse

    writer = Writer(out, check)
    # Derive reads the inputs from disk, as a user would: from the files just written, or in check mode from a
    # scratch copy, so that checking never touches the examples.
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch) if check else out
        staging = Writer(base, False)
        for scenario in scenarios():
            folder = scenario.folder
            results = assessment_results(scenario.assessment)
            plan = assessment_plan(
                scenario.system,
                scenario.assessment.key,
                title=scenario.assessment.title.replace("Assessment", "Assessment Plan", 1),
                assessor=scenario.assessment.assessor,
                ssp_href=scenario.ssp_href,
                modified=scenario.assessment.start,
                labels=scenario.assessment.labels,
            )
            for w in (writer, staging) if check else (writer,):
                w.document(f"{folder}/ssp", scenario.ssp)
                w.document(f"{folder}/assessment-plan", plan)
                w.document(f"{folder}/assessment-results", results)
            existing = base / scenario.poam_from if scenario.poam_from else None
            target = base / folder / "poam.json"
            derived = derive(
                base / folder / "ssp.json",
                base / folder / "assessment-results.json",
                existing=existing,
                poam_path=target,
            )
            if derived.poam is None or (not derived.ok and not scenario.force):
                shown = "; ".join(d.message for d in derived.errors) or "nothing to put on a POA&M"
                raise SystemExit(f"{folder}: derive wrote nothing: {shown}")
            json_bytes = dumps(derived.poam, "json")
            for w in (writer, staging) if check else (writer,):
                w.put(f"{folder}/poam.json", json_bytes)
                w.put(f"{folder}/poam.xml", dumps(derived.poam, "xml"))
            if folder == "l2-conditional":
                maintained = maintain(orjson_loads(json_bytes))
                doc = parse(model_bytes(maintained, "json"), "poam-maintained.json")
                for w in (writer, staging) if check else (writer,):
                    w.put(f"{folder}/poam-maintained.json", dumps(doc.model, "json"))
                    w.put(f"{folder}/poam-maintained.xml", dumps(doc.model, "xml"))
                verified = verified_poam(out / folder / SCANS, base / folder)
                for w in (writer, staging) if check else (writer,):
                    w.put(f"{folder}/poam-verified.json", dumps(verified, "json"))
                    w.put(f"{folder}/poam-verified.xml", dumps(verified, "xml"))
    if check and out.is_dir():  # a file the generator no longer makes is stale too
        # the scanners' outputs and what they scanned are made by tools/gen_scanner_fixtures.py
        kept = {out / "README.md", *(out / "l2-conditional" / SCANS).rglob("*")}
        writer.stale.extend(p for p in sorted(out.rglob("*")) if p.is_file() and p not in writer.produced | kept)
    return writer.stale


SCANS = "scans"
VERIFIED_AS_OF = dt.date(2027, 2, 10)
SCANNER_OUTPUTS = ("prowler-output.ocsf.json", "checkov.sarif")


def verified_poam(scans: Path, folder: Path) -> Any:
    """The maintained POA&M with Acme's scans of 10 February recorded by `verify` (as the README runs it).

    The scans are the real scanners' output, made by tools/gen_scanner_fixtures.py; in a check the maintained
    POA&M is the scratch copy, and the scans are copied beside it so that the hrefs are those of the examples.
    """
    from oscal_poam.verification.api import verify

    local = folder / SCANS
    if local.resolve() != scans.resolve():
        shutil.copytree(scans, local, dirs_exist_ok=True)
    result = verify(
        folder / "poam-maintained.json",
        [local / name for name in SCANNER_OUTPUTS],
        as_of=VERIFIED_AS_OF,
        output=folder / "poam-verified.json",
    )
    return result.poam


def orjson_loads(data: bytes) -> Data:
    import json

    loaded: Data = json.loads(data)
    return loaded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "examples", help="the examples folder to write")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file would change")
    args = parser.parse_args(argv)
    stale = generate(args.out, args.check)
    if args.check and stale:
        for path in stale:
            print(f"would change: {path}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
