"""The one exception type whose message is shown to the user as it is."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or an impossible request; the message is one Chinese sentence saying what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
