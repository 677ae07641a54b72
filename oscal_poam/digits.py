"""Whether text is a number written in ASCII digits, the only digits OSCAL, JSON pointers and dates use.

`str.isdigit` also holds for `²` (which `int()` refuses) and for `١٢` (which `int()` reads as 12): asking it
before `int()` lets a document's stray character crash a command, or name a number it does not write.
"""


def ascii_digits(text: str) -> bool:
    """True for a non-empty run of 0-9 alone."""
    return text.isascii() and text.isdigit()
