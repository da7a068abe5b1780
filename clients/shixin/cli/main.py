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

from shixin.batchio import BatchFileError
from shixin.logs import configure


def _client_flags(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("connection and credentials (also SHIXIN_* variables)")
    g.add_argument("--server", help="HOST:PORT (default 127.0.0.1:50051)")
    g.add_argument("--token", help="bearer token")
    g.add_argument("--ca", help="CA certificate of the server (PEM, or 'system'); turns TLS on")
    g.add_argument("--server-name", help="name in the server certificate, when it differs "
                                         "from the host in --server")
    g.add_argument("--client-cert", help="client certificate for mutual TLS (PEM)")
    g.add_argument("--client-key", help="client key for mutual TLS (PEM)")
    g.add_argument("--unit", help="unit code (development servers only)")
    g.add_argument("--principal", help="role:id (development servers only)")
    g.add_argument("--config", help="client config file (TOML)")


def _client(args: argparse.Namespace) -> Any:
    from shixin.client import ShixinClient, load_config

    flags = {k: getattr(args, k, None) for k in ("server", "token", "ca", "server_name",
                                                  "client_cert", "client_key", "unit",
                                                  "principal", "purpose")}
    return ShixinClient(load_config(flags, config_file=args.config))


def _progress(bar: Any) -> Callable[[int], None]:
    """A progress callback advancing a tqdm bar."""
    def advance(n: int) -> None:
        bar.update(n)
    return advance


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
        public_listen=args.public_listen,
        tls_cert=Path(args.tls_cert) if args.tls_cert else None,
        tls_key=Path(args.tls_key) if args.tls_key else None,
        tls_client_ca=Path(args.tls_client_ca) if args.tls_client_ca else None,
        dev_auth=True if args.dev_auth else None,
        today=date.fromisoformat(args.today) if args.today else None,
        workers=args.workers, batch_workers=args.batch_workers, pin_cpu=args.pin_cpu,
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
        report = import_files(store, paths, clock=clock, progress=_progress(bar))
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
                            max_hits=args.max_hits, progress=_progress(bar))
    counts = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_status.items()))
    _out(f"{summary.rows} rows → {dst} ({counts})")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from shixin.cli.render import STATE_NAMES
    from shixin.grpcapi.convert import EVENTS

    if not args.id_number and not args.name:
        _err("error: give --id-number (or --name for a debtor without an ID number)")
        return 2
    with _client(args) as client:
        resp = client.history(case_number=args.case_number,
                              debtor_id_number=args.id_number or "",
                              debtor_name=args.name or "")
    if args.json:
        _out(json_format.MessageToJson(resp, ensure_ascii=False))
        return 0
    r = resp.record
    _out(f"{r.case_number} {r.debtor.name} ({r.court}) — {STATE_NAMES[r.state]} since "
         f"{r.state_since}" + (f", listed until {r.expires_on}" if r.expires_on else ""))
    rows: list[tuple[int, str]] = []
    previous: dict[str, Any] = {}
    for v in resp.versions:
        body = json.loads(v.record_json)
        changed = sorted(k for k in body.keys() | previous.keys()
                         if body.get(k) != previous.get(k))
        what = "pushed" if not previous else "changed " + ", ".join(changed)
        rows.append((v.sequence, f"version: {what} (by {v.pushed_by} at {v.received_at})"))
        previous = body
    for e in resp.events:
        kind = EVENTS[e.event_type] if 0 <= e.event_type < len(EVENTS) else "?"
        extra = f" → expires_on {e.expires_on}" if e.expires_on else ""
        reason = f" ({e.reason})" if e.reason else ""
        rows.append((e.sequence, f"{kind} effective {e.effective_on}{extra}{reason} "
                                 f"(by {e.pushed_by} at {e.received_at})"))
    for seq, text in sorted(rows):
        _out(f"  #{seq:<6} {text}")
    _out(f"{len(resp.versions)} versions, {len(resp.events)} events; nothing is ever deleted")
    return 0


def cmd_overdue(args: argparse.Namespace) -> int:
    with _client(args) as client:
        resp = client.overdue(court=args.court or "", as_of=args.as_of or "")
    if args.json:
        _out(json_format.MessageToJson(resp, ensure_ascii=False))
        return 0
    if not resp.actions:
        _out("nothing overdue")
        return 0
    court = None
    for a in resp.actions:
        if a.court != court:
            court = a.court
            _out(court)
        _out(f"  {a.case_number}: {a.kind} due {a.due_on}, {a.days_overdue} days overdue — "
             f"{a.description}")
    _out(f"{len(resp.actions)} overdue actions")
    return 0


