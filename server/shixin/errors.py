"""One error hierarchy for the whole domain, each error carrying its status.

Domain modules raise these; the gRPC layer maps them to status codes in one
place (``shixin.service.grpc_errors``) and the CLI prints their message. The
``reason`` is a stable UPPER_SNAKE identifier (google.rpc.ErrorInfo.reason);
``field`` names the request field at fault, when there is one.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Outcome classes, named after the gRPC codes they map to."""

    INVALID_ARGUMENT = "INVALID_ARGUMENT"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FAILED_PRECONDITION = "FAILED_PRECONDITION"
    RESOURCE_EXHAUSTED = "RESOURCE_EXHAUSTED"
    ALREADY_EXISTS = "ALREADY_EXISTS"
    INTERNAL = "INTERNAL"


class ShixinError(Exception):
    """Base error: a status, a stable reason, a message for people, maybe a field."""

    status: Status = Status.INTERNAL

    def __init__(self, message: str, *, reason: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.reason = reason or self.status.value
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class InvalidArgument(ShixinError):
    """The request or input row is malformed."""

    status = Status.INVALID_ARGUMENT


class NotFound(ShixinError):
    """The record (or other resource) does not exist for this caller."""

    status = Status.NOT_FOUND


class PermissionDenied(ShixinError):
    """The caller is known but its role does not allow this."""

    status = Status.PERMISSION_DENIED


class Unauthenticated(ShixinError):
    """The caller gave no credentials, or credentials we do not accept."""

    status = Status.UNAUTHENTICATED


class FailedPrecondition(ShixinError):
    """The request is well formed but the state does not allow it (illegal transition)."""

    status = Status.FAILED_PRECONDITION


class ResourceExhausted(ShixinError):
    """Rate limit exceeded."""

    status = Status.RESOURCE_EXHAUSTED
