"""YAML decoded once per run: what was kept is a fresh copy of the same data, and changed bytes are decoded anew."""

from __future__ import annotations

from unittest import mock

import pytest

from oscal_poam.errors import LoadError
from oscal_poam.io import decoded, load
from oscal_poam.io.load import decode

TEXT = b"a:\n  b:\n    - 1\n    - two\n"


def test_within_keeping_the_same_bytes_are_decoded_once_and_each_reader_gets_its_own_copy() -> None:
    with decoded.keeping(), mock.patch.object(load, "_decode_yaml_text", wraps=load._decode_yaml_text) as spy:
        first = decode(TEXT, "one.yaml")
        second = decode(bytes(TEXT), "two.yaml")
        assert spy.call_count == 1
    assert first == second == ("yaml", {"a": {"b": [1, "two"]}}, {"": 1, "/a": 1, "/a/b": 2, "/a/b/0": 3, "/a/b/1": 4})
    assert first[1] is not second[1]
    first[1]["a"]["b"].append(3)
    assert second[1] == {"a": {"b": [1, "two"]}}


def test_changed_bytes_are_decoded_as_they_are_now() -> None:
    with decoded.keeping():
        decode(TEXT, "one.yaml")
        changed = decode(TEXT.replace(b"two", b"three"), "one.yaml")
    assert changed[1] == {"a": {"b": [1, "three"]}}


def test_nothing_is_kept_outside_keeping() -> None:
    with decoded.keeping():
        decode(TEXT, "one.yaml")
        assert decoded.entry_of(TEXT) is not None
    assert decoded.entry_of(TEXT) is None
    with mock.patch.object(load, "_decode_yaml_text", wraps=load._decode_yaml_text) as spy:
        decode(TEXT, "one.yaml")
        decode(TEXT, "one.yaml")
    assert spy.call_count == 2


def test_what_another_process_kept_is_adopted() -> None:
    with decoded.keeping():
        decode(TEXT, "one.yaml")
        entry = decoded.entry_of(TEXT)
    with decoded.keeping(), mock.patch.object(load, "_decode_yaml_text", wraps=load._decode_yaml_text) as spy:
        decoded.adopt(entry)
        assert decode(TEXT, "one.yaml")[1] == {"a": {"b": [1, "two"]}}
        assert spy.call_count == 0


def test_an_error_is_never_kept() -> None:
    bad = b"a: 1\na: 2\n"
    with decoded.keeping():
        for _ in range(2):
            with pytest.raises(LoadError, match="appears twice"):
                decode(bad, "bad.yaml")
        assert decoded.entry_of(bad) is None
