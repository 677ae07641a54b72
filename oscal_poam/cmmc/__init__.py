"""CMMC knowledge: the catalogs, the vocabulary of props, and the assessment's reading of results."""
