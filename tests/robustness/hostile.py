"""A hostile repository: documents whose hrefs reach for files outside it, links that leave it, special files.

`plant(tmp)` lays out `tmp/outside/` (files holding SECRET, which no output may ever show) and `tmp/repo/` (a
CMMC POA&M per hostile href, links, a FIFO), and returns what it planted. Every href case has a twin whose target
does not exist, so that a test can check that the two read the same: nothing tells whether a file exists.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tests.conftest import ROOT

SECRET = "SECRET_KEY_5b1e9d0c"
"""Planted in every file outside the repository; no byte of it may reach any output."""

POAM = ROOT / "examples" / "l2-conditional" / "poam-maintained.json"
SSP = ROOT / "examples" / "l2-conditional" / "ssp.json"
RESOURCE = "11111111-2222-4333-8444-555555555555"


@dataclass
class Planted:
    repo: Path
    outside: Path
    hrefs: dict[str, str] = field(default_factory=dict)
    """Case name -> the import-ssp href of `repo/<case>.json`."""
    refused: set[str] = field(default_factory=set)
    """Cases that must read "outside the repository: not followed"."""
    remote: set[str] = field(default_factory=set)
    """Cases that must read "a remote document: not fetched"."""
    special: set[str] = field(default_factory=set)
    """Cases inside the repository naming something that is not a regular file."""
    links: list[Path] = field(default_factory=list)
    """Files in the repository that are links out of it, or special files: never read."""


def poam_data(href: str, rlinks: list[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(POAM.read_bytes())
    poam = data["plan-of-action-and-milestones"]
    if rlinks is None:
        poam["import-ssp"]["href"] = href
    else:
        poam["import-ssp"]["href"] = f"#{RESOURCE}"
        resources = poam.setdefault("back-matter", {}).setdefault("resources", [])
        resources.append({"uuid": RESOURCE, "rlinks": [{"href": h} for h in rlinks]})
    return data


def _outside(tmp: Path) -> Path:
    outside = tmp / "outside"
    outside.mkdir()
    (outside / "secret.json").write_text(json.dumps({SECRET: SECRET}), encoding="utf-8")
    (outside / "secret.yaml").write_text(f"{SECRET}: {SECRET}\n", encoding="utf-8")
    (outside / "secret.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    ssp = json.loads(SSP.read_bytes())
    ssp["system-security-plan"]["metadata"]["title"] = SECRET  # valid OSCAL: nothing of it may be quoted either
    (outside / "ssp.json").write_text(json.dumps(ssp), encoding="utf-8")
    return outside


def plant(tmp: Path) -> Planted:
    outside = _outside(tmp)
    repo = tmp / "repo"
    repo.mkdir()
    found = Planted(repo, outside)

    def case(name: str, href: str, kind: str = "refused", rlinks: list[str] | None = None) -> None:
        found.hrefs[name] = href if rlinks is None else f"#{RESOURCE}"
        {"refused": found.refused, "remote": found.remote, "special": found.special}[kind].add(name)
        (repo / f"{name}.json").write_text(json.dumps(poam_data(href, rlinks)), encoding="utf-8")

    for suffix, target in (("", "secret"), ("-missing", "no-such-file")):
        case(f"absolute{suffix}", str(outside / f"{target}.json"))
        case(f"absolute-ssp{suffix}", str(outside / f"{'ssp' if target == 'secret' else target}.json"))
        case(f"traversal{suffix}", f"../outside/{target}.json")
        case(f"traversal-deep{suffix}", f"sub/../../../{tmp.name}/outside/{target}.json")
        case(f"percent-traversal{suffix}", f"%2e%2e/outside/{target}.json")
        case(f"percent-slash{suffix}", f"..%2Foutside%2F{target}.json")
        case(f"file-url{suffix}", Path(outside / f"{target}.json").as_uri())
        case(f"file-url-host{suffix}", f"file://localhost{quote(str(outside / f'{target}.json'))}")
        case(f"rlink-absolute{suffix}", "", rlinks=[str(outside / f"{target}.json")])
        case(f"rlink-traversal{suffix}", "", rlinks=[f"../outside/{target}.json"])
        case(f"yaml{suffix}", str(outside / f"{target}.yaml"))
    case("windows-drive", "C:/Windows/win.ini")
    case("nul-byte", "ssp.json%00.txt")
    case("device-zero", "/dev/zero")
    case("device-urandom", "/dev/urandom")
    case("proc-environ", "/proc/self/environ")
    case("rlink-device", "", rlinks=["/dev/zero"])
    case("https", "https://example.com/ssp.json", kind="remote")
    case("host-relative", "//fileserver/share/ssp.json", kind="remote")
    case("urn", "urn:uuid:11111111-2222-4333-8444-555555555555", kind="remote")

    # links in the repository: out of it (existing and missing targets), to a device, a folder that leaves it
    for name, target in (
        ("link-out", outside / "secret.json"),
        ("link-out-missing", outside / "no-such-file.json"),
        ("link-ssp", outside / "ssp.json"),
        ("link-zero", Path("/dev/zero")),
    ):
        link = repo / f"{name}.json"
        os.symlink(target, link)
        found.links.append(link)
        case(f"via-{name}", f"{name}.json")
    os.symlink(outside, repo / "linked-folder")
    case("via-linked-folder", "linked-folder/secret.json")
    case("via-linked-folder-missing", "linked-folder/no-such-file.json")
    fifo = repo / "pipe.json"
    os.mkfifo(fifo)
    found.links.append(fifo)
    case("fifo", "pipe.json", kind="special")
    return found


def twin(name: str) -> str | None:
    """The case whose target does not exist, for a case whose target does."""
    return None if name.endswith("-missing") else f"{name}-missing"


def every_attack(tmp: Path) -> Planted:
    """`plant`, and beside the hostile hrefs one file of every other kind of attack on a reader."""
    found = plant(tmp)
    repo, outside = found.repo, found.outside
    secret_file = (outside / "secret.txt").as_uri()
    poam = json.loads(POAM.read_bytes())

    def write(name: str, data: bytes | str) -> None:
        path = repo / "attacks" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))

    def poam_with(change: Any) -> bytes:
        data = json.loads(json.dumps(poam))
        change(data["plan-of-action-and-milestones"])
        return json.dumps(data).encode()

    def status_date(value: str) -> Any:
        def change(p: dict[str, Any]) -> None:
            for prop in p["metadata"]["props"]:
                if prop["name"] == "cmmc-status-date":
                    prop["value"] = value

        return change

    xxe = f'<?xml version="1.0"?>\n<!DOCTYPE catalog [<!ENTITY s SYSTEM "{secret_file}">]>\n<catalog>&s;</catalog>\n'
    write("xxe.xml", xxe)
    write("xxe-utf16.xml", xxe.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16"))
    write("xinclude.xml", f'<catalog xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{secret_file}" '
                          'parse="text"/></catalog>\n')  # fmt: skip
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    write("laughs.xml", f'<!DOCTYPE c [<!ENTITY l0 "lol">{laughs}]><catalog>&l9;</catalog>')
    write("alias-bomb.yaml", "a: &a '" + "x" * 500_000 + "'\ncatalog:\n  remarks:\n" + "    - *a\n" * 200)
    write("deep.json", "[" * 100_000 + "]" * 100_000)
    write("deep.yaml", "a: " + "[" * 20_000 + "]" * 20_000 + "\n")
    write("digits.json", b'{"catalog": {"uuid": ' + b"9" * 5001 + b"}}")
    write("duplicate.json", poam_with(lambda p: None).replace(b'"uuid":', b'"uuid": "x", "uuid":', 1))
    write("duplicate.yaml", "catalog:\n  uuid: a\n  uuid: b\n")
    write("attributes.xml", '<catalog xmlns="http://csrc.nist.gov/ns/oscal/1.0" '
                            + " ".join(f'a{n}="x"' for n in range(100_000)) + "/>")  # fmt: skip
    write("utf16.xml", (ROOT / "examples" / "l2-conditional" / "poam.xml").read_text(encoding="utf-8")
          .replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))  # fmt: skip
    write("nul.json", poam_with(lambda p: p["poam-items"][0].update(description="a\u0000b")))
    write("year-9999.json", poam_with(status_date("9999-12-20")))
    write("february-30.json", poam_with(status_date("2026-02-30")))
    write("unknown-keys.json", poam_with(lambda p: p["metadata"].update({f"k{n}": n for n in range(5_000)})))
    write("x\n::error file=README.md,line=1::pwned.json", b"{")
    write("x\x1b[2J.json", b"{")
    with (repo / "attacks" / "sparse.json").open("wb") as handle:
        handle.truncate(3 * 1024**3)
    return found
