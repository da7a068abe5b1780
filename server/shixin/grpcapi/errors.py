"""Errors → gRPC status with google.rpc details, in one place.

Domain errors (:class:`shixin.errors.ShixinError`) carry their status; two
conditions of the transport are added here: the audit log cannot record the
call (UNAVAILABLE — fail closed: a look-up that cannot be recorded is not
answered) and an unexpected error (INTERNAL, without its details).
"""

from __future__ import annotations

from typing import NoReturn

import grpc
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from shixin.errors import ResourceExhausted, ShixinError

DOMAIN = "shixin.v1"


class RateLimited(ResourceExhausted):
    """Too many calls from one client; ``retry_after`` seconds until the next may pass."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message, reason="RATE_LIMITED")
        self.retry_after = retry_after


def _info(reason: str, metadata: dict[str, str]) -> any_pb2.Any:
    info = any_pb2.Any()
    info.Pack(error_details_pb2.ErrorInfo(reason=reason, domain=DOMAIN, metadata=metadata))
    return info


def to_status(exc: ShixinError) -> status_pb2.Status:
    """The google.rpc.Status for an error: ErrorInfo always, BadRequest when a field is at fault,
    RetryInfo when the caller is rate-limited."""
    code = getattr(code_pb2, exc.status.value)
    details = [_info(exc.reason, {"field": exc.field} if exc.field else {})]
    if exc.field:
        bad = any_pb2.Any()
        bad.Pack(error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=exc.field, description=exc.message)
        ]))
        details.append(bad)
    if isinstance(exc, RateLimited):
        delay = duration_pb2.Duration()
        delay.FromNanoseconds(max(1, int(exc.retry_after * 1e9)))
        retry = any_pb2.Any()
        retry.Pack(error_details_pb2.RetryInfo(retry_delay=delay))
        details.append(retry)
    return status_pb2.Status(code=code, message=str(exc), details=details)


def abort(context: grpc.ServicerContext, exc: ShixinError) -> NoReturn:
    """Abort the call with the rich status of ``exc``."""
    context.abort_with_status(rpc_status.to_status(to_status(exc)))
    raise AssertionError("unreachable")  # abort_with_status raises


def abort_code(context: grpc.ServicerContext, code: str, message: str, reason: str) -> NoReturn:
    """Abort with a status of the transport (``UNAVAILABLE``, ``INTERNAL``) and its ErrorInfo."""
    status = status_pb2.Status(code=getattr(code_pb2, code), message=message,
                               details=[_info(reason, {})])
    context.abort_with_status(rpc_status.to_status(status))
    raise AssertionError("unreachable")
