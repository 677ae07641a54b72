"""Small helpers over plain OSCAL data (dicts as in OSCAL JSON)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import oscal_poam.builders as builders
from oscal_poam.cmmc.vocab import NS, STATUS_DATE
from oscal_poam.dates import leading_iso_day
from oscal_poam.io.write import format_datetime as fmt

Data = dict[str, Any]


def prop_value(obj: Data, name: str, ns: str | None = NS) -> str | None:
    for p in obj.get("props") or []:
        if p.get("name") == name and p.get("ns") == ns:
            return str(p.get("value"))
    return None


def set_prop(obj: Data, name: str, value: str, ns: str | None = NS) -> None:
    """Set the first prop called `name` to `value`, adding it where there is none."""
    props = obj.setdefault("props", [])
    for p in props:
        if p.get("name") == name and p.get("ns") == ns:
            p["value"] = value
            return
    props.append(builders.as_data(builders.prop(name, value, ns=ns)))


def by_uuid(objects: Iterable[Data] | None) -> dict[str, Data]:
    return {str(o["uuid"]): o for o in objects or [] if "uuid" in o}


def unique(values: Iterable[str]) -> list[str]:
    """`values` without repeats, first occurrence kept."""
    return list(dict.fromkeys(values))


def related(obj: Data, field: str, key: str) -> list[str]:
    """The uuids of a list of references, for example related-risks/risk-uuid."""
    return [str(r[key]) for r in obj.get(field) or [] if key in r]


def status_date_of(poam: Data) -> dt.date | None:
    """The POA&M's Conditional CMMC Status Date, its metadata prop cmmc-status-date; None if none.

    Read as check and report read it: a date, or the day of a date-time.
    """
    return leading_iso_day(prop_value(poam.get("metadata") or {}, STATUS_DATE))


def parse_datetime(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def format_datetime(value: dt.datetime) -> str:
    return fmt(value)
