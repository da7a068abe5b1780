"""Identity matching: candidates from index keys, scored by small pure features."""

from shixin.matching.engine import Hit, MatchResult, Query, match
from shixin.matching.features import Evidence

__all__ = ["Evidence", "Hit", "MatchResult", "Query", "match"]
