"""Command line: parses the arguments and dispatches to each feature's commands."""
