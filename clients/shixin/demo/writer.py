"""Write the demo list to disk as the court would push it.

Layout of ``directory`` (each file JSON Lines, UTF-8, one object a line):

- ``records.jsonl``: the list records (``spec/list-record.md``), debtor by debtor;
- ``events.jsonl``: their lifecycle events, each record's in time order, in the
  order of the records they are about (ingest it after ``records.jsonl``);
- ``truth.jsonl`` (only with ``truth=True``): per debtor, the canonical identity
  and the keys ``(case_number, id_number | name)`` of its records.

Each file is written aside and renamed into place, so a reader never sees half
a demo list. The same arguments always give byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .generator import DEFAULT_SEED, DEFAULT_TODAY, generate_with_truth
from .truth import Listing

__all__ = ["EVENTS_FILE", "RECORDS_FILE", "TRUTH_FILE", "DemoFiles", "write_demo"]

RECORDS_FILE = "records.jsonl"
EVENTS_FILE = "events.jsonl"
TRUTH_FILE = "truth.jsonl"
_FLUSH_EVERY = 5000


@dataclass(frozen=True, slots=True)
class DemoFiles:
    """Where the demo list went and how much of it there is."""

    records: Path
    events: Path
    truth: Path | None
    n_records: int
    n_events: int
    n_debtors: int


def _truth_line(listing: Listing) -> dict[str, Any]:
    keys = []
    for record in listing.records:
        debtor = record["debtor"]
        field = "id_number" if "id_number" in debtor else "name"
        keys.append({"case_number": record["case_number"], field: debtor[field]})
    return {"debtor": listing.truth.as_dict(), "records": keys}


class _Sink:
    """A JSON Lines file written to a temporary name, buffered, renamed on commit."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp = path.with_name(f".{path.name}.part")
        self._file: TextIO = self._tmp.open("w", encoding="utf-8", newline="\n")
        self._buffer: list[str] = []
        self.count = 0

    def add(self, lines: Iterable[str]) -> None:
        self._buffer.extend(lines)
        if len(self._buffer) >= _FLUSH_EVERY:
            self._file.write("".join(self._buffer))
            self._buffer.clear()

    def commit(self) -> None:
        self._file.write("".join(self._buffer))
        self._file.close()
        os.replace(self._tmp, self.path)

    def discard(self) -> None:
        self._file.close()
        self._tmp.unlink(missing_ok=True)


def write_demo(
    directory: str | os.PathLike[str],
    n_records: int,
    seed: int = DEFAULT_SEED,
    today: dt.date = DEFAULT_TODAY,
    *,
    truth: bool = False,
) -> DemoFiles:
    """Generate ``n_records`` records (see :func:`generate_with_truth`) into ``directory``."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    encode = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    sinks = [_Sink(target / RECORDS_FILE), _Sink(target / EVENTS_FILE)]
    if truth:
        sinks.append(_Sink(target / TRUTH_FILE))
    records, events = sinks[0], sinks[1]
    n_records_out = n_events = n_debtors = 0
    try:
        for listing in generate_with_truth(n_records, seed, today):
            records.add([encode(record) + "\n" for record in listing.records])
            events.add([encode(event) + "\n" for event in listing.events])
            if truth:
                sinks[2].add([encode(_truth_line(listing)) + "\n"])
            n_records_out += len(listing.records)
            n_events += len(listing.events)
            n_debtors += 1
    except BaseException:
        for sink in sinks:
            sink.discard()
        raise
    for sink in sinks:
        sink.commit()
    return DemoFiles(
        records=records.path,
        events=events.path,
        truth=sinks[2].path if truth else None,
        n_records=n_records_out,
        n_events=n_events,
        n_debtors=n_debtors,
    )