def cmd_measures(args: argparse.Namespace) -> int:
    from shixin.cli.render import render_measures_json
    from shixin.measures import format_table, load_catalogue

    cat = load_catalogue()
    try:
        measures = cat.measures_for_unit(args.unit) if args.unit else cat.measures
    except KeyError as exc:
        _err(f"error: --unit: {exc}")
        return 2
    if args.json:
        _out(render_measures_json(cat, measures))
        return 0
    _out(format_table(cat, measures))
    if args.unit:
        unit = cat.unit(args.unit)
        _out(f"{len(measures)} of {len(cat.measures)} measures are applied by "
             f"{unit.code} ({unit.name_zh}); these are its purposes for look-ups")
    else:
        _out(f"{len(measures)} measures, {len(cat.units)} units")
    return 0


def _retained(specs: Sequence[str]) -> list[Any]:
    """``--retain CODE:BASIS:UNTIL`` values (the basis may itself contain colons)."""
    from shixin.v1 import feed_service_pb2 as feed_pb

    out = []
    for spec in specs:
        code, _, rest = spec.partition(":")
        basis, _, until = rest.rpartition(":")
        out.append(feed_pb.RetainedMeasure(measure_code=code, legal_basis=basis,
                                           retain_until=until))
    return out


def cmd_feed(args: argparse.Namespace) -> int:
    from shixin.v1 import feed_service_pb2 as feed_pb

    with _client(args) as client:
        if args.feed_cmd == "watch":
            for page in client.watch(args.after, follow=args.follow,
                                     page_size=args.page_size):
                for c in page.changes:
                    kind = "activated" if c.kind == feed_pb.CHANGE_KIND_ACTIVATED \
                        else "deactivated"
                    told = "\tyou were told: lift your measures and ack" \
                        if c.unit_was_told else ""
                    _out(f"{c.sequence}\t{kind}\t{c.effective_on}\t{c.record.case_number}\t"
                         f"{c.record.debtor.name}\t{c.reason}{told}")
                sys.stdout.flush()
        elif args.feed_cmd == "ack":
            resp = client.acknowledge(args.sequence, _retained(args.retain or []),
                                      args.note or "")
            kept = f", keeping {len(args.retain)} measures" if args.retain else ""
            _out(f"acknowledged change {resp.sequence} of record {resp.record_id} at "
                 f"{resp.acknowledged_at}{kept}")
        else:
            resp = client.unacknowledged(args.unit_filter or "", args.grace_days,
                                         as_of=args.as_of or "")
            for m in resp.missing:
                _out(f"{m.unit}\t{m.sequence}\t{m.case_number}\t{m.effective_on}\t"
                     f"{m.days_overdue} days late\ttold by {m.told_via}")
            if not resp.missing:
                _out("every told unit acknowledged in time")
    return 0


def _audit_key() -> bytes | None:
    from shixin.audit import key_from_env

    try:
        return key_from_env()
    except ValueError as exc:
        raise SystemExit(f"error: {exc}") from None


def _audit_time(text: str | None) -> Any:
    """An ISO date or time; without an offset it is China time (UTC+08:00)."""
    from datetime import datetime

    from shixin.service.clock import CHINA

    if not text:
        return None
    t = datetime.fromisoformat(text)
    return t if t.tzinfo is not None else t.replace(tzinfo=CHINA)


def _cli_actor() -> str:
    import getpass

    return f"cli:{getpass.getuser()}"


def cmd_audit(args: argparse.Namespace) -> int:
    configure("console")  # logs to stderr: stdout carries the entries
    if args.audit_cmd == "verify":
        return _audit_verify(args)
    if args.audit_cmd == "reanchor":
        return _audit_reanchor(args)
    since, until = _audit_time(args.since), _audit_time(args.until)
    if args.data is None:
        with _client(args) as client:
            for line in client.audit_entries(
                    principal=args.unit_filter or "", subject=args.subject or "",
                    since=since.isoformat() if since else "",
                    until=until.isoformat() if until else "", action=args.action or ""):
                _out(line)
        return 0
    from shixin.audit import FILENAME, query

    for entry in query(Path(args.data) / FILENAME, unit=args.unit_filter, subject=args.subject,
                       since=since, until=until, action=args.action):
        _out(json.dumps(entry, ensure_ascii=False))
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    if args.data is None:
        with _client(args) as client:
            resp = client.verify_audit()
        for f in resp.findings:
            _out(f"[{f.kind}] {f.message}")
        _out(f"{'OK' if resp.ok else 'BROKEN'}: {resp.entries} entries checked, "
             f"{len(resp.findings)} problems; head seq {resp.head_sequence} {resp.head_hash}")
        return 0 if resp.ok else 1
    from shixin.audit import FILENAME, verify
    from shixin.audit.anchor import read_anchor_at

    data = Path(args.data)
    path = data / FILENAME
    if not path.exists():
        _err(f"error: no audit log at {path}")
        return 2
    anchor = read_anchor_at(data)  # read first: the log only grows after it
    result = verify(path, _audit_key(), expected_head=anchor)
    for prob in result.problems:
        _out(f"[{prob.kind}] {prob.message}")
    if result.omitted:
        _out(f"… and {result.omitted} more problems")
    if result.hint:
        _out(f"hint: {result.hint}")
    head = result.head
    against = (f"the index's anchor (seq {anchor.seq})" if anchor else
               "no anchor (no index in this directory): a removed tail goes unnoticed")
    _out(f"{'OK' if result.ok else 'BROKEN'}: {result.entries} entries checked against "
         f"{against}, {len(result.problems) + result.omitted} problems"
         + (f"; head seq {head.seq} {head.hash}" if head else ""))
    return 0 if result.ok else 1


