"""The told ledger's writer: nothing lost, bounded memory, no per-entry wake-ups needed."""

from __future__ import annotations

from pathlib import Path

from shixin.service.ledger import ToldLedger
from shixin.store import ReadView, Store


def test_every_telling_is_committed_once_and_memory_stays_bounded(tmp_path: Path) -> None:
    store = Store(tmp_path / "ix")
    ledger = ToldLedger(store, interval=60.0, remember=3)  # only flush() commits here
    try:
        for i in range(10):
            ledger.tell("pbc-liuzhou", f"{i:016x}", "match", 0)
            ledger.tell("pbc-liuzhou", f"{i:016x}", "match", 0)  # a repeat is not re-queued
        assert ledger.knows("pbc-liuzhou", f"{9:016x}", 0)  # queued, not committed yet
        ledger.flush()
        assert len(ledger._seen) <= 3
        with store.read_txn() as txn:
            view = ReadView(store, txn)
            assert all(view.told("pbc-liuzhou", f"{i:016x}", 0) is not None for i in range(10))
            first = view.told("pbc-liuzhou", f"{0:016x}", 0)
        ledger.tell("pbc-liuzhou", f"{0:016x}", "feed", 0)  # forgotten, queued again
        ledger.flush()
        with store.read_txn() as txn:
            assert ReadView(store, txn).told("pbc-liuzhou", f"{0:016x}", 0) == first  # kept
    finally:
        ledger.close()
        store.close()
