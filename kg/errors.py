"""Errors of Huaihai KG. Each message says what went wrong and what to do about it.

The command line turns a :class:`KGError` into a one-line message and a non-zero
exit code; any other exception is a bug and keeps its traceback.
"""

__all__ = ["KGError", "InputError", "OutputError", "ExtractionError", "QueryError",
           "ValidationError", "StoreError", "ServerError"]


class KGError(Exception):
    """Base class of the errors this package raises on purpose."""

    exit_code = 2


class InputError(KGError):
    """A file or folder could not be read: missing, unreadable, binary, or not text."""


class OutputError(KGError, OSError):
    """An output file or folder could not be written: no permission, a folder or a file in
    the way, no such place, a full disk. The previous output is left as it was.

    An :class:`OSError` too (``errno`` is the failure's), for callers that catch those."""

    def __str__(self):
        return self.strerror if self.strerror is not None else super().__str__()


class ExtractionError(KGError):
    """The extractor was asked for something it cannot do (bad date, bad option)."""


class QueryError(KGError):
    """A SPARQL query could not be run: a syntax error, an unknown named query, a bad parameter."""


class ValidationError(KGError):
    """A graph does not conform to the SHACL shapes."""

    exit_code = 1


class StoreError(KGError):
    """The graph store could not be opened, read or written."""


class ServerError(KGError):
    """A remote SPARQL server refused a request or could not be reached."""
