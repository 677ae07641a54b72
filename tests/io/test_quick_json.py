"""JSON decoded in C gives the faithful decoder's data, or leaves the text to it (`oscal_poam.io.quick_json`)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from oscal_poam.errors import LoadError
from oscal_poam.io import quick_json
from oscal_poam.io.load import decode, decode_json_faithfully
from tests.conftest import REFERENCE, ROOT
from tests.robustness.mutations import examples

FOLDERS = (REFERENCE, ROOT / "examples", ROOT / "catalogs", ROOT / "profiles")
REFERENCE_JSON = sorted(path for folder in FOLDERS for path in folder.rglob("*.json"))
"""NIST's examples and schemas, FedRAMP's templates, the CMMC catalogs and this project's examples."""


def same(a: Any, b: Any) -> bool:
    """Equal, and of the same types throughout: 1 is not 1.0, -0.0 is not 0.0, keys in the same order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return math.copysign(1, a) == math.copysign(1, b) and a == b
    return bool(a == b)


def faithfully(data: bytes) -> Any:
    """The faithful decoder's data, or the LoadError it raises."""
    try:
        return decode_json_faithfully(data, "in.json")
    except LoadError as exc:
        return exc


def check(data: bytes) -> Any:
    """`quick_json.decode(data)`, asserted to be the faithful decoder's data, or UNSURE where it refuses."""
    quick = quick_json.decode(data)
    expected = faithfully(data)
    if isinstance(expected, LoadError):
        assert quick is quick_json.UNSURE, (data[:200], expected)
    elif quick is not quick_json.UNSURE:
        assert same(quick, expected), data[:200]
    return quick


def test_the_reference_json_is_there() -> None:
    assert len(REFERENCE_JSON) >= 50


@pytest.mark.parametrize("path", REFERENCE_JSON, ids=lambda p: str(p.relative_to(ROOT)))
def test_nist_and_fedramp_json_is_decoded_in_c_as_the_faithful_decoder_decodes_it(path: Path) -> None:
    # every one is taken in C, and is the same data
    assert check(path.read_bytes()) is not quick_json.UNSURE


ACCEPTED = [
    b'{"a": 1, "b": [true, false, null], "c": {"d": "e"}}',
    b'\xef\xbb\xbf{"with": "a byte order mark"}',
    b' \t\r\n{"a": "whitespace around"} \t\r\n',
    b'{"escaped": "a \\" quote, a \\\\ backslash, \\\\\\" both, \\/ \\b \\f \\n \\r \\t"}',
    b'{"ends in a backslash\\\\": "\\\\"}',
    b'{"unicode": "\\u00e9\\u0000\\u001f\\uffff \\ud83d\\ude00 \xc3\xa9 \xf0\x9f\x98\x80"}',
    b'{"keys": 1, "Keys": 2, "k\\u0065ys ": 3}',
    b"[18446744073709551615, -9223372036854775808, 999999999999999999, -0, 0]",
    b"[-0.0, 0.0, 1.5, 1e5, 1E5, 1e-400, 2.5e-308, 1.7976931348623157e308, 0.1000000000000000055511151231257827]",
    b"[123456789012345678.5, 1234567890.12345678901234567890e-3]",
    b'"a string alone"',
    b"null",
    b"[]",
    b"{}",
    b"[" * 200 + b"]" * 200,
]


@pytest.mark.parametrize("data", ACCEPTED)
def test_plain_json_is_decoded_in_c(data: bytes) -> None:
    assert check(data) is not quick_json.UNSURE


