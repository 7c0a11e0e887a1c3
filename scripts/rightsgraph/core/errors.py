"""Errors a user can act on, each with the exit code the command line returns for it.

Exit codes are the same for every command:
0 success, 1 validation failed (or a check found problems), 2 bad input or usage,
3 endpoint or network failure.
"""

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_INPUT = 2
EXIT_ENDPOINT = 3


class RightsgraphError(Exception):
    """An error with a message meant for the user, printed without a traceback."""

    exit_code = EXIT_INPUT


class InputError(RightsgraphError):
    """A file, folder, query name or parameter that cannot be used as given."""

    exit_code = EXIT_INPUT


class EndpointError(RightsgraphError):
    """A SPARQL endpoint that is down, slow, refuses us or answers nonsense."""

    exit_code = EXIT_ENDPOINT


class ValidationFailed(RightsgraphError):
    """The data does not conform to the shapes."""

    exit_code = EXIT_INVALID
