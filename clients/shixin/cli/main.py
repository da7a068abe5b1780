"""``shixin``: serve, import, look up, batch, demo, and the operators' reports.

Every client command takes credentials from flags, the environment or a
config file (see ``shixin.client.config``). Errors from the server are printed
as ``error: CODE: message`` and exit with status 1; usage errors exit with 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import json_format

from shixin.logs import configure


def _client_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("connection and credentials (also SHIXIN_* variables)")
    g.add_argument("--server", help="HOST:PORT (default 127.0.0.1:50051)")
    g.add_argument("--token", help="bearer token")
    g.add_argument("--ca", help="CA certificate of the server (PEM); turns TLS on")
    g.add_argument("--client-cert", help="client certificate for mutual TLS (PEM)")
    g.add_argument("--client-key", help="client key for mutual TLS (PEM)")
    g.add_argument("--unit", help="unit code (development servers only)")
    g.add_argument("--principal", help="role:id (development servers only)")
    g.add_argument("--config", help="client config file (TOML)")


def _client(args: argparse.Namespace) -> Any:
    from shixin.client import ShixinClient, load_config

    flags = {k: getattr(args, k, None) for k in ("server", "token", "ca", "client_cert",
                                                  "client_key", "unit", "principal", "purpose")}
    return ShixinClient(load_config(flags, config_file=args.config))


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


# -- server side ---------------------------------------------------------------
def cmd_serve(args: argparse.Namespace) -> int:
    from shixin.grpcapi.server import serve_forever
    from shixin.settings import from_env

    settings = from_env(
        data=Path(args.data) if args.data else None, listen=args.listen,
        tls_cert=Path(args.tls_cert) if args.tls_cert else None,
        tls_key=Path(args.tls_key) if args.tls_key else None,
        tls_client_ca=Path(args.tls_client_ca) if args.tls_client_ca else None,
        dev_auth=True if args.dev_auth else None,
        today=date.fromisoformat(args.today) if args.today else None,
        workers=args.workers,
    )
    configure(settings.log_format)
    serve_forever(settings)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from shixin.service.clock import china_today, fixed
    from shixin.service.importer import import_files
    from shixin.store import Store

    configure("console")
    paths = [Path(p) for p in args.files]
    for p in paths:
        if not p.is_file():
            _err(f"error: {p}: no such file")
            return 2
    store = Store(args.data)
    clock = fixed(date.fromisoformat(args.today)) if args.today else china_today
    with tqdm(unit=" rows", disable=args.quiet or None, desc="import") as bar:
        report = import_files(store, paths, clock=clock, progress=bar.update)
    size = store.size_on_disk()
    store.close()
    _out(f"rows {report.rows}: {report.records_added} records added, "
         f"{report.records_updated} updated, {report.records_unchanged} unchanged; "
         f"{report.events_applied} events applied, {report.events_unchanged} unchanged; "
         f"{report.feed_changes} feed changes; {len(report.problems)} rows rejected; "
         f"index {size / 1e6:.1f} MB")
    for prob in report.problems[: args.show_problems]:
        _err(f"{prob.file}:{prob.line}: {prob.message}")
    if len(report.problems) > args.show_problems:
        _err(f"… and {len(report.problems) - args.show_problems} more rejected rows")
    return 1 if report.problems and args.strict else 0


# -- client side ---------------------------------------------------------------
def cmd_lookup(args: argparse.Namespace) -> int:
    from shixin.cli.render import render_match

    if not args.name and not args.id_number:
        _err("error: give --name and/or --id-number")
        return 2
    with _client(args) as client:
        resp = client.match(args.name or "", args.id_number or "", args.kind or "",
                            purpose=args.purpose or "", max_hits=args.max_hits,
                            include_inactive=args.include_inactive)
    if args.json:
        _out(json_format.MessageToJson(resp, ensure_ascii=False))
    else:
        _out(render_match(resp))
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from shixin.batchio import count_rows
    from shixin.client.batch import run_batch

    src, dst = Path(args.input), Path(args.output)
    total = count_rows(src)
    with _client(args) as client, tqdm(total=total, unit=" rows", desc="batch",
                                       disable=args.quiet or None) as bar:
        summary = run_batch(client, src, dst, purpose=args.purpose or "",
                            max_hits=args.max_hits, progress=bar.update)
    counts = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_status.items()))
    _out(f"{summary.rows} rows → {dst} ({counts})")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    with _client(args) as client:
        resp = client.history(case_number=args.case_number,
                              debtor_id_number=args.id_number or "",
                              debtor_name=args.name or "")
    if args.json:
        _out(json_format.MessageToJson(resp, ensure_ascii=False))
        return 0
    from shixin.cli.render import STATE_NAMES

    r = resp.record
    _out(f"{r.case_number} {r.debtor.name} — {STATE_NAMES[r.state]} since {r.state_since}")
    rows = [(v.received_at, f"version {v.sequence} pushed by {v.pushed_by}") for v in
            resp.versions]
    from shixin.grpcapi.convert import EVENTS

    rows += [(e.received_at, f"{EVENTS[e.event_type]} effective {e.effective_on}"
              + (f" ({e.reason})" if e.reason else "") + f" by {e.pushed_by}")
             for e in resp.events]
    for at, text in sorted(rows):
        _out(f"  {at}  {text}")
    return 0


def cmd_overdue(args: argparse.Namespace) -> int:
    with _client(args) as client:
        resp = client.overdue(court=args.court or "", as_of=args.as_of or "")
    if args.json:
        _out(json_format.MessageToJson(resp, ensure_ascii=False))
        return 0
    if not resp.actions:
        _out("nothing overdue")
    court = None
    for a in resp.actions:
        if a.court != court:
            court = a.court
            _out(court)
        _out(f"  {a.case_number}: {a.kind} due {a.due_on} ({a.days_overdue} days overdue) — "
             f"{a.description}")
    return 0


def cmd_measures(args: argparse.Namespace) -> int:
    from shixin.measures import format_table, load_catalogue

    cat = load_catalogue()
    measures = cat.measures_for_unit(args.unit) if args.unit else cat.measures
    if args.json:
        from dataclasses import asdict

        _out(json.dumps([asdict(m) for m in measures], ensure_ascii=False, indent=1,
                        default=str))
    else:
        _out(format_table(cat, measures))
        _out(f"{len(measures)} measures, {len(cat.units)} units")
    return 0


def cmd_feed(args: argparse.Namespace) -> int:
    from shixin.v1 import feed_service_pb2 as feed_pb

    with _client(args) as client:
        if args.feed_cmd == "watch":
            for page in client.watch(args.after, follow=args.follow):
                for c in page.changes:
                    kind = "activated" if c.kind == feed_pb.CHANGE_KIND_ACTIVATED \
                        else "deactivated"
                    told = " (you were told: lift your measures)" if c.unit_was_told else ""
                    _out(f"{c.sequence}\t{kind}\t{c.effective_on}\t{c.record.case_number}\t"
                         f"{c.record.debtor.name}\t{c.reason}{told}")
        elif args.feed_cmd == "ack":
            retained = []
            for spec in args.retain or []:
                code, basis, until = (spec.split(":", 2) + ["", ""])[:3]
                retained.append(feed_pb.RetainedMeasure(measure_code=code, legal_basis=basis,
                                                        retain_until=until))
            resp = client.acknowledge(args.sequence, retained, args.note or "")
            _out(f"acknowledged change {resp.sequence} of record {resp.record_id}")
        else:
            resp = client.unacknowledged(args.unit_filter or "", args.grace_days)
            for m in resp.missing:
                _out(f"{m.unit}\t{m.sequence}\t{m.case_number}\t{m.effective_on}\t"
                     f"{m.days_overdue} days late")
            if not resp.missing:
                _out("every told unit acknowledged in time")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from datetime import datetime

    from shixin.audit import query, verify

    path = Path(args.data) / "audit.jsonl"
    if args.audit_cmd == "verify":
        key = args.key.encode() if args.key else None
        result = verify(path, key)
        for prob in result.problems:
            _out(prob.message)
        _out(f"{'OK' if result.ok else 'BROKEN'}: {result.entries} entries checked, "
             f"{len(result.problems)} problems")
        return 0 if result.ok else 1

    def when(t: str | None) -> datetime | None:
        return datetime.fromisoformat(t) if t else None

    for entry in query(path, unit=args.unit_filter, subject=args.subject,
                       since=when(args.since), until=when(args.until)):
        _out(json.dumps(entry, ensure_ascii=False))
    return 0


def cmd_admin(args: argparse.Namespace) -> int:
    from shixin.measures import load_catalogue
    from shixin.service.admin import create_token, list_tokens, revoke_token
    from shixin.store import Store

    if args.admin_cmd == "cert":
        return _admin_cert(args)
    store = Store(args.data)
    try:
        if args.admin_cmd == "token-create":
            issued = create_token(store, load_catalogue(), args.role, args.principal_id,
                                  args.note or "")
            _out(f"token id {issued.token_id}\n{issued.token}\n(shown once; stored hashed)")
        elif args.admin_cmd == "token-revoke":
            revoke_token(store, args.token_id)
            _out(f"revoked {args.token_id}")
        else:
            for t in list_tokens(store):
                _out(json.dumps(t, ensure_ascii=False))
    finally:
        store.close()
    return 0


def _admin_cert(args: argparse.Namespace) -> int:
    from shixin.auth import certs

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.cert_cmd == "ca":
        certs.write_ca(out)
        _out(f"CA written to {out}")
    elif args.cert_cmd == "server":
        certs.write_server_cert(out, Path(args.ca_dir))
        _out(f"server certificate written to {out}")
    else:
        certs.write_client_cert(out, Path(args.ca_dir), role=args.role,
                                principal=args.principal_id, days=args.days)
        _out(f"client certificate for {args.role}:{args.principal_id} written to {out}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from shixin.cli.demo import run_demo

    return run_demo(Path(args.data), records=args.records, seed=args.seed,
                    generate_only=args.generate_only)


# -- parser ----------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for tests and docs)."""
    parser = argparse.ArgumentParser(prog="shixin", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("serve", help="serve the index in DIR over gRPC")
    p.add_argument("--data", help="data directory (SHIXIN_DATA)")
    p.add_argument("--listen", help="HOST:PORT (default 127.0.0.1:50051)")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--tls-client-ca", help="CA of client certificates (mutual TLS)")
    p.add_argument("--dev-auth", action="store_true",
                   help="trust the request's unit field (development only)")
    p.add_argument("--today", help="fixed date (YYYY-MM-DD) for demos")
    p.add_argument("--workers", type=int)
    p.set_defaults(fn=cmd_serve)

    p = sub.add_parser("import", help="import records and events (JSONL or CSV)")
    p.add_argument("--data", required=True)
    p.add_argument("files", nargs="+")
    p.add_argument("--today", help="judge states as of this date")
    p.add_argument("--strict", action="store_true", help="exit 1 when any row is rejected")
    p.add_argument("--show-problems", type=int, default=50)
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(fn=cmd_import)

    p = sub.add_parser("lookup", help="match one subject")
    p.add_argument("--name")
    p.add_argument("--id-number")
    p.add_argument("--kind", choices=["person", "organization"])
    p.add_argument("--purpose", help="measure code the asking unit applies")
    p.add_argument("--max-hits", type=int, default=10)
    p.add_argument("--include-inactive", action="store_true")
    p.add_argument("--json", action="store_true")
    _client_flags(p)
    p.set_defaults(fn=cmd_lookup)

    p = sub.add_parser("batch", help="match every row of a CSV/XLSX/JSONL file")
    p.add_argument("input")
    p.add_argument("-o", "--output", required=True, help=".jsonl or .csv")
    p.add_argument("--purpose")
    p.add_argument("--max-hits", type=int, default=10)
    p.add_argument("--quiet", action="store_true")
    _client_flags(p)
    p.set_defaults(fn=cmd_batch)

    p = sub.add_parser("history", help="a record and its whole history")
    p.add_argument("case_number")
    p.add_argument("--id-number")
    p.add_argument("--name")
    p.add_argument("--json", action="store_true")
    _client_flags(p)
    p.set_defaults(fn=cmd_history)

    p = sub.add_parser("overdue", help="court actions past their legal deadline")
    p.add_argument("--court")
    p.add_argument("--as-of")
    p.add_argument("--json", action="store_true")
    _client_flags(p)
    p.set_defaults(fn=cmd_overdue)

    p = sub.add_parser("measures", help="the joint-punishment catalogue")
    p.add_argument("--unit", help="only this unit's measures")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_measures)

    p = sub.add_parser("feed", help="change feed and acknowledgements")
    fsub = p.add_subparsers(dest="feed_cmd", required=True)
    w = fsub.add_parser("watch")
    w.add_argument("--after", type=int, default=0)
    w.add_argument("--follow", action="store_true")
    _client_flags(w)
    a = fsub.add_parser("ack")
    a.add_argument("sequence", type=int)
    a.add_argument("--retain", action="append",
                   help="MEASURE:LEGAL_BASIS:UNTIL for a measure kept (repeatable)")
    a.add_argument("--note")
    _client_flags(a)
    m = fsub.add_parser("missing")
    m.add_argument("--unit-filter")
    m.add_argument("--grace-days", type=int, default=3)
    _client_flags(m)
    p.set_defaults(fn=cmd_feed)

    p = sub.add_parser("audit", help="verify or list the audit trail")
    asub = p.add_subparsers(dest="audit_cmd", required=True)
    v = asub.add_parser("verify")
    v.add_argument("--data", required=True)
    v.add_argument("--key", help="HMAC key (SHIXIN_AUDIT_KEY)")
    lst = asub.add_parser("list")
    lst.add_argument("--data", required=True)
    lst.add_argument("--unit-filter")
    lst.add_argument("--subject")
    lst.add_argument("--since")
    lst.add_argument("--until")
    p.set_defaults(fn=cmd_audit)

    p = sub.add_parser("admin", help="credentials")
    dsub = p.add_subparsers(dest="admin_cmd", required=True)
    t = dsub.add_parser("token-create")
    t.add_argument("--data", required=True)
    t.add_argument("--role", required=True, choices=["court", "unit", "admin"])
    t.add_argument("--principal-id", required=True, help="unit code, court name or admin id")
    t.add_argument("--note")
    r = dsub.add_parser("token-revoke")
    r.add_argument("--data", required=True)
    r.add_argument("token_id")
    ls = dsub.add_parser("token-list")
    ls.add_argument("--data", required=True)
    c = dsub.add_parser("cert")
    c.add_argument("cert_cmd", choices=["ca", "server", "client"])
    c.add_argument("--out", required=True)
    c.add_argument("--ca-dir", default="")
    c.add_argument("--role", default="unit")
    c.add_argument("--principal-id", default="")
    c.add_argument("--days", type=int, default=365)
    p.set_defaults(fn=cmd_admin)

    p = sub.add_parser("demo", help="build the embedded demo list, serve it, run samples")
    p.add_argument("--data", default="demo-data")
    p.add_argument("--records", type=int, default=20000)
    p.add_argument("--seed", type=int, default=2019)
    p.add_argument("--generate-only", action="store_true")
    p.set_defaults(fn=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``shixin`` command."""
    args = build_parser().parse_args(argv)
    fn: Callable[[argparse.Namespace], int] = args.fn
    try:
        return fn(args)
    except grpc.RpcError as exc:
        code = exc.code().name if hasattr(exc, "code") else "UNKNOWN"
        details = exc.details() if hasattr(exc, "details") else str(exc)
        _err(f"error: {code}: {details}")
        return 1
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
