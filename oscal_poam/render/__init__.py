"""The same diagnostics, rendered as text, JSON and SARIF 2.1.0 (`render.formats.render`).

The package imports nothing itself: the commands import `render.counts` for their summary lines, and SARIF brings
the schema and constraint modules with it, which `oscal-poam --version` must not load.
"""
