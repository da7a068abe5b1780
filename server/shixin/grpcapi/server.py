"""Building and running the gRPC server (sync thread-pool flavour: fastest here)."""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import dataclass

import grpc
import structlog
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from shixin.audit import AuditLog
from shixin.auth import RateLimiter
from shixin.grpcapi.admin_servicer import AdminServicer
from shixin.grpcapi.calls import CallDeps
from shixin.grpcapi.feed_servicer import FeedServicer
from shixin.grpcapi.identity import Authenticator
from shixin.grpcapi.match_servicer import MatchServicer
from shixin.grpcapi.measure_servicer import MeasureServicer
from shixin.grpcapi.record_servicer import RecordServicer
from shixin.measures import load_catalogue
from shixin.service.clock import Clock, china_today, fixed
from shixin.service.feed import FeedService
from shixin.service.ledger import ToldLedger
from shixin.service.queries import QueryService
from shixin.service.records import RecordService
from shixin.settings import Settings
from shixin.store import Store
from shixin.v1 import (
    admin_service_pb2,
    admin_service_pb2_grpc,
    feed_service_pb2,
    feed_service_pb2_grpc,
    match_service_pb2,
    match_service_pb2_grpc,
    measure_service_pb2,
    measure_service_pb2_grpc,
    record_service_pb2,
    record_service_pb2_grpc,
)

log = structlog.get_logger(__name__)

SERVICE_NAMES = (
    match_service_pb2.DESCRIPTOR.services_by_name["MatchService"].full_name,
    record_service_pb2.DESCRIPTOR.services_by_name["RecordService"].full_name,
    feed_service_pb2.DESCRIPTOR.services_by_name["FeedService"].full_name,
    measure_service_pb2.DESCRIPTOR.services_by_name["MeasureService"].full_name,
    admin_service_pb2.DESCRIPTOR.services_by_name["AdminService"].full_name,
)


@dataclass
class Running:
    """A started server and what must be closed with it."""

    server: grpc.Server
    port: int
    store: Store
    ledger: ToldLedger
    audit: AuditLog
    health: health.HealthServicer

    def stop(self, grace: float = 2.0) -> None:
        """Graceful stop: refuse new calls, finish running ones, flush ledgers."""
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()
        self.ledger.close()
        self.audit.close()
        self.store.close()


def create_server(settings: Settings, *, clock: Clock | None = None) -> Running:
    """Build, bind and start the server; returns it with its port (bind port 0 in tests)."""
    store = Store(settings.data)
    today: Clock = clock or (fixed(settings.today) if settings.today else china_today)
    catalogue = load_catalogue()
    ledger = ToldLedger(store)
    audit = AuditLog(settings.data / "audit.jsonl", key=settings.audit_key)
    deps = CallDeps(
        auth=Authenticator(store, catalogue, dev_mode=settings.dev_auth),
        audit=audit,
        public_limiter=RateLimiter(rate=settings.public_rate, burst=settings.public_burst),
    )
    records = RecordService(store, today)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="rpc"),
        options=[("grpc.max_receive_message_length", 32 << 20),
                 ("grpc.so_reuseport", 0)],
    )
    match_service_pb2_grpc.add_MatchServiceServicer_to_server(
        MatchServicer(deps, QueryService(store, today, ledger, catalogue)), server)
    record_service_pb2_grpc.add_RecordServiceServicer_to_server(
        RecordServicer(deps, records), server)
    feed_service_pb2_grpc.add_FeedServiceServicer_to_server(
        FeedServicer(deps, FeedService(store, today, ledger, records.changed)), server)
    measure_service_pb2_grpc.add_MeasureServiceServicer_to_server(
        MeasureServicer(deps, catalogue), server)
    admin_service_pb2_grpc.add_AdminServiceServicer_to_server(
        AdminServicer(deps, store, catalogue), server)
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    reflection.enable_server_reflection(
        (*SERVICE_NAMES, health_pb2.DESCRIPTOR.services_by_name["Health"].full_name,
         reflection.SERVICE_NAME), server)
    if settings.tls:
        assert settings.tls_cert is not None and settings.tls_key is not None
        ca = settings.tls_client_ca.read_bytes() if settings.tls_client_ca else None
        creds = grpc.ssl_server_credentials(
            [(settings.tls_key.read_bytes(), settings.tls_cert.read_bytes())],
            root_certificates=ca, require_client_auth=False)
        port = server.add_secure_port(settings.listen, creds)
    else:
        log.warning("server_without_tls",
                    message="NO TLS: credentials and personal data travel in clear text; "
                            "use --tls-cert/--tls-key outside development")
        port = server.add_insecure_port(settings.listen)
    if settings.dev_auth:
        log.warning("dev_auth_enabled",
                    message="DEVELOPMENT AUTH: the request's unit field is trusted")
    server.start()
    for name in ("", *SERVICE_NAMES):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info("server_started", listen=settings.listen, port=port, tls=settings.tls,
             data=str(settings.data))
    return Running(server, port, store, ledger, audit, health_servicer)


def serve_forever(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM, then stop gracefully."""
    import signal

    running = create_server(settings)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    log.info("server_stopping")
    running.stop()
