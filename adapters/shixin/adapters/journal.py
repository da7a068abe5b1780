"""A reference adapter whose "system" is an append-only JSON Lines journal.

Units without an integration yet (or a test bench) use it: every decision and
every lifting is written as one line, which their staff or a later
integration can replay.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path

from shixin.adapters.base import Decision, Lifted, UnitAdapter
from shixin.v1 import feed_service_pb2 as feed_pb
from shixin.v1 import match_service_pb2 as match_pb


class JournalAdapter(UnitAdapter):
    """Writes decisions and liftings to ``path``."""

    def __init__(self, unit: str, purpose: str, path: Path) -> None:
        self.unit = unit
        self.purpose = purpose
        self.path = Path(path)
        self._lock = threading.Lock()

    def _write(self, entry: dict[str, object]) -> None:
        entry = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "unit": self.unit,
                 **entry}
        with self._lock, self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def apply(self, subject: match_pb.Subject, decision: Decision) -> None:
        """Journal the decision."""
        self._write({"kind": "decision", "name": subject.name, "id_number": subject.id_number,
                     "action": decision.action, "records": list(decision.record_ids),
                     "reasons": list(decision.reasons)})

    def lift(self, change: feed_pb.Change) -> Lifted:
        """Journal the lifting; this adapter keeps no measure."""
        self._write({"kind": "lifted", "sequence": change.sequence,
                     "record_id": change.record.record_id, "reason": change.reason})
        return Lifted(change.sequence, change.record.record_id)
