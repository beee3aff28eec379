"""What the command line's modules share."""


class UsageError(Exception):
    """Wrong usage of the command line (exit code 2)."""
