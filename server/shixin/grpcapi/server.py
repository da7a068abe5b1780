"""Building and running the gRPC server (sync thread-pool flavour: fastest here)."""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import dataclass

import grpc
import structlog
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

from shixin.audit import FILENAME as AUDIT_FILENAME
from shixin.audit import AuditLog
from shixin.audit.anchor import Anchor, open_anchored
from shixin.auth import RateLimiter
from shixin.grpcapi.admin_servicer import AdminServicer
from shixin.grpcapi.batch_rows import BatchWorkers
from shixin.grpcapi.calls import CallDeps
from shixin.grpcapi.feed_servicer import FeedServicer
from shixin.grpcapi.identity import Authenticator
from shixin.grpcapi.match_servicer import MatchServicer
from shixin.grpcapi.measure_servicer import MeasureServicer
from shixin.grpcapi.pinning import (
    available_cpus,
    choose_cpu,
    pin_current_thread,
    pin_python_threads,
)
from shixin.grpcapi.record_servicer import RecordServicer
from shixin.grpcapi.warm import warm_and_freeze
from shixin.measures import load_catalogue
from shixin.native import compiled_modules, stale_extensions
from shixin.service.clock import Clock, china_today, fixed
from shixin.service.feed import FeedService
from shixin.service.ledger import ToldLedger
from shixin.service.queries import QueryService
from shixin.service.records import RecordService
from shixin.settings import Settings, validate
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
    audit: AuditLog | None
    health: health.HealthServicer
    public_port: int | None = None
    """Port for callers without a client certificate (``Settings.public_listen``)."""
    anchor: Anchor | None = None
    batch_workers: BatchWorkers | None = None

    def stop(self, grace: float = 2.0) -> None:
        """Graceful stop: refuse new calls, finish running ones, flush ledgers and the audit."""
        self.health.enter_graceful_shutdown()
        self.server.stop(grace).wait()
        if self.batch_workers is not None:
            self.batch_workers.close()
        self.ledger.close()
        if self.audit is not None:
            self.audit.close()
            head = self.audit.head()
            log.info("audit_head", seq=head.seq, hash=head.hash,
                     message="copy this head off the host to detect a later rewrite")
        if self.anchor is not None:
            self.anchor.close()
        self.store.close()


def _credentials(settings: Settings) -> tuple[grpc.ServerCredentials | None,
                                              grpc.ServerCredentials | None]:
    """(main port, public port) credentials; None means plaintext."""
    if not settings.tls:
        return None, None
    assert settings.tls_cert is not None and settings.tls_key is not None
    pair = [(settings.tls_key.read_bytes(), settings.tls_cert.read_bytes())]
    public = grpc.ssl_server_credentials(pair)
    if settings.tls_client_ca is None:
        return public, public
    # gRPC either requires a verified client certificate or never asks for one
    # (require_client_auth=False does not request it at all), so the main port
    # requires it and callers without one use the public port.
    mutual = grpc.ssl_server_credentials(pair, settings.tls_client_ca.read_bytes(),
                                         require_client_auth=True)
    return mutual, public


def _bind(server: grpc.Server, address: str, creds: grpc.ServerCredentials | None) -> int:
    port = (server.add_secure_port(address, creds) if creds is not None
            else server.add_insecure_port(address))
    if not port:
        raise OSError(f"cannot listen on {address}")
    return port


def _warn(settings: Settings) -> None:
    if not settings.tls:
        log.warning("server_without_tls",
                    message="NO TLS: tokens and personal data travel in clear text; use "
                            "--tls-cert/--tls-key unless a TLS proxy on this host fronts it")
    elif not settings.mutual_tls:
        log.warning("server_without_client_ca",
                    message="no --tls-client-ca: units, courts and admins authenticate with "
                            "bearer tokens only")
    elif settings.public_listen is None:
        log.info("mutual_tls_only", message="no --public-listen: public queries and bearer "
                                            "tokens are not served")
    if settings.dev_auth:
        log.warning("dev_auth_enabled",
                    message="DEVELOPMENT AUTH: the request's unit field and x-shixin-principal "
                            "are trusted; anyone can act as any unit")
    if not settings.audit:
        log.warning("audit_disabled",
                    message="AUDIT OFF (benchmark only): look-ups are not recorded")


