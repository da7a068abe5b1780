"""A deterministic, realistic demo list of dishonest judgment debtors.

Used by the quick-start demo, the matching-quality tests and the benchmarks:
same seed, same bytes. See :mod:`shixin.demo.generator` for what is in it and
:mod:`shixin.demo.writer` for the files it writes.
"""

from .generator import (
    DEFAULT_SEED,
    DEFAULT_TODAY,
    generate,
    generate_events,
    generate_stream,
    generate_with_truth,
)
from .truth import Listing, Org, Person
from .writer import DemoFiles, write_demo

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_TODAY",
    "DemoFiles",
    "Listing",
    "Org",
    "Person",
    "generate",
    "generate_events",
    "generate_stream",
    "generate_with_truth",
    "write_demo",
]
