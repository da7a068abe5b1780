"""Reading and writing batch lookup files (see ``spec/batch-lookup.md``).

Input rows stream from CSV, XLSX or JSON Lines via :func:`read_rows`; results go
out one per input row via :func:`open_writer`, atomically.
"""

from .readers import count_rows, read_rows, read_subjects
from .rows import BatchFileError, BatchRow, Fields, RowError
from .writers import CSV_COLUMNS, CsvWriter, JsonlWriter, ResultWriter, error_result, open_writer

__all__ = [
    "CSV_COLUMNS",
    "BatchFileError",
    "BatchRow",
    "CsvWriter",
    "Fields",
    "JsonlWriter",
    "ResultWriter",
    "RowError",
    "count_rows",
    "error_result",
    "open_writer",
    "read_rows",
    "read_subjects",
]
