"""The exception types whose message is shown to the user as it is."""

from __future__ import annotations

from pathlib import Path


class UserError(Exception):
    """Bad input or an impossible request; the message is one Chinese sentence saying what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class DatabaseUnavailable(UserError):
    """A database file that cannot be opened as this program's registry; the window offers another file."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.path = Path(path) if path is not None else None


class DatabaseMissing(DatabaseUnavailable):
    """The file named does not exist (and creating it was not asked for)."""


class NotRegistryDatabase(DatabaseUnavailable):
    """The file exists but is not this program's database (another program's, or not SQLite at all)."""


class DatabaseDamaged(DatabaseUnavailable):
    """The database file is corrupt: its pages fail SQLite's check, or a read hit a damaged page."""


class DatabaseBusy(UserError):
    """Another program held the database's write lock for longer than we wait; nothing was changed."""
