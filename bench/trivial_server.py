"""The ceiling of this stack: a trivial gRPC service, served like shixin serves.

Same framework and flavour as ``shixin.grpcapi.server``: grpcio's sync server
on a ``ThreadPoolExecutor`` with the same worker count and options, the
standard health service, protobuf messages parsed and built by the same
protobuf runtime. The request is two strings (a ``shixin.v1.Subject`` with a
name and an ID number); the response is tiny (a ``MatchResponse`` with its
status set), and its Python threads are kept on one CPU as ``shixin serve``
keeps its own (``shixin.grpcapi.pinning``, ``--pin-cpu``, default ``auto``). No
authentication, logging, audit or matching: every shixin figure is quoted as
a ratio to what this reaches under the same load.

    python bench/trivial_server.py --listen 127.0.0.1:PORT [--workers 64] [--pin-cpu off]
"""

from __future__ import annotations

import argparse
import signal
import threading
from concurrent import futures
from typing import Any

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from shixin.grpcapi.pinning import choose_cpu, pin_current_thread, pin_python_threads
from shixin.v1 import match_service_pb2 as pb

METHOD = "/bench.v1.Trivial/Echo"


def _echo(request: pb.Subject, context: Any) -> pb.MatchResponse:
    status = pb.MATCH_STATUS_HIT if request.name and request.id_number else pb.MATCH_STATUS_NONE
    return pb.MatchResponse(status=status)


def build(listen: str, workers: int,
          pin_cpu: str = "auto") -> tuple[grpc.Server, int, health.HealthServicer]:
    """Build, bind and start the trivial server; returns it, its port and its health."""
    cpu = choose_cpu(pin_cpu)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rpc",
                                   initializer=pin_current_thread, initargs=(cpu,)),
        options=[("grpc.max_receive_message_length", 32 << 20), ("grpc.so_reuseport", 0)],
    )
    handler = grpc.unary_unary_rpc_method_handler(
        _echo, request_deserializer=pb.Subject.FromString,
        response_serializer=pb.MatchResponse.SerializeToString)
    service, method = METHOD.strip("/").split("/")
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(service, {method: handler}),))
    health_servicer = health.HealthServicer(experimental_non_blocking=True)
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    port = server.add_insecure_port(listen)
    server.start()
    pin_python_threads(cpu)
    health_servicer.set("", health_pb2.HealthCheckResponse.SERVING)
    return server, port, health_servicer


def main() -> None:
    """Serve until SIGINT/SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:0")
    parser.add_argument("--workers", type=int, default=64)
    parser.add_argument("--pin-cpu", default="auto",
                        help="CPU for the Python threads: auto, off or a number (as shixin)")
    args = parser.parse_args()
    server, _, _ = build(args.listen, args.workers, args.pin_cpu)
    done = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: done.set())
    done.wait()
    server.stop(1).wait()


if __name__ == "__main__":
    main()
