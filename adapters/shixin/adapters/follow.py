"""Drive an adapter from the change feed: lift measures, acknowledge, resume where it stopped."""

from __future__ import annotations

from collections.abc import Callable

import structlog

from shixin.adapters.base import UnitAdapter
from shixin.client import ShixinClient
from shixin.v1 import feed_service_pb2 as feed_pb

log = structlog.get_logger(__name__)


def follow_feed(client: ShixinClient, adapter: UnitAdapter, after: int, *,
                follow: bool = False, save_position: Callable[[int], None] | None = None,
                timeout: float | None = None) -> int:
    """Process changes after ``after``; returns the last sequence processed.

    For every deactivation the unit was told of, the adapter lifts its
    measures and the lifting is acknowledged, so the unit never shows up in
    the "not acknowledged in time" report. ``save_position`` is called after
    each page, so a restarted follower resumes without loss or duplicate.
    """
    last = after
    for page in client.watch(after, follow=follow, timeout=timeout):
        for change in page.changes:
            if change.kind == feed_pb.CHANGE_KIND_DEACTIVATED and change.unit_was_told:
                lifted = adapter.lift(change)
                client.acknowledge(change.sequence, list(lifted.retained))
                log.info("measures_lifted", sequence=change.sequence,
                         record_id=change.record.record_id)
            last = change.sequence
        if save_position is not None:
            save_position(last)
    return last
