"""ShixinError → gRPC status with google.rpc details, in one place."""

from __future__ import annotations

from typing import NoReturn

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2
from grpc_status import rpc_status

from shixin.errors import ShixinError

DOMAIN = "shixin.v1"


def to_status(exc: ShixinError) -> status_pb2.Status:
    """The google.rpc.Status for an error: ErrorInfo always, BadRequest when a field is at fault."""
    code = getattr(code_pb2, exc.status.value)
    details = []
    info = any_pb2.Any()
    info.Pack(error_details_pb2.ErrorInfo(reason=exc.reason, domain=DOMAIN,
                                          metadata={"field": exc.field} if exc.field else {}))
    details.append(info)
    if exc.field:
        bad = any_pb2.Any()
        bad.Pack(error_details_pb2.BadRequest(field_violations=[
            error_details_pb2.BadRequest.FieldViolation(field=exc.field, description=exc.message)
        ]))
        details.append(bad)
    return status_pb2.Status(code=code, message=str(exc), details=details)


def abort(context: grpc.ServicerContext, exc: ShixinError) -> NoReturn:
    """Abort the call with the rich status of ``exc``."""
    context.abort_with_status(rpc_status.to_status(to_status(exc)))
    raise AssertionError("unreachable")  # abort_with_status raises
