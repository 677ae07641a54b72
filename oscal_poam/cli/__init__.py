"""The command line: thin wrappers that parse options, call the library, print, and exit."""
