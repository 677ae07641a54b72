"""The documents the XML tests use: NIST's examples published in both JSON and XML, and the XSD."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import OSCAL_CONTENT, ROOT, SCHEMAS

XSD = SCHEMAS / "xml" / "oscal_complete_schema.xsd"


def nist_pairs() -> list[tuple[Path, Path]]:
    """(JSON, XML) for every NIST example document published in both formats."""
    pairs = []
    for xml_path in sorted(OSCAL_CONTENT.glob("*/xml/*.xml")):
        json_path = xml_path.parent.parent / "json" / (xml_path.stem + ".json")
        if json_path.exists():
            pairs.append((json_path, xml_path))
    return pairs


def nist_json_only() -> list[Path]:
    """NIST's JSON examples that have no XML counterpart (the -min variants)."""
    paired = {json_path for json_path, _ in nist_pairs()}
    return [p for p in sorted(OSCAL_CONTENT.glob("*/json/*.json")) if p not in paired]


def our_catalogs() -> list[Path]:
    return sorted([*(ROOT / "catalogs").glob("*.json"), *(ROOT / "profiles").glob("*.json")])


def pair_id(pair: tuple[Path, Path]) -> str:
    return f"{pair[1].parent.parent.name}/{pair[1].stem}"


def path_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"
