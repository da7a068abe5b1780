"""Adapters plug shixin into a unit's own system (bank, customs, housing fund, police).

Every adapter implements :class:`UnitAdapter` (``base.py``): it turns a
shixin answer into the unit's own decision ("自动比对、自动拦截") and lifts the
unit's measures when the change feed says a record it was told of has ended
("自动解除"). :func:`follow_feed` drives the second half for any adapter.
"""

from shixin.adapters.base import Decision, Lifted, UnitAdapter, decide
from shixin.adapters.follow import follow_feed
from shixin.adapters.registry import available, create

__all__ = ["Decision", "Lifted", "UnitAdapter", "available", "create", "decide", "follow_feed"]
