"""CMMC and OSCAL rules over typed facts; each yields Diagnostics.

Each module declares its rules (`registry.rule`) beside the code that reports them. The engine
(`oscal_poam.engine`) decides which run; `oscal_poam.engine.ruleset.all_rules` lists them all.
"""