def _audit_reanchor(args: argparse.Namespace) -> int:
    from shixin.audit import FILENAME, AuditLog, verify
    from shixin.audit.anchor import Anchor, read_anchor
    from shixin.store import Store

    data = Path(args.data)
    path = data / FILENAME
    key = _audit_key()
    result = verify(path, key)
    if not result.ok:
        _err(f"error: the log itself is broken ({len(result.problems)} problems; run "
             "'shixin audit verify'); archive it and start a new one instead")
        return 1
    store = Store(data)
    anchor = Anchor(store)
    try:
        previous = read_anchor(store)
        with AuditLog(path, key, on_commit=anchor.update) as log:
            head = log.head()
            log.append({"actor": _cli_actor(), "role": "admin", "action": "audit.reanchor",
                        "request": {},
                        "outcome": {"code": "OK",
                                    "previous_anchor": list(previous) if previous else None,
                                    "log_head": list(head)}})
        anchor.flush()
    finally:
        anchor.close()
        store.close()
    _out(f"anchored the log at seq {head.seq + 1} (was "
         f"{previous.seq if previous else 'none'}); the change is recorded in the log")
    return 0


def cmd_admin(args: argparse.Namespace) -> int:
    configure("console")  # logs to stderr: stdout carries tokens and listings
    if args.admin_cmd == "cert":
        return _admin_cert(args)
    if args.data is None:
        return _admin_rpc(args)
    return _admin_offline(args)


def _admin_rpc(args: argparse.Namespace) -> int:
    with _client(args) as client:
        if args.admin_cmd == "token-create":
            resp = client.create_token(args.role, args.principal_id, args.note or "")
            _out(f"token id {resp.token_id}\n{resp.token}\n(shown once; stored hashed)")
        elif args.admin_cmd == "token-revoke":
            client.revoke_token(args.token_id)
            _out(f"revoked {args.token_id}")
        else:
            for t in client.list_tokens(args.principal_id or ""):
                _out(json_format.MessageToJson(t, indent=None, ensure_ascii=False,
                                               always_print_fields_with_no_presence=True))
    return 0


def _admin_offline(args: argparse.Namespace) -> int:
    """Token commands on the data directory, while the server is stopped; audited too."""
    from shixin.audit import FILENAME, AuditCorruptError, AuditError
    from shixin.audit.anchor import open_anchored
    from shixin.errors import ShixinError
    from shixin.measures import load_catalogue
    from shixin.service.admin import create_token, list_tokens, revoke_token
    from shixin.store import Store

    data = Path(args.data)
    store = Store(data)
    try:
        try:
            log, anchor = open_anchored(data / FILENAME, _audit_key(), store)
        except AuditCorruptError as exc:
            _err(f"error: {exc}")
            return 1
        except AuditError as exc:
            _err(f"error: {exc}\nwhile the server runs, use its AdminService: drop --data and "
                 "give --server with admin credentials")
            return 1
        action = {"token-create": "admin.create_token", "token-revoke": "admin.revoke_token",
                  "token-list": "admin.list_tokens"}[args.admin_cmd]  # as the RPCs record
        request: dict[str, Any] = {}
        outcome: dict[str, Any] = {"code": "OK"}
        try:
            if args.admin_cmd == "token-create":
                request = {"role": args.role, "principal": args.principal_id,
                           "note": args.note or ""}
                issued = create_token(store, load_catalogue(), args.role, args.principal_id,
                                      args.note or "")
                outcome["token_id"] = issued.token_id
                _out(f"token id {issued.token_id}\n{issued.token}\n(shown once; stored hashed)")
            elif args.admin_cmd == "token-revoke":
                request = {"token_id": args.token_id}
                outcome["revoked_now"] = revoke_token(store, args.token_id)
                _out(f"revoked {args.token_id}")
            else:
                request = {"principal": args.principal_id or ""}
                tokens = list_tokens(store, args.principal_id or "")
                outcome["tokens"] = len(tokens)
                for t in tokens:
                    _out(json.dumps(t, ensure_ascii=False))
        except ShixinError as exc:
            outcome = {"code": exc.status.value, "error": str(exc), "reason": exc.reason}
            _err(f"error: {exc.status.value}: {exc}")
        finally:
            log.append({"actor": _cli_actor(), "role": "admin", "action": action,
                        "request": request, "outcome": outcome})
            log.close()
            anchor.close()
        return 0 if outcome["code"] == "OK" else 1
    finally:
        store.close()