def create_server(settings: Settings, *, clock: Clock | None = None) -> Running:
    """Build, bind and start the server; returns it with its port (bind port 0 in tests).

    Raises ValueError for inconsistent settings and
    :class:`shixin.audit.AuditCorruptError` when the audit log is damaged or cut
    (docs/security.md): the server does not run with an audit trail it cannot extend.
    """
    validate(settings)
    store = Store(settings.data)
    audit: AuditLog | None = None
    anchor: Anchor | None = None
    try:
        if settings.audit:
            audit, anchor = open_anchored(settings.data / AUDIT_FILENAME, settings.audit_key,
                                          store)
        return _start(settings, clock, store, audit, anchor)
    except BaseException:
        if audit is not None:
            audit.close()
        if anchor is not None:
            anchor.close()
        store.close()
        raise


def _start(settings: Settings, clock: Clock | None, store: Store, audit: AuditLog | None,
           anchor: Anchor | None) -> Running:
    today: Clock = clock or (fixed(settings.today) if settings.today else china_today)
    catalogue = load_catalogue()
    deps = CallDeps(
        auth=Authenticator(store, catalogue, dev_mode=settings.dev_auth,
                           client_certs=settings.mutual_tls),
        audit=audit,
        public_limiter=RateLimiter(rate=settings.public_rate, burst=settings.public_burst),
    )
    ledger = ToldLedger(store)
    records = RecordService(store, today)
    cpus = available_cpus()
    cpu = choose_cpu(settings.pin_cpu, cpus)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=settings.workers, thread_name_prefix="rpc",
                                   initializer=pin_current_thread, initargs=(cpu,)),
        options=[("grpc.max_receive_message_length", 32 << 20),
                 ("grpc.so_reuseport", 0)],
    )
    batch_workers = BatchWorkers(settings.data, settings.batch_workers, cpus)
    match_service_pb2_grpc.add_MatchServiceServicer_to_server(
        MatchServicer(deps, QueryService(store, today, ledger, catalogue), batch_workers),
        server)
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
    main_creds, public_creds = _credentials(settings)
    try:
        port = _bind(server, settings.listen, main_creds)
        public_port = (_bind(server, settings.public_listen, public_creds)
                       if settings.public_listen else None)
    except BaseException:
        ledger.close()
        batch_workers.close()
        raise
    _warn(settings)
    frozen = warm_and_freeze(store)
    server.start()
    pin_python_threads(cpu)  # gRPC's polling thread, the audit, ledger and log writers
    for name in ("", *SERVICE_NAMES):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    log.info("server_started", listen=settings.listen, port=port, public_port=public_port,
             tls=settings.tls, mutual_tls=settings.mutual_tls, audit=settings.audit,
             data=str(settings.data), compiled_modules=len(compiled_modules()),
             frozen_objects=frozen)
    stale = stale_extensions()
    if stale:
        log.warning("compiled_modules_stale", modules=stale,
                    message="these sources changed after they were compiled, and the old "
                            "code runs: rebuild with `python3 tasks.py native`")
    return Running(server, port, store, ledger, audit, health_servicer, public_port, anchor,
                   batch_workers)


def serve_forever(settings: Settings) -> None:
    """Run until SIGINT/SIGTERM, then stop gracefully."""
    import signal

    from shixin import logs

    # One RPC, one log line: buffered and written in batches by a background thread
    # (shixin.logs explains why and what a crash can lose).
    logs.configure(settings.log_format, buffered=True)
    running = create_server(settings)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    log.info("server_stopping")
    try:
        running.stop()
    finally:
        logs.flush()
