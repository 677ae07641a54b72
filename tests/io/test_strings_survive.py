"""Every string OSCAL carries is written back as it was read: URIs with a bare host, date-times with all their
digits and their offset, e-mail addresses, in JSON, YAML and XML, through convert, derive, import and merges.

compliance-trestle's models would rewrite them (`https://fedramp.gov` as `https://fedramp.gov/`,
`.777232900-05:00` as `.777232-05:00`, a domain in lower case); `oscal_poam.io.keep` keeps the text.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from oscal_poam.io.convert import convert
from oscal_poam.io.keep import KeptDatetime, KeptUrl, kept_datetime
from oscal_poam.io.load import load, parse
from oscal_poam.io.write import dumps, to_data
from oscal_poam.io.xml.equivalence import differences
from tests.conftest import ROOT
from tests.nist_docs import IFA_SSP, nist

BARE_HOST = "https://fedramp.gov"
NAMESPACE = "https://fedramp.gov/ns/oscal"
SCHEME = "http://example.com"
FINE = "2023-06-02T08:31:20.777232900-05:00"
UTC_AS_WRITTEN = "2023-06-02T13:31:20+00:00"
ZERO_FRACTION = "2023-06-02T08:31:20.000000-04:00"
EMAIL = "Jane.Doe@Example.COM"


def _ssp() -> dict[str, Any]:
    data = nist(IFA_SSP)
    ssp = data["system-security-plan"]
    ssp["metadata"]["published"] = FINE
    ssp["metadata"]["last-modified"] = UTC_AS_WRITTEN
    ssp["metadata"]["document-ids"] = [{"scheme": SCHEME, "identifier": "ssp-1"}]
    ssp["metadata"]["parties"][0]["email-addresses"] = [EMAIL]
    ssp["metadata"]["props"] = [{"name": "marking", "ns": BARE_HOST, "value": "cui"}]
    ssp["system-characteristics"]["system-ids"][0]["identifier-type"] = BARE_HOST
    ssp["system-implementation"]["inventory-items"][0]["props"][0]["ns"] = NAMESPACE
    return data


STRINGS = (BARE_HOST, NAMESPACE, SCHEME, FINE, UTC_AS_WRITTEN, EMAIL)


def _texts(data: Any) -> set[str]:
    if isinstance(data, dict):
        return {t for v in data.values() for t in _texts(v)}
    if isinstance(data, list):
        return {t for v in data for t in _texts(v)}
    return {data} if isinstance(data, str) else set()


def test_the_model_alone_would_rewrite_them() -> None:
    """What is at stake: compliance-trestle's own validation changes each of these strings."""
    from trestle.oscal.ssp import SystemSecurityPlan

    model = SystemSecurityPlan.model_validate(_ssp()["system-security-plan"])
    assert str(model.system_characteristics.system_ids[0].identifier_type) == BARE_HOST + "/"
    assert model.metadata.published is not None and model.metadata.published.microsecond == 777232
    assert model.metadata.parties is not None
    assert model.metadata.parties[0].email_addresses == ["Jane.Doe@example.com"]


@pytest.mark.parametrize("fmt", ["json", "yaml", "xml"])
def test_loaded_and_written_in_each_format_they_come_back_exactly(fmt: str) -> None:
    source = json.dumps(_ssp()).encode()
    model = parse(source, "ssp.json").model
    written = dumps(model, fmt)  # type: ignore[arg-type]
    for text in STRINGS:
        assert text.encode() in written, text
    again = parse(written, f"ssp.{fmt}")
    assert set(STRINGS) <= _texts(to_data(again.model))
    # exactly, but for Markdown through XML, which comes back in the canonical spelling of its markup
    assert list(differences(to_data(model), to_data(again.model))) == []
    if fmt != "xml":
        assert to_data(again.model) == to_data(model)


