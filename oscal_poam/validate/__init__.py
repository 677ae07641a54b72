"""Validating a repository of OSCAL documents: which files, each file, and many files at once."""
