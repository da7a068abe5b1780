"""A connection to a shixin server with the caller's credentials attached."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import grpc

from shixin.client.config import SYSTEM_CA, ClientConfig
from shixin.v1 import admin_service_pb2 as admin_pb
from shixin.v1 import admin_service_pb2_grpc as admin_grpc
from shixin.v1 import feed_service_pb2 as feed_pb
from shixin.v1 import feed_service_pb2_grpc as feed_grpc
from shixin.v1 import match_service_pb2 as match_pb
from shixin.v1 import match_service_pb2_grpc as match_grpc
from shixin.v1 import measure_service_pb2 as measure_pb
from shixin.v1 import measure_service_pb2_grpc as measure_grpc
from shixin.v1 import record_service_pb2 as record_pb
from shixin.v1 import record_service_pb2_grpc as record_grpc
from shixin.v1 import types_pb2

KINDS: dict[str, types_pb2.SubjectKind.ValueType] = {
    "person": types_pb2.SUBJECT_KIND_PERSON,
    "organization": types_pb2.SUBJECT_KIND_ORGANIZATION,
    "": types_pb2.SUBJECT_KIND_UNSPECIFIED,
}


def _loopback(target: str) -> bool:
    """Whether a gRPC target names this host (plaintext is acceptable only there)."""
    host = target.removeprefix("dns:///").removeprefix("ipv4:").removeprefix("ipv6:")
    if host.startswith("unix:"):
        return True
    host = host.rsplit(":", 1)[0] if host.count(":") == 1 or host.startswith("[") else host
    host = host.strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ShixinClient:
    """Thin typed wrapper over the generated stubs, adding credentials to every call."""

    def __init__(self, config: ClientConfig, *, timeout: float = 30.0) -> None:
        self.config = config
        self.timeout = timeout
        options: list[tuple[str, Any]] = [("grpc.max_receive_message_length", 32 << 20)]
        if config.secure:
            ca = (Path(config.ca).read_bytes() if config.ca and config.ca != SYSTEM_CA
                  else None)
            key = Path(config.client_key).read_bytes() if config.client_key else None
            cert = Path(config.client_cert).read_bytes() if config.client_cert else None
            creds = grpc.ssl_channel_credentials(root_certificates=ca, private_key=key,
                                                 certificate_chain=cert)
            if config.server_name:
                options.append(("grpc.ssl_target_name_override", config.server_name))
            self.channel = grpc.secure_channel(config.server, creds, options=options)
        else:
            if config.token and not _loopback(config.server):
                raise ValueError(
                    f"refusing to send a bearer token in clear text to {config.server}: "
                    f"give the server's CA (--ca / SHIXIN_CA), or '{SYSTEM_CA}' for the "
                    "system's CAs")
            self.channel = grpc.insecure_channel(config.server, options=options)
        metadata: list[tuple[str, str | bytes]] = []
        if config.token:
            metadata.append(("authorization", f"Bearer {config.token}"))
        if config.principal:
            # Metadata is ASCII: court names are percent-encoded (the server decodes).
            metadata.append(("x-shixin-principal", quote(config.principal, safe=":")))
        elif config.unit and not config.token and not config.client_cert:
            # Development servers trust this; authenticating servers ignore it.
            metadata.append(("x-shixin-principal", f"unit:{config.unit}"))
        self.metadata = tuple(metadata)
        self.match_stub = match_grpc.MatchServiceStub(self.channel)
        self.record_stub = record_grpc.RecordServiceStub(self.channel)
        self.feed_stub = feed_grpc.FeedServiceStub(self.channel)
        self.measure_stub = measure_grpc.MeasureServiceStub(self.channel)
        self.admin_stub = admin_grpc.AdminServiceStub(self.channel)

    def close(self) -> None:
        """Close the channel."""
        self.channel.close()

    def __enter__(self) -> ShixinClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def wait_ready(self, timeout: float = 10.0) -> None:
        """Block until the channel is connected (raises grpc.FutureTimeoutError)."""
        grpc.channel_ready_future(self.channel).result(timeout=timeout)

    @staticmethod
    def subject(name: str = "", id_number: str = "", kind: str = "",
                **extra: Any) -> match_pb.Subject:
        """A Subject message."""
        return match_pb.Subject(name=name, id_number=id_number,
                                kind=KINDS.get(kind, types_pb2.SUBJECT_KIND_UNSPECIFIED), **extra)

    def match(self, name: str = "", id_number: str = "", kind: str = "", *, purpose: str = "",
              max_hits: int = 10, include_inactive: bool = False,
              timeout: float | None = None) -> match_pb.MatchResponse:
        """Match one subject."""
        request = match_pb.MatchRequest(
            subject=self.subject(name, id_number, kind), purpose=purpose or self.config.purpose,
            unit=self.config.unit, max_hits=max_hits, include_inactive=include_inactive)
        response: match_pb.MatchResponse = self.match_stub.Match(
            request, timeout=timeout or self.timeout, metadata=self.metadata)
        return response

    def batch_match(self, messages: Iterable[match_pb.BatchMatchRequest],
                    timeout: float | None = None) -> Iterator[match_pb.BatchMatchResponse]:
        """Stream batch messages; yields one response per request message, in order."""
        return self.match_stub.BatchMatch(iter(messages), timeout=timeout,
                                          metadata=self.metadata)

    def get_record(self, **key: str) -> record_pb.GetRecordResponse:
        """Get one record by record_id or case number + debtor key."""
        return self.record_stub.GetRecord(record_pb.GetRecordRequest(**key),
                                          timeout=self.timeout, metadata=self.metadata)

    def history(self, **key: str) -> record_pb.GetRecordHistoryResponse:
        """A record with its whole history."""
        return self.record_stub.GetRecordHistory(
            record_pb.GetRecordHistoryRequest(**key), timeout=self.timeout,
            metadata=self.metadata)

    def push(self, items: Iterable[record_pb.PushRecordsRequest],
             timeout: float | None = None) -> Iterator[record_pb.PushRecordsResponse]:
        """Push records/events; one acknowledgement per item."""
        return self.record_stub.PushRecords(iter(items), timeout=timeout,
                                            metadata=self.metadata)

    def overdue(self, court: str = "", as_of: str = "") -> record_pb.ListOverdueResponse:
        """Overdue court actions."""
        return self.record_stub.ListOverdue(
            record_pb.ListOverdueRequest(court=court, as_of=as_of), timeout=self.timeout,
            metadata=self.metadata)

    def watch(self, after: int = 0, *, follow: bool = False, page_size: int = 100,
              timeout: float | None = None) -> Iterator[feed_pb.WatchChangesResponse]:
        """The change feed after a sequence number."""
        return self.feed_stub.WatchChanges(
            feed_pb.WatchChangesRequest(after_sequence=after, follow=follow,
                                        page_size=page_size, unit=self.config.unit),
            timeout=timeout, metadata=self.metadata)

    def acknowledge(self, sequence: int, retained: list[feed_pb.RetainedMeasure] | None = None,
                    note: str = "") -> feed_pb.AcknowledgeChangeResponse:
        """Acknowledge a deactivation."""
        return self.feed_stub.AcknowledgeChange(
            feed_pb.AcknowledgeChangeRequest(sequence=sequence, unit=self.config.unit,
                                             retained=retained or [], note=note),
            timeout=self.timeout, metadata=self.metadata)

    def unacknowledged(self, unit: str = "", grace_days: int = 3,
                       as_of: str = "") -> feed_pb.ListUnacknowledgedResponse:
        """Deactivations not acknowledged in time."""
        return self.feed_stub.ListUnacknowledged(
            feed_pb.ListUnacknowledgedRequest(unit=unit, grace_days=grace_days, as_of=as_of),
            timeout=self.timeout, metadata=self.metadata)

    def measures(self, unit: str = "") -> list[measure_pb.Measure]:
        """Every measure (all pages)."""
        out: list[measure_pb.Measure] = []
        token = ""
        while True:
            resp = self.measure_stub.ListMeasures(
                measure_pb.ListMeasuresRequest(page_size=200, page_token=token, unit=unit),
                timeout=self.timeout, metadata=self.metadata)
            out.extend(resp.measures)
            token = resp.next_page_token
            if not token:
                return out

    def whoami(self) -> admin_pb.WhoAmIResponse:
        """Who the server takes us to be."""
        return self.admin_stub.WhoAmI(admin_pb.WhoAmIRequest(),
                                      timeout=self.timeout, metadata=self.metadata)

    def create_token(self, role: str, principal: str,
                     note: str = "") -> admin_pb.CreateTokenResponse:
        """Issue a bearer token (admin)."""
        return self.admin_stub.CreateToken(
            admin_pb.CreateTokenRequest(role=role, principal=principal, note=note),
            timeout=self.timeout, metadata=self.metadata)

    def revoke_token(self, token_id: str) -> admin_pb.RevokeTokenResponse:
        """Revoke a bearer token (admin)."""
        return self.admin_stub.RevokeToken(
            admin_pb.RevokeTokenRequest(token_id=token_id), timeout=self.timeout,
            metadata=self.metadata)

    def list_tokens(self, principal: str = "") -> list[admin_pb.TokenInfo]:
        """Issued tokens, without secrets (admin)."""
        resp = self.admin_stub.ListTokens(admin_pb.ListTokensRequest(principal=principal),
                                          timeout=self.timeout, metadata=self.metadata)
        return list(resp.tokens)

    def audit_entries(self, *, principal: str = "", subject: str = "", since: str = "",
                      until: str = "", action: str = "",
                      page_size: int = 1000) -> Iterator[str]:
        """Audit entries as JSON lines, oldest first, every page (admin)."""
        token = ""
        while True:
            resp = self.admin_stub.ListAuditEntries(
                admin_pb.ListAuditEntriesRequest(principal=principal, subject=subject,
                                                 since=since, until=until, action=action,
                                                 page_size=page_size, page_token=token),
                timeout=self.timeout, metadata=self.metadata)
            yield from resp.entries_json
            token = resp.next_page_token
            if not token:
                return

    def verify_audit(self) -> admin_pb.VerifyAuditResponse:
        """Verify the server's audit chain (admin)."""
        return self.admin_stub.VerifyAudit(
            admin_pb.VerifyAuditRequest(), timeout=self.timeout, metadata=self.metadata)
