"""A serving process loads its lazy tables and freezes its long-lived objects before serving."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from shixin.grpcapi.server import Running
from shixin.grpcapi.warm import FULL_COLLECTION_EVERY

PROBE = """
import gc, json, sys
from shixin.store import Store
from shixin.grpcapi.warm import warm_and_freeze
before = len(gc.get_objects())
frozen = warm_and_freeze(Store(sys.argv[1], readonly=True))
print(json.dumps({"before": before, "frozen": frozen, "left": len(gc.get_objects()),
                  "threshold": gc.get_threshold()}))
"""


def test_warm_up_loads_the_name_tables_and_freezes_them(index: Path) -> None:
    """In a fresh process: far more objects frozen than there were before (the pinyin and
    OpenCC tables load on the warm-up's queries), none left for collections to walk, and
    full collections made rarer to match."""
    out = subprocess.run([sys.executable, "-c", PROBE, str(index)], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    counts = json.loads(out.splitlines()[-1])
    assert counts["frozen"] > 3 * counts["before"]
    assert counts["left"] < counts["frozen"] // 100
    assert counts["threshold"][2] == FULL_COLLECTION_EVERY


def test_a_started_server_has_frozen_its_objects(served: Running) -> None:
    import gc

    assert gc.get_freeze_count() > 0