def test_convert_round_trips_keep_them(tmp_path: Path) -> None:
    source = tmp_path / "ssp.json"
    source.write_text(json.dumps(_ssp()), encoding="utf-8")
    convert(source, tmp_path / "ssp.xml")
    convert(tmp_path / "ssp.xml", tmp_path / "back.json")
    convert(tmp_path / "back.json", tmp_path / "back.yaml")
    assert _texts(json.loads((tmp_path / "back.json").read_text())) >= set(STRINGS)
    assert to_data(load(tmp_path / "back.yaml").model) == to_data(load(tmp_path / "back.json").model)


def test_redundant_precision_is_kept_too() -> None:
    data = _ssp()
    data["system-security-plan"]["metadata"]["published"] = ZERO_FRACTION
    assert ZERO_FRACTION.encode() in dumps(parse(json.dumps(data).encode(), "s.json").model, "json")


def test_a_kept_value_behaves_as_its_type() -> None:
    url = KeptUrl(BARE_HOST)
    assert url == BARE_HOST and str(url) == BARE_HOST and url.host == "fedramp.gov"
    assert copy.deepcopy(url) is url and pickle.loads(pickle.dumps(url)) == url
    moment = kept_datetime(FINE)
    assert isinstance(moment, KeptDatetime) and moment.text == FINE
    assert moment == dt.datetime(2023, 6, 2, 13, 31, 20, 777232, tzinfo=dt.UTC)  # the instant, as a datetime
    assert pickle.loads(pickle.dumps(moment)).text == FINE
    assert getattr(moment + dt.timedelta(days=1), "text", None) is None  # a changed instant is written afresh
    assert kept_datetime("2023-06-02") == "2023-06-02"  # not a date-time with a zone: the model says so


def _derived(tmp_path: Path) -> dict[str, Any]:
    from oscal_poam import derive

    example = ROOT / "examples" / "l2-conditional"
    results = json.loads((example / "assessment-results.json").read_text())
    result = results["assessment-results"]["results"][-1]
    for observation in result["observations"]:  # the POA&M copies those its items rest on
        observation["collected"] = FINE
        observation.setdefault("props", []).append({"name": "scanner", "ns": BARE_HOST, "value": "nessus"})
    (tmp_path / "results.json").write_text(json.dumps(results), encoding="utf-8")
    derived = derive(example / "ssp.json", tmp_path / "results.json", as_of=dt.date(2026, 10, 16))
    assert derived.poam is not None
    return to_data(derived.poam)


def test_derive_copies_them_into_the_poam(tmp_path: Path) -> None:
    texts = _texts(_derived(tmp_path))
    assert FINE in texts and BARE_HOST in texts


def test_merging_onto_an_existing_poam_keeps_what_it_holds(tmp_path: Path) -> None:
    from oscal_poam import derive

    example = ROOT / "examples" / "l2-conditional"
    existing = json.loads((example / "poam-maintained.json").read_text())
    poam = existing["plan-of-action-and-milestones"]
    poam["metadata"].setdefault("props", []).append({"name": "marking", "ns": BARE_HOST, "value": "cui"})
    poam["metadata"]["published"] = FINE
    (tmp_path / "existing.json").write_text(json.dumps(existing), encoding="utf-8")
    derived = derive(
        example / "ssp.json",
        example / "assessment-results.json",
        existing=tmp_path / "existing.json",
        as_of=dt.date(2026, 10, 16),
    )
    assert derived.poam is not None
    texts = _texts(to_data(derived.poam))
    assert BARE_HOST in texts and FINE in texts


def test_import_takes_the_system_id_type_as_the_ssp_spells_it(tmp_path: Path) -> None:
    from oscal_poam.legacy.api import import_poam
    from tests.legacy import sheets

    ssp = tmp_path / "ssp.json"
    ssp.write_text(json.dumps(_ssp()), encoding="utf-8")
    imported = import_poam(sheets.write_csv(tmp_path / "gaps.csv"), ssp=ssp, as_of=dt.date(2025, 11, 10))
    data = to_data(imported.poam)
    assert data["plan-of-action-and-milestones"]["system-id"]["identifier-type"] == BARE_HOST
    assert f'"identifier-type": "{BARE_HOST}"'.encode() in dumps(imported.poam, "json")
