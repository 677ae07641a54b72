"""What changed between two versions of a POA&M: items, milestones, owners, resources and statuses.

`snapshot` reads a POA&M (through its facts, `oscal_poam.facts.poam`) into what people track of it; `compare`
lists the changes from one snapshot to the next; `render` writes them as text, JSON or Markdown. The trends of a
repository's history (`oscal_poam.history`) are built on the same snapshots and the same comparison.
"""
