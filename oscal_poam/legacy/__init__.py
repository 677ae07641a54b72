"""Legacy POA&M spreadsheets (FedRAMP, eMASS, ad-hoc sheets and CSV) to OSCAL and back.

The public API is `import_poam` and `export_poam` in `oscal_poam.legacy.api`.
"""
