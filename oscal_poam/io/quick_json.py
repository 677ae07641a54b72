"""JSON decoded in C, where that provably gives what the faithful decoder gives (`oscal_poam.io.faithful`).

The faithful decoder is the standard library's with a Python hook for every object (a key must not repeat):
about twice msgspec's time on OSCAL documents, which a portfolio decodes twice. msgspec reads the same grammar
(and less: NaN, infinities, lone surrogates) into the same data, every integer exact, but keeps the last value of
a repeated key. So its data is taken only when written back by orjson, in C, it shows that the faithful decoder
would have read it so:

- orjson writes integers of 64 bits only (the range the faithful decoder allows) and at most 254 levels, which
  the faithful decoder reads without running out of stack;
- it writes each key and each string value once: the text held as many strings only if no key repeated (a
  repeated key loses itself and its first value).

Whenever in doubt, `UNSURE`: the faithful decoder decodes the text, and refuses it with its words and place.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec
import orjson

UNSURE: Final = object()
"""What `decode` returns when the faithful decoder must decide."""

_BOM = b"\xef\xbb\xbf"
_DECODER = msgspec.json.Decoder()


def decode(data: bytes) -> Any:
    """The data of JSON bytes (UTF-8, a byte order mark allowed) as the faithful decoder reads them; `UNSURE`
    when it cannot be told here that the faithful decoder would read them so (or read them at all)."""
    text = memoryview(data)[3:] if data.startswith(_BOM) else data  # what UTF-8-sig decoding skips
    try:
        value = _DECODER.decode(text)
        written = orjson.dumps(value)
    except (msgspec.DecodeError, orjson.JSONEncodeError, RecursionError):
        return UNSURE
    if not _same_strings(data, written):
        return UNSURE
    return value


def _same_strings(text: bytes, written: bytes) -> bool:
    """Whether `written` (orjson's JSON of the data decoded from `text`) holds as many strings as `text`.

    Each quote of JSON bytes either begins or ends a string or, escaped (`\\"`), stands in one. orjson escapes
    every quote of a string so; so does `text`, unless it spells one `\\u0022`. Then each has as many quotes as
    the other exactly when it has as many strings: a repeated key loses its string and its first value's quotes.
    """
    if b"\\" in text and b"\\u0022" in text:  # a search for one byte first: most texts have no backslash
        return False
    return written.count(b'"') == text.count(b'"')
