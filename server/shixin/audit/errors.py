"""Errors raised by the audit log.

They are distinct types so the gRPC layer can map them: a corrupt log must stop
the server from starting, an unavailable log must refuse the look-up (a query
that cannot be recorded must not be answered).
"""


class AuditError(Exception):
    """Base class of every audit-log error."""


class AuditCorruptError(AuditError):
    """The existing log cannot be continued: extending it would hide the damage."""


class AuditUnavailableError(AuditError):
    """The log cannot accept entries (writer failed, backlog full, or closed)."""


class AuditClosedError(AuditUnavailableError):
    """The log was closed; nothing more can be appended."""
