"""Errors of the measure catalogue, in the project's error hierarchy."""

from __future__ import annotations

from shixin.errors import NotFound, ShixinError


class CatalogueError(ShixinError, ValueError):
    """The catalogue data is malformed; the message names the file, entry and field at fault.

    A broken catalogue is a bug in the shipped data, so the status stays INTERNAL.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="CATALOGUE_INVALID")


class UnknownCodeError(NotFound, KeyError):
    """No measure or unit has this code.

    A ``KeyError`` for dictionary-style callers, ``NotFound`` for the gRPC layer.
    """
