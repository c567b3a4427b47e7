"""Errors that are the user's to fix (bad input, unknown names): shown without a traceback."""


class UsageProblem(Exception):
    """Bad input from the user: the CLI prints the message and exits with status 2."""


class ArenaError(Exception):
    """A runtime failure worth a clear message (exit status 1), not a traceback."""
