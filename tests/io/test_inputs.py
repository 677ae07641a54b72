"""`document_of`: a model, a loaded Document or a path, as one Document of the model a call takes."""

from __future__ import annotations

from pathlib import Path

import pytest

from oscal_poam.errors import LoadError, UsageError, WrongModelError
from oscal_poam.io.inputs import document_of
from oscal_poam.io.load import Document, load
from tests.conftest import OSCAL_CONTENT

SSP = OSCAL_CONTENT / "ssp" / "json" / "ssp-example.json"
SSP_XML = OSCAL_CONTENT / "ssp" / "xml" / "ssp-example.xml"
RESULTS = OSCAL_CONTENT / "ar" / "json" / "ifa_assessment-results-example.json"


def test_a_path_is_loaded_as_str_or_path() -> None:
    for given in (SSP, str(SSP)):
        found = document_of(given, "system-security-plan")
        assert found.kind.root_key == "system-security-plan"
        assert found.path == Path(SSP)
        assert found.source == str(given)


def test_a_path_of_another_model_is_a_load_error() -> None:
    with pytest.raises(LoadError, match="expected a system security plan"):
        document_of(RESULTS, "ssp")


def test_a_document_of_the_kind_is_returned_as_it_is() -> None:
    loaded = load(SSP_XML)
    assert document_of(loaded, "ssp") is loaded
    assert loaded.lines, "an XML document keeps its lines"


def test_a_model_stands_as_a_document_under_the_name_given() -> None:
    model = load(SSP).model
    found = document_of(model, "system-security-plan", name="ssp")
    assert found == Document(kind=found.kind, model=model, format="json", source="ssp")
    assert found.model is model and found.path is None and not found.lines
    assert document_of(model, "system-security-plan").source == ""


def test_another_kind_is_refused_naming_what_it_is() -> None:
    results = load(RESULTS)
    with pytest.raises(WrongModelError) as by_document:
        document_of(results, "system-security-plan")
    assert str(by_document.value) == (f"{RESULTS}: expected a system security plan, but this is assessment results")
    with pytest.raises(WrongModelError) as by_model:
        document_of(results.model, "system-security-plan", name="ssp")
    assert str(by_model.value) == "ssp: expected a system security plan, but this is assessment results"
    with pytest.raises(WrongModelError) as unnamed:
        document_of(results.model, "system-security-plan")
    assert str(unnamed.value) == "expected a system security plan, but this is assessment results"


@pytest.mark.parametrize("value", [42, None, b"{}", {"system-security-plan": {}}])
def test_what_is_no_model_document_or_path_is_refused(value: object) -> None:
    with pytest.raises(
        WrongModelError, match=r"^expected a system security plan \(an OSCAL model, a Document or a path\), not "
    ):
        document_of(value, "system-security-plan")


def test_the_error_is_a_usage_error_and_a_type_error() -> None:
    """The command line reports a usage error; Python callers may catch the TypeError of a wrong argument."""
    with pytest.raises(UsageError):
        document_of(42, "ssp")
    with pytest.raises(TypeError):
        document_of(load(RESULTS).model, "ssp")
