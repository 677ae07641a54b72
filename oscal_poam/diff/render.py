"""A POA&M diff as text (a terminal, `git diff`), JSON (machines) and Markdown (a pull request comment), and the
one-fact-per-line form `git diff` compares through a textconv filter.

Text from the documents is made printable (`oscal_poam.quoting.printable`) in text, escaped in Markdown, and
kept as it is in JSON.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from oscal_poam.diff.api import FileDiff, Version
from oscal_poam.diff.compare import Change, ChangeKind, PoamDiff
from oscal_poam.diff.snapshot import PoamState
from oscal_poam.quoting import printable
from oscal_poam.report.markdown import escape

WORDS: dict[ChangeKind, tuple[str, str]] = {
    "status-date-changed": ("status date changed", "status dates changed"),
    "item-added": ("item added", "items added"),
    "item-removed": ("item removed", "items removed"),
    "item-closed": ("item closed", "items closed"),
    "item-reopened": ("item reopened", "items reopened"),
    "status-changed": ("status changed", "statuses changed"),
    "owner-changed": ("owner changed", "owners changed"),
    "resources-changed": ("resources changed", "resources changed"),
    "milestone-added": ("milestone added", "milestones added"),
    "milestone-removed": ("milestone removed", "milestones removed"),
    "milestone-moved": ("milestone moved", "milestones moved"),
    "milestone-completed": ("milestone completed", "milestones completed"),
    "milestone-reopened": ("milestone reopened", "milestones reopened"),
}
"""How each kind of change reads, one and many."""


def summary(diff: PoamDiff) -> str:
    """`3 changes: 1 item closed, 2 milestones moved`, or `no changes`."""
    counts = diff.counts()
    if not counts:
        return "no changes"
    total = len(diff.changes)
    parts = [f"{n} {WORDS[kind][0 if n == 1 else 1]}" for kind, n in counts.items()]  # type: ignore[index]
    return f"{total} change{'' if total == 1 else 's'}: {', '.join(parts)}"


def _moved(change: Change) -> str:
    if change.days is None:
        return ""
    return f" ({'+' if change.days > 0 else ''}{change.days} day{'' if abs(change.days) == 1 else 's'})"


def describe(change: Change) -> str:
    """The change in words, without its item: `milestone "Deploy" moved 2026-12-01 -> 2027-01-15 (+45 days)`."""
    what = WORDS[change.kind][0]
    if change.milestone:
        what = f'milestone "{change.milestone}" {what.split(" ", 1)[1]}'
    before, after = change.before or "none", change.after or "none"
    if change.kind in ("item-added", "milestone-added"):
        detail = f": {after}" if change.after else ""
    elif change.kind in ("item-removed", "milestone-removed"):
        detail = f" (was {before})" if change.before else ""
    elif change.kind == "milestone-completed":
        detail = f" on {after}" if change.after else ""
    elif change.kind == "milestone-reopened":
        detail = ""
    else:
        detail = f": {before} -> {after}{_moved(change)}"
    text = what + detail
    if change.justification is not None:
        text += f"; why ({change.justification.source}): {change.justification.text}"
    elif change.slipped:
        text += "; no justification recorded"
    return text


def standing_moves(found: FileDiff) -> list[tuple[str, str, str]]:
    """(what, before, after) for the recorded status and score, where they differ."""
    before, after = found.old.standing, found.new.standing
    moves = [
        ("status", before.status if before else "", after.status if after else ""),
        ("recorded score", before.score if before else "", after.score if after else ""),
    ]
    return [(what, old or "none", new or "none") for what, old, new in moves if old != new]


def render_text(found: FileDiff) -> str:
    diff, old_name, new_name = found.diff, found.old.name, found.new.name
    lines = [printable(f"{old_name} -> {new_name}: {summary(diff)}")]
    lines.extend(printable(f"  {what}: {old} -> {new}") for what, old, new in standing_moves(found))
    width = max((len(c.item) for c in diff.changes), default=0)
    for change in diff.changes:
        lines.append(printable(f"  {(change.item or 'POA&M').ljust(width)}  {describe(change)}"))
    return "\n".join(lines) + "\n"


def to_dict(found: FileDiff) -> dict[str, Any]:
    diff = found.diff
    return {
        "old": _version(found.old),
        "new": _version(found.new),
        "summary": diff.counts(),
        "changes": [c.to_dict() for c in diff.changes],
    }


def _version(version: Version) -> dict[str, Any]:
    state: PoamState = version.state
    return {
        "document": version.name,
        "exists": version.standing is not None,
        "title": state.title or None,
        "items": len(state.items),
        "open-items": state.open_items,
        "status-date": state.status_date.isoformat() if state.status_date else None,
        "standing": version.standing.to_dict() if version.standing is not None else None,
    }


def render_json(found: FileDiff) -> str:
    return json.dumps(to_dict(found), indent=2, ensure_ascii=False) + "\n"


def render_markdown(found: FileDiff) -> str:
    """A pull request comment: the summary, how the recorded status and score moved, one table row per change."""
    diff, old_name, new_name = found.diff, found.old.name, found.new.name
    title = escape(diff.new.title or diff.old.title or new_name)
    lines = [
        f"### POA&M changes: {title}",
        "",
        f"`{_code(old_name)}` → `{_code(new_name)}`: **{escape(summary(diff))}**. Open items: "
        f"{diff.old.open_items} → {diff.new.open_items}.",
    ]
    moved = standing_moves(found)
    if moved:
        lines += ["", *(f"- {what}: {escape(old)} → {escape(new)}" for what, old, new in moved)]
    if diff.changes:
        lines += ["", "| Item | Change | Before | After | Note |", "|---|---|---|---|---|"]
        for c in diff.changes:
            what = WORDS[c.kind][0]
            if c.milestone:
                what += f": {escape(c.milestone)}"
            note = ""
            if c.days is not None:
                note = _moved(c).strip(" ()")
            if c.justification is not None:
                note += f"{'; ' if note else ''}why ({c.justification.source}): {escape(c.justification.text)}"
            elif c.slipped:
                note += "; **no justification recorded**"
            cells = (escape(c.item or "POA&M"), what, escape(c.before), escape(c.after), note)
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _code(name: str) -> str:
    return printable(name).replace("`", "'")


def textconv(state: PoamState) -> str:
    """The POA&M one fact per line, sorted within each item, for `git diff` through a textconv filter.

    Lines start with the item's label, so that a changed fact shows as one removed and one added line under it.
    """
    lines = [printable(f"POA&M {state.title}"), f"status date: {_day(state.status_date)}"]
    for item in sorted(state.items, key=lambda i: (i.label, i.uuid)):
        head = printable(item.label)
        lines.append(f"{head}: status {printable(item.status or 'none')}")
        lines.extend(f"{head}: owner {printable(owner)}" for owner in item.owners)
        lines.extend(f"{head}: resources {printable(r)}" for r in item.resources)
        for m in sorted(item.milestones, key=lambda m: (m.due is None, m.due or dt.date.min, m.title)):
            done = f", completed {_day(m.completed_on)}" if m.completed else ""
            lines.append(printable(f'{head}: milestone "{m.title}" due {_day(m.due)}{done}'))
    return "\n".join(lines) + "\n"


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else "none"
