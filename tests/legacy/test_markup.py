"""Spreadsheet text survives OSCAL's Markdown fields unchanged."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from oscal_poam.legacy.markup import to_markdown, to_plain


def test_markup_characters_are_escaped() -> None:
    assert to_markdown("+1 from the CISO") == "\\+1 from the CISO"
    assert to_markdown("1. first\n2. second") == "1\\. first\\\n2\\. second"
    assert to_markdown("*not* emphasis, <b>not</b> html, a_b") == "\\*not\\* emphasis, \\<b\\>not\\</b\\> html, a\\_b"
    assert to_markdown("R&D &amp; more") == "R&D \\&amp; more"
    assert to_markdown("para one\n\npara two") == "para one\n\npara two"


lines = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=200, deadline=None)
@given(st.lists(lines, min_size=1, max_size=5))
def test_plain_text_comes_back_unchanged(parts: list[str]) -> None:
    """Escaping then unescaping gives the text as typed."""
    text = "\n".join(p.rstrip("\\") for p in parts)
    assert to_plain(to_markdown(text)) == text