REFUSED_OR_LEFT = [
    # a key twice, at the top, deep, spelled otherwise, its first value holding strings
    b'{"a": 1, "a": 1}',
    b'{"x": [{"y": {"z": 1, "w": 2, "z": 3}}]}',
    b'{"a": 1, "\\u0061": 2}',
    b'{"a": {"b": ["c", "d"]}, "a": 1}',
    # a quote spelled \u0022 must not hide a repeated key from the count of quotes
    b'{"x": "\\u0022\\u0022", "k": 1, "k": 2}',
    b'{"x": "\\u0022", "k": 1}',
    # integers beyond 64 bits, numbers beyond a float
    b"[18446744073709551616]",
    b"[-9223372036854775809]",
    b"[1000000000000000000000000000000]",
    b"[" + b"9" * 5000 + b"]",
    b"[1e999]",
    b"[-1e999]",
    b"[1E400]",
    b"[NaN]",
    b"[Infinity]",
    b"[-Infinity]",
    # lone surrogates, in values and keys
    b'["\\ud800"]',
    b'["\\udc00"]',
    b'["\\udc00\\ud800"]',
    b'{"\\ud800": 1}',
    # not JSON
    b"\xef\xbb\xbf\xef\xbb\xbf{}",
    b"\x0c{}",
    b"[1,]",
    b"{} []",
    b'["a\tb"]',
    b'["\xed\xa0\x80"]',
    b'["\xc0\xaf"]',
    b'["\xff"]',
    b"[01]",
    b"",
    # nested deeper than orjson writes, and than the faithful decoder reads
    b"[" * 255 + b"]" * 255,
    b"[" * 100_000 + b"]" * 100_000,
]


@pytest.mark.parametrize("data", REFUSED_OR_LEFT)
def test_what_the_faithful_decoder_refuses_is_left_to_it(data: bytes) -> None:
    assert check(data) is quick_json.UNSURE


def test_a_quote_spelled_otherwise_leaves_an_unrepeated_text_to_the_faithful_decoder_too() -> None:
    assert same(decode(b'{"x": "\\u0022"}', "in.json")[1], {"x": '"'})


def test_a_repeated_key_is_refused_with_both_places_as_before() -> None:
    with pytest.raises(LoadError) as caught:
        decode(b'{"a": 1,\n "a": 2}', "in.json")
    assert str(caught.value) == (
        "in.json:2:2: invalid JSON: the key 'a' appears twice in one object (first at line 1, column 2); a reader "
        "would keep only one of its values"
    )


KEYS = st.text(alphabet=st.sampled_from('ab"\\/\u00e9\U0001f600\u0000\n'), max_size=3)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=20,
)


@examples(400)
@given(DATA, st.booleans(), st.sampled_from([None, 1]), st.booleans())
def test_any_data_written_as_json_is_decoded_as_the_faithful_decoder_decodes_it(
    data: Any, ascii_only: bool, indent: int | None, repeat_a_key: bool
) -> None:
    text = json.dumps(data, ensure_ascii=ascii_only, indent=indent)
    if repeat_a_key and text.endswith("}") and text != "{}":
        text = text[:-1] + ', "' + json.dumps(next(iter(data)))[1:] + ": 0}"  # the first key again
    check(text.encode("utf-8", errors="surrogatepass"))


SYNTAX = ["{", "}", "[", "]", ":", ",", '"', '"a"', '"\\"', '\\"', "\\\\", "\\u0022", "\\ud800", "\\udc00", "\\u00e9"]
NUMBERS = ["0", "-0", "1", "-", ".", "5", "e", "E", "+", "18446744073709551616", "1e400", "true", "null", "NaN"]
SPACES = [" ", "\t", "\n", "\r", "\x0c", "\u00a0", "\ufeff", "x"]
TOKENS = st.sampled_from([*SYNTAX, *NUMBERS, *SPACES])


@examples(600)
@given(st.lists(TOKENS, max_size=30))
def test_any_text_of_json_tokens_is_decoded_as_the_faithful_decoder_decodes_it_or_left_to_it(
    tokens: list[str],
) -> None:
    check("".join(tokens).encode("utf-8"))


@examples(300)
@given(st.floats(allow_nan=False, allow_infinity=False), st.sampled_from(["{!r}", "{:.25e}", "{:.40f}", "{:.3E}"]))
def test_a_number_is_the_float_python_reads(number: float, spelling: str) -> None:
    text = spelling.format(number)
    quick = check(f"[{text}]".encode())
    assert quick is quick_json.UNSURE or same(quick, [json.loads(text)])


DIGITS = "0123456789"


@examples(300)
@given(
    st.text(DIGITS, min_size=1, max_size=40),
    st.text(DIGITS, max_size=400),
    st.integers(min_value=-400, max_value=400),
    st.booleans(),
)
def test_a_long_number_is_the_float_python_reads(whole: str, fraction: str, exponent: int, negative: bool) -> None:
    text = f"{'-' if negative else ''}{whole.lstrip('0') or '0'}.{fraction or '0'}e{exponent}"
    quick = check(f"[{text}]".encode())
    assert quick is quick_json.UNSURE or same(quick, [float(text)])
