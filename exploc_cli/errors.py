"""Domain exceptions. Every message is French and names the file, row and column when known."""

from __future__ import annotations


class ExplocError(Exception):
    """Base of every error exploc reports to its user (exit code 3 unless said otherwise)."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class ConfigError(ExplocError):
    """The configuration file or a mapping profile is invalid."""


class SourceFileError(ExplocError):
    """A partner file cannot be read as a whole (encoding, format, headers...)."""

    def __init__(self, path: str, message: str, hint: str | None = None) -> None:
        super().__init__(f"{path} : {message}", hint)
        self.path = path


class MappingError(ExplocError):
    """A mapping profile does not fit the file it is applied to."""


class StoreError(ExplocError):
    """The store cannot be opened or is in an unexpected state."""


class StoreNotInitialised(StoreError):
    """The store does not exist or its schema is not up to date."""


class LockBusyError(ExplocError):
    """Another import holds the import lock (exit code 6)."""


class StoreBusyError(LockBusyError):
    """Another process held the base's write lock longer than the configured wait (exit code 6)."""


class NotFoundError(ExplocError):
    """A numbered object (lot, ménage, séance...) does not exist."""


class RightsError(ExplocError):
    """The server refused an operation: the role in use lacks a right (exit code 7)."""
