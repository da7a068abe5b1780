"""Compare two shixin indexes entry by entry, every sub-database, timestamps aside.

    .venv/bin/python bench/index_diff.py INDEX_A INDEX_B

Import changes must leave the index the same: this reads both LMDB environments
(read-only, without taking their locks: run it on indexes nobody writes to) in key
order and reports, per sub-database, the entries, and the first keys whose
entries differ once the import's clock readings (``received_at``,
``recorded_at``) are masked. Exit status 1 if any differ.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import lmdb

from shixin.store.layout import DB_NAMES, DUPSORT_DBS

_STAMP = re.compile(rb'"(received_at|recorded_at)":"[^"]*"')
SHOWN = 5
"""Differences printed per sub-database."""


def _entries(env: lmdb.Environment, name: str) -> Iterator[tuple[bytes, bytes]]:
    db = env.open_db(name.encode(), create=False, dupsort=name in DUPSORT_DBS)
    with env.begin(db=db) as txn, txn.cursor() as cur:
        for key, value in cur.iternext(keys=True, values=True):
            yield bytes(key), _STAMP.sub(rb'"\1":"*"', bytes(value))


def compare(a: Path, b: Path) -> bool:
    """Print what differs between the two indexes; True if nothing does."""
    envs = [lmdb.open(str(p), readonly=True, lock=False, max_dbs=len(DB_NAMES) + 1,
                      subdir=True) for p in (a, b)]
    same = True
    try:
        for name in DB_NAMES:
            count = differ = 0
            pairs = itertools.zip_longest(_entries(envs[0], name), _entries(envs[1], name))
            for left, right in pairs:
                count += 1
                if left == right:
                    continue
                differ += 1
                if differ <= SHOWN:
                    print(f"  {name}: {left!r:.300}\n  {' ' * len(name)}  {right!r:.300}")
            print(f"{name}: {count} entries, {differ} differ")
            same = same and differ == 0
    finally:
        for env in envs:
            env.close()
    return same


def main() -> int:
    """Compare the two indexes named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    args = parser.parse_args()
    same = compare(args.a, args.b)
    print("same" if same else "DIFFERENT")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
