"""The benchmark suite: one entry point, ``python bench/run.py`` (see docs/performance.md)."""
