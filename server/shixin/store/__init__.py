"""The LMDB index: records, secondary keys, history, change feed.

Readers get a consistent snapshot per read transaction and never load the
list into Python memory; writers apply one push (or one whole import) per
write transaction, so a crash leaves either all of it or none of it.
"""

from shixin.store.documents import Party, StoredRecord
from shixin.store.env import Store
from shixin.store.reader import ReadView
from shixin.store.writer import ApplyResult, Writer

__all__ = ["ApplyResult", "Party", "ReadView", "Store", "StoredRecord", "Writer"]
