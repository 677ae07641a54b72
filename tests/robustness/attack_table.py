"""The attack table: each class of attack, how many attacks the tests try, how many the tool survives.

    python -m tests.robustness.attack_table

Runs the robustness tests that hold the attacks (pytest, JUnit XML) and counts, per class, the attacks each
test tries: its parametrized cases, and the attacks a test loops over (the hostile hrefs, the command lines).
A test that fails counts none of its attacks as survived. Prints a Markdown table.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

from tests.conftest import ROOT

Count = Callable[[], int]


def _planted() -> tuple[int, int]:
    from tests.robustness.hostile import plant

    with tempfile.TemporaryDirectory() as tmp:
        found = plant(Path(tmp))
        return len(found.hrefs), len(found.links)


def _every() -> int:
    from tests.robustness.hostile import every_attack

    with tempfile.TemporaryDirectory() as tmp:
        found = every_attack(Path(tmp))
        return sum(1 for p in found.repo.rglob("*") if p.is_file() or p.is_symlink() or p.is_fifo())


def _module(name: str) -> object:
    import importlib

    return importlib.import_module(f"tests.robustness.{name}")


def _len(module: str, name: str, times: int = 1) -> Count:
    return lambda: len(getattr(_module(module), name)) * times


CLASSES: list[tuple[str, list[tuple[str, Count]]]] = [
    ("Document-named files outside the repository (absolute, traversal, percent-encoded, file: URL, links out, "
     "devices, FIFO, rlinks to each, remote): never opened, no content or existence shown",
     [("test_reading_boundary.py::test_validate_follows_no_href", lambda: _planted()[0]),
      ("test_reading_boundary.py::test_no_output_format_carries_the_secret", lambda: _planted()[0]),
      ("test_reading_boundary.py::test_check_names_no_secret", lambda: _planted()[0]),
      ("test_reading_boundary.py::test_a_root_that_holds", lambda: 2),
      ("test_reading_boundary.py::test_locate_refuses", lambda: 1)]),
    ("Existence hints: a missing target reads as an existing one",
     [("test_reading_boundary.py::test_a_missing_target", lambda: 13)]),
    ("Links and special files inside a validated folder",
     [("test_reading_boundary.py::test_links_out_of_a_validated_folder", lambda: _planted()[1])]),
    ("FIFO, /dev/zero, /dev/urandom, 3 GiB sparse file given to every command",
     [("test_reading_boundary.py::test_special_and_huge_inputs", lambda: 40)]),
    ("An output that is an input (directly, through a link) or two outputs one file",
     [("test_outputs.py::test_an_output_that_is_an_input", _len("test_outputs", "OVERWRITES"))]),
    ("Outputs that are not regular files (FIFO, -, /dev/stdout) and links as outputs",
     [("test_outputs.py::test_an_output_that_is_a_fifo", lambda: 1),
      ("test_outputs.py::test_standard_output_streams", lambda: 5),
      ("test_outputs.py::test_a_symlink_output", lambda: 2)]),
    ("Multi-file outputs all or none; every refused write exit 5; every writer takes the lock",
     [("test_outputs.py::test_json_and_xml_are_written_both_or_neither", lambda: 1),
      ("test_outputs.py::test_a_failed_second_rename", lambda: 1),
      ("test_outputs.py::test_every_refused_write_is_exit_5", lambda: 1),
      ("test_outputs.py::test_every_writer_takes_the_folders_lock", lambda: 1)]),
    ("Duplicate keys in JSON and YAML",
     [("test_parsing_attacks.py::test_a_key_twice_in_json", lambda: 1),
      ("test_parsing_attacks.py::test_a_key_twice_in_yaml", lambda: 1)]),
    ("Numbers out of range (5,001 digits, beyond 64 bits, 1e999, NaN, Infinity, .inf) in JSON, YAML, XML",
     [("test_parsing_attacks.py::test_a_number_out_of_range", lambda: 1)]),
    ("YAML alias expansion by bytes (also in a --mapping file)",
     [("test_parsing_attacks.py::test_aliases_of_one_large_string", lambda: 1),
      ("test_parsing_attacks.py::test_convert_writes_nothing_for_an_alias_bomb", lambda: 1)]),
    ("Quadratic XML: many attributes on one element, lines of many diagnostics",
     [("test_parsing_attacks.py::test_many_attributes", lambda: 1),
      ("test_parsing_attacks.py::test_lines_of_many_diagnostics", lambda: 1)]),
    ("XML in UTF-16 and UTF-32 (read), JSON in UTF-16 (refused naming it), undecodable, DOCTYPE in UTF-32",
     [("test_parsing_attacks.py::test_xml_in_utf16_and_utf32", lambda: 1),
      ("test_parsing_attacks.py::test_json_in_utf16", lambda: 1),
      ("test_parsing_attacks.py::test_utf16_that_does_not_decode", lambda: 1),
      ("test_parsing_attacks.py::test_a_doctype_in_utf32", lambda: 1)]),
    ("Characters XML cannot carry: refused, never replaced; text over 10 MB",
     [("test_parsing_attacks.py::test_characters_xml_cannot_carry", lambda: 1),
      ("test_parsing_attacks.py::test_convert_to_xml_writes_nothing", lambda: 4),
      ("test_parsing_attacks.py::test_a_character_reference", lambda: 1),
      ("test_parsing_attacks.py::test_text_over_libxml2s", lambda: 1)]),
    ("Dates near year 9999 and unreadable status dates in every command that counts days",
     [("test_parsing_attacks.py::test_dates_out_of_range", lambda: 11)]),
    ("Many problems in one file (… and K more)",
     [("test_parsing_attacks.py::test_many_unknown_keys", lambda: 2)]),
    ("Spreadsheets and CSV: row caps, mixed encodings, .xlsx named .csv",
     [("test_spreadsheets_and_options.py::test_a_csv_past_the_row_cap", lambda: 1),
      ("test_spreadsheets_and_options.py::test_a_csv_of_200000_rows", lambda: 1),
      ("test_spreadsheets_and_options.py::test_a_workbook_past_the_row_cap", lambda: 1),
      ("test_spreadsheets_and_options.py::test_a_csv_mixing", lambda: 1),
      ("test_spreadsheets_and_options.py::test_a_csv_in_one_encoding", lambda: 1),
      ("test_spreadsheets_and_options.py::test_a_workbook_named_csv", lambda: 1)]),
    ("Hostile --mapping files (alias bomb, deep nesting, duplicate key, not UTF-8)",
     [("test_spreadsheets_and_options.py::test_hostile_mapping_files", _len("test_spreadsheets_and_options",
                                                                            "MAPPINGS"))]),
    ("--exclude: invalid patterns, backtracking patterns on deep folders",
     [("test_spreadsheets_and_options.py::test_an_exclude_that_is_no_pattern", lambda: 1),
      ("test_spreadsheets_and_options.py::test_excludes_match_in_linear_time", lambda: 1)]),
    ("Text output steered by names and values (workflow commands, escapes, line separators)",
     [("test_spreadsheets_and_options.py::test_names_and_values_cannot_start", _len(
         "test_spreadsheets_and_options", "STEERING", 2)),
      ("test_spreadsheets_and_options.py::test_command_line_errors_are_escaped", lambda: 1)]),
    ("CI-like validate over every hostile file at once (3 runs: text, json with 2 jobs, sarif)",
     [("test_ci_run.py::test_validate_over_every_attack_at_once", _every)]),
]  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "junit.xml"
        files = sorted({entry.split("::")[0] for _, tests in CLASSES for entry, _ in tests})
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
             *(f"tests/robustness/{name}" for name in files)],
            cwd=ROOT, check=False, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        cases = ET.parse(report).getroot().iter("testcase")
        outcome: dict[str, list[bool]] = {}
        for case in cases:
            module = (case.get("classname") or "").rsplit(".", 1)[-1]
            failed = any(child.tag in ("failure", "error", "skipped") for child in case)
            outcome.setdefault(f"{module}.py::{case.get('name')}", []).append(not failed)
    print("| Attack class | Tried | Survived | Tests |")
    print("|---|---|---|---|")
    total_tried = total_survived = 0
    for title, tests in CLASSES:
        tried = survived = 0
        names = []
        for entry, count in tests:
            results = [ok for name, oks in outcome.items() if name.startswith(entry) for ok in oks]
            per_case = count()
            tried += per_case * len(results)
            survived += per_case * sum(results)
            names.append(entry.split("::")[1] + (f" (×{len(results)})" if len(results) > 1 else ""))
        total_tried += tried
        total_survived += survived
        print(f"| {title} | {tried} | {survived} | `{'`, `'.join(names)}` |")
    print(f"| **All** | **{total_tried}** | **{total_survived}** | |")


if __name__ == "__main__":
    main()
