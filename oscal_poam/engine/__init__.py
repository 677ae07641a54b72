"""The rule engine: the facts of the documents a command is given in, one verdict and its diagnostics out."""
