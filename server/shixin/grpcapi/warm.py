"""Get a serving process ready before its first call: lazy tables loaded, then frozen.

The name tables (pinyin, OpenCC: ~190,000 objects) load on the first name query,
which would otherwise pay for them. Everything built by then lives as long as
the process, yet CPython's full garbage collections walked all of it each time:
a pause of every call in flight of 100-350 ms on the 1M bench's name-only
queries (docs/performance.md). ``gc.freeze`` keeps those objects out of
collections; the collection just before it leaves no garbage among them; and
full collections are made rarer (``FULL_COLLECTION_EVERY``), since what is left
for them to walk grows with the caches.
"""

from __future__ import annotations

import gc
from datetime import date

from shixin.matching import Query, match
from shixin.store import ReadView, Store

WARM_UP = (Query(name="张晓明"), Query(name="Zhang Xiaoming"),
           Query(name="柳州市鑫達貿易有限公司", kind="organization"))
"""Subjects whose matching loads every lazy table: Han, Latin and organisation names."""
FULL_COLLECTION_EVERY = 100
"""Middle-generation collections between two full ones (CPython's default: 10). CPython
also waits until the objects that survived since the last full collection are a quarter
of those it kept; with the start-up objects frozen that quarter is small, and full
collections over the caches came ten times as often as before."""


def warm_and_freeze(store: Store) -> int:
    """Match ``WARM_UP`` against ``store``, collect, freeze; the number of objects frozen."""
    with store.read_txn() as txn:
        for query in WARM_UP:
            match(ReadView(store, txn), query, today=date.today())
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    return gc.get_freeze_count()
