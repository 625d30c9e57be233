"""Exceptions carrying a message meant for the user.

A :class:`CgetError` is a user error or an external failure (bad code, server down, corrupt
download): its message is already translated, names the input and says what to do. Processing
algorithms turn it into a ``QgsProcessingException``; the GUI shows it in the message bar.
Anything else is a bug and keeps its traceback.
"""


class CgetError(Exception):
    """An error the user can act on; ``str(err)`` is the translated message."""


class InputError(CgetError):
    """A parameter or input dataset is wrong (unknown code, missing field, bad geometry type)."""


class NetworkError(CgetError):
    """A remote service failed (HTTP error, timeout, quota, unexpected content)."""

    def __init__(self, message, status=None, url=None):
        super().__init__(message)
        self.status = status
        self.url = url


class QuotaError(NetworkError):
    """The remote service refused because a quota or rate limit was reached."""


class DataError(CgetError):
    """A downloaded or local file is unreadable, truncated or not what was expected."""


class CancelledError(CgetError):
    """The user cancelled the operation; partial results must not be used as complete."""
