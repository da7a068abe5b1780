"""Reading and writing batch lookup files (see ``spec/batch-lookup.md``).

Input rows stream from CSV, XLSX or JSON Lines via :func:`read_rows`; results go
out one per input row via :func:`open_writer`, atomically.
"""

from .readers import count_rows, read_rows
from .rows import BatchFileError, BatchRow, RowError
from .writers import CSV_COLUMNS, ResultWriter, error_result, open_writer

__all__ = [
    "CSV_COLUMNS",
    "BatchFileError",
    "BatchRow",
    "ResultWriter",
    "RowError",
    "count_rows",
    "error_result",
    "open_writer",
    "read_rows",
]
