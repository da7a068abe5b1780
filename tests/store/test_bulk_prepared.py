"""What the importer spools of a record comes back as it was prepared."""

from __future__ import annotations

import json
import marshal
from pathlib import Path

from shixin.demo import write_demo
from shixin.records import parse_record
from shixin.service.records import is_event
from shixin.store.bulk import prepare_record, unspooled


def test_unspooled_prepared_has_the_postings_it_was_prepared_with(tmp_path: Path) -> None:
    """The spool leaves the postings out; ``unspooled`` makes the same ones again."""
    demo = write_demo(tmp_path / "list", 60, seed=7)
    seen = 0
    for line in demo.records.read_text("utf-8").splitlines():
        obj = json.loads(line)
        if is_event(obj):
            continue
        prep = prepare_record(parse_record(obj))
        spooled = marshal.loads(marshal.dumps(prep.spooled()))
        assert spooled[-1] == ()
        assert unspooled(spooled) == prep
        seen += 1
    assert seen >= 60