def _ca_password() -> bytes | None:
    import os

    value = os.environ.get("SHIXIN_CA_PASSWORD", "")
    return value.encode() if value else None


def _admin_cert(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from shixin.auth import certs

    out = Path(args.out)
    names = {"ca": ("ca.pem", "ca-key.pem"), "server": ("server.pem", "server-key.pem"),
             "client": ("client.pem", "client-key.pem")}[args.cert_cmd]
    cert_path, key_path = out / names[0], out / names[1]
    for existing in (cert_path, key_path):
        if existing.exists():
            _err(f"error: {existing} exists; choose another --out (nothing is overwritten)")
            return 2
    days = args.days or {"ca": 3650, "server": 397, "client": 365}[args.cert_cmd]
    valid_for = timedelta(days=days)
    if args.cert_cmd == "ca":
        made = certs.create_ca(args.name or "shixin CA", valid_for=valid_for)
        password = _ca_password()
    else:
        if not args.ca_dir:
            _err("error: --ca-dir (the directory of ca.pem and ca-key.pem) is required")
            return 2
        ca_dir = Path(args.ca_dir)
        ca = certs.load_cert_key(ca_dir / "ca.pem", ca_dir / "ca-key.pem", _ca_password())
        password = None
        if args.cert_cmd == "server":
            made = certs.issue_server_cert(ca, args.host or ("localhost", "127.0.0.1"),
                                           valid_for=valid_for)
        else:
            if not args.principal_id:
                _err("error: --principal-id (unit code, court name or admin id) is required")
                return 2
            if args.role == "unit":
                from shixin.measures import load_catalogue

                try:
                    load_catalogue().unit(args.principal_id)
                except KeyError:
                    _err(f"error: unknown unit {args.principal_id!r} (see 'shixin measures')")
                    return 2
            made = certs.issue_client_cert(ca, args.principal_id, kind=args.role,
                                           valid_for=valid_for)
    out.mkdir(parents=True, exist_ok=True)
    made.write(cert_path, key_path, password)
    until = made.cert.not_valid_after_utc.date().isoformat()
    what = {"ca": "CA", "server": "server certificate",
            "client": f"client certificate for {args.role} {args.principal_id}"}[args.cert_cmd]
    _out(f"{what} written to {cert_path} and {key_path} (valid until {until})")
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
    p.add_argument("--public-listen", help="second HOST:PORT without client certificates, "
                                           "for public and token callers (SHIXIN_PUBLIC_LISTEN)")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--tls-client-ca", help="CA of client certificates (mutual TLS)")
    p.add_argument("--dev-auth", action="store_true",
                   help="trust the request's unit field (development only)")
    p.add_argument("--today", help="fixed date (YYYY-MM-DD) for demos")
    p.add_argument("--workers", type=int, help="gRPC worker threads (SHIXIN_WORKERS)")
    p.add_argument("--batch-workers", type=int,
                   help="processes matching BatchMatch messages beside the server, started "
                        "on the first batch; 0: none (SHIXIN_BATCH_WORKERS; default: one "
                        "per spare CPU)")
    p.add_argument("--pin-cpu", help="CPU for the server's Python threads: auto (the last "
                                     "CPU, with two or more), off, or a number "
                                     "(SHIXIN_PIN_CPU; default auto)")
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
    p.add_argument("--id-number", help="the debtor's ID number (the record key)")
    p.add_argument("--name", help="the debtor's name, for a debtor without an ID number")
    p.add_argument("--json", action="store_true")
    _client_flags(p)
    p.set_defaults(fn=cmd_history)

    p = sub.add_parser("overdue", help="court actions past their legal deadline")
    p.add_argument("--court", help="only this court (a court sees only its own)")
    p.add_argument("--as-of", help="judge the open deadlines on this date (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true")
    _client_flags(p)
    p.set_defaults(fn=cmd_overdue)

    p = sub.add_parser("measures", help="the joint-punishment catalogue")
    p.add_argument("--unit", help="only this unit's measures")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_measures)

    p = sub.add_parser("feed", help="change feed and acknowledgements")
    fsub = p.add_subparsers(dest="feed_cmd", required=True)
    w = fsub.add_parser("watch", help="changes after a sequence, in order")
    w.add_argument("--after", type=int, default=0, help="last sequence already seen")
    w.add_argument("--follow", action="store_true", help="keep waiting for new changes")
    w.add_argument("--page-size", type=int, default=100)
    _client_flags(w)
    a = fsub.add_parser("ack", help="acknowledge a deactivation (measures lifted or kept)")
    a.add_argument("sequence", type=int)
    a.add_argument("--retain", action="append",
                   help="MEASURE:LEGAL_BASIS:UNTIL for a measure kept (repeatable)")
    a.add_argument("--note")
    _client_flags(a)
    m = fsub.add_parser("missing", help="deactivations told units have not acknowledged")
    m.add_argument("--unit-filter")
    m.add_argument("--grace-days", type=int, default=3)
    m.add_argument("--as-of", help="judge on this date (YYYY-MM-DD)")
    _client_flags(m)
    p.set_defaults(fn=cmd_feed)

    p = sub.add_parser("audit", help="verify or list the audit trail")
    asub = p.add_subparsers(dest="audit_cmd", required=True)
    v = asub.add_parser("verify", help="check the hash chain and the anchored head; exit 1 "
                        "when broken (key: SHIXIN_AUDIT_KEY)")
    v.add_argument("--data", help="data directory (offline); without it, ask the server")
    _client_flags(v)
    lst = asub.add_parser("list", help="entries by unit, subject, action and time, as JSON")
    lst.add_argument("--data", help="data directory (offline); without it, ask the server")
    lst.add_argument("--unit-filter", help="only this actor (unit code, court, public:…)")
    lst.add_argument("--subject", help="only entries asking about this name or ID number")
    lst.add_argument("--since", help="ISO date or time, inclusive (no offset: China time)")
    lst.add_argument("--until", help="ISO date or time, exclusive (no offset: China time)")
    lst.add_argument("--action", help="only this action, or a prefix ending in '*'")
    _client_flags(lst)
    ra = asub.add_parser("reanchor", help="accept the log as it is after an investigated "
                         "mismatch with the index's anchor (recorded in the log)")
    ra.add_argument("--data", required=True)
    p.set_defaults(fn=cmd_audit)

    p = sub.add_parser("admin", help="credentials: tokens and certificates")
    dsub = p.add_subparsers(dest="admin_cmd", required=True)
    t = dsub.add_parser("token-create", help="issue a bearer token (shown once)")
    t.add_argument("--role", required=True, choices=["court", "unit", "admin"])
    t.add_argument("--principal-id", required=True, help="unit code, court name or admin id")
    t.add_argument("--note")
    r = dsub.add_parser("token-revoke", help="revoke a token by its id")
    r.add_argument("token_id")
    ls = dsub.add_parser("token-list", help="issued tokens, never their secrets")
    ls.add_argument("--principal-id", help="only this principal's tokens")
    for sp in (t, r, ls):
        sp.add_argument("--data", help="data directory, while the server is stopped; without "
                        "it, ask the server (admin credentials)")
        _client_flags(sp)
    c = dsub.add_parser("cert", help="a private CA, the server's and clients' certificates")
    c.add_argument("cert_cmd", choices=["ca", "server", "client"])
    c.add_argument("--out", required=True, help="directory for the PEM files (never overwritten)")
    c.add_argument("--ca-dir", default="", help="directory of ca.pem and ca-key.pem")
    c.add_argument("--name", help="CA common name (ca)")
    c.add_argument("--host", action="append",
                   help="DNS name or IP of the server (server; repeatable)")
    c.add_argument("--role", default="unit", choices=["unit", "court", "admin"],
                   help="kind of client (client)")
    c.add_argument("--principal-id", default="", help="unit code, court name or admin id "
                   "(client)")
    c.add_argument("--days", type=int, help="validity (default: CA 3650, server 397, client 365)")
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
    except (BatchFileError, ValueError, OSError) as exc:
        # Bad input files, unusable settings or credentials: a message, not a traceback.
        _err(f"error: {exc}")
        return 2
    except KeyboardInterrupt:
        _err("interrupted")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
