"""Opening the LMDB environment: one file set per data directory."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import lmdb
import structlog

from shixin.store.layout import DB_NAMES, DUPSORT_DBS, SCHEMA_VERSION

log = structlog.get_logger(__name__)

# Address space only: LMDB maps the file sparsely, the disk holds what is written.
DEFAULT_MAP_SIZE = 1 << 38


class Store:
    """An LMDB environment with shixin's named databases.

    Readers open a read transaction per request (about a microsecond);
    writers take the single write lock for one push or one import.
    """

    def __init__(self, path: str | Path, *, readonly: bool = False,
                 map_size: int = DEFAULT_MAP_SIZE) -> None:
        self.path = Path(path)
        if not readonly:
            self.path.mkdir(parents=True, exist_ok=True)
        elif not (self.path / "data.mdb").exists():
            raise FileNotFoundError(f"no shixin index in {self.path} (run 'shixin import' first)")
        self.env = lmdb.open(
            str(self.path), map_size=map_size, max_dbs=len(DB_NAMES) + 1,
            readonly=readonly, readahead=False, max_readers=512, lock=True,
        )
        self.dbs: dict[str, Any] = {}
        for name in DB_NAMES:
            if readonly:
                self.dbs[name] = self.env.open_db(name.encode(), create=False,
                                                  dupsort=name in DUPSORT_DBS)
            else:
                self.dbs[name] = self.env.open_db(
                    name.encode(), dupsort=name in DUPSORT_DBS,
                    dupfixed=name in DUPSORT_DBS,
                )
        if not readonly:
            with self.env.begin(write=True, db=self.dbs["meta"]) as txn:
                found = txn.get(b"schema")
                if found is None:
                    txn.put(b"schema", SCHEMA_VERSION)
                elif found != SCHEMA_VERSION:
                    raise RuntimeError(
                        f"index in {self.path} has schema {found.decode()}, "
                        f"this shixin reads {SCHEMA_VERSION.decode()}: re-import the list")

    @contextmanager
    def read_txn(self) -> Iterator[Any]:
        """A read-only snapshot."""
        with self.env.begin(buffers=False) as txn:
            yield txn

    @contextmanager
    def write_txn(self) -> Iterator[Any]:
        """The single write transaction: committed on success, aborted on any error."""
        with self.env.begin(write=True) as txn:
            yield txn

    def size_on_disk(self) -> int:
        """Bytes of the data file actually allocated."""
        data = self.path / "data.mdb"
        return data.stat().st_blocks * 512 if data.exists() else 0

    def close(self) -> None:
        """Close the environment."""
        self.env.close()
