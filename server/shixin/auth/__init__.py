"""Authentication and authorisation primitives: roles, policy, tokens, certificates, limits.

Pure pieces with no gRPC and no storage: the interceptors authenticate a call
(token via :mod:`shixin.auth.tokens`, client certificate via
:mod:`shixin.auth.certs`), build a :class:`Principal`, and ask
:mod:`shixin.auth.policy` before acting.
"""

from shixin.auth.certs import (
    CertIdentity,
    CertKey,
    create_ca,
    identity_from_cert,
    issue_client_cert,
    issue_server_cert,
    load_cert_key,
    unit_from_cert,
)
from shixin.auth.errors import (
    AuthError,
    CertificateIdentityError,
    InvalidTokenError,
    PermissionDenied,
)
from shixin.auth.policy import (
    can_see_full_ids,
    can_see_nonpublic,
    check_match,
    check_public_query,
    check_push,
)
from shixin.auth.ratelimit import Decision, RateLimiter
from shixin.auth.roles import PUBLIC_PREFIX, Principal, Role
from shixin.auth.tokens import (
    check_token,
    hash_token,
    new_token,
    parse_token,
    token_id,
    verify_token,
)

__all__ = [
    "PUBLIC_PREFIX",
    "AuthError",
    "CertIdentity",
    "CertKey",
    "CertificateIdentityError",
    "Decision",
    "InvalidTokenError",
    "PermissionDenied",
    "Principal",
    "RateLimiter",
    "Role",
    "can_see_full_ids",
    "can_see_nonpublic",
    "check_match",
    "check_public_query",
    "check_push",
    "check_token",
    "create_ca",
    "hash_token",
    "identity_from_cert",
    "issue_client_cert",
    "issue_server_cert",
    "load_cert_key",
    "new_token",
    "parse_token",
    "token_id",
    "unit_from_cert",
    "verify_token",
]
