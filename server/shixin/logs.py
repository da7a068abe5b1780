"""structlog configuration: JSON lines in production, console in development.

The server (``shixin serve``) writes its lines through :class:`BufferedLineWriter`:
a worker thread renders the line and appends it to a list, and one background
thread writes what has gathered every ``interval`` (0.2 s) in one ``write``.
Writing each line with its own ``write`` + flush (structlog's ``PrintLogger``)
cost the server 80-100 µs of CPU per RPC under load (docs/performance.md): every
syscall releases the GIL, and with many worker threads each release is a
hand-over and a context switch. Lines at warning level and above are written at
once, with everything buffered before them, so order is kept. What the buffer
holds when the process is killed (SIGKILL, a crash of the interpreter) is lost:
at most ``interval`` of RPC lines. A normal exit (SIGTERM, SIGINT) writes it
out. The audit log, not these lines, is the record of who asked what.

Command-line tools keep the unbuffered writer: their log lines interleave with
what they print.
"""

from __future__ import annotations

import atexit
import logging
import sys
import threading
from collections import deque
from typing import Any, TextIO

import structlog


class BufferedLineWriter:
    """Collects rendered lines; a daemon thread writes them in batches (see module doc)."""

    def __init__(self, file: TextIO | None = None, *, interval: float = 0.2,
                 max_lines: int = 2048) -> None:
        self._file = file if file is not None else sys.stderr
        self._interval = interval
        self._max_lines = max_lines
        self._lines: deque[str] = deque()  # append/popleft are atomic: no lock on add
        self._lock = threading.Lock()  # one writer at a time: the thread or add_now/flush
        self._wake = threading.Event()
        self._closed = False
        self._thread = threading.Thread(target=self._run, name="shixin-log-writer", daemon=True)
        self._thread.start()
        atexit.register(self.close)

    def add(self, line: str) -> None:
        """Buffer one line (no syscall on the caller's thread)."""
        self._lines.append(line)
        if self._closed:
            self.flush()
        elif len(self._lines) >= self._max_lines:
            self._wake.set()

    def add_now(self, line: str) -> None:
        """Write everything buffered, then ``line``, now (warnings and errors)."""
        with self._lock:
            lines = self._drain()
            lines.append(line)
            self._write(lines)

    def flush(self) -> None:
        """Write what is buffered now."""
        with self._lock:
            self._write(self._drain())

    def close(self) -> None:
        """Write what is buffered and stop the thread. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._wake.set()
        self._thread.join(timeout=5)
        self.flush()
        atexit.unregister(self.close)

    def _drain(self) -> list[str]:
        pop = self._lines.popleft
        return [pop() for _ in range(len(self._lines))]

    def _write(self, lines: list[str]) -> None:
        if not lines:
            return
        try:
            self._file.write("\n".join(lines) + "\n")
            self._file.flush()
        except (OSError, ValueError):  # stderr closed or gone: logs must never stop the server
            pass

    def _run(self) -> None:
        while not self._closed:
            self._wake.wait(self._interval)
            self._wake.clear()
            self.flush()


class BufferedLogger:
    """structlog logger writing through a :class:`BufferedLineWriter`."""

    def __init__(self, writer: BufferedLineWriter) -> None:
        self._writer = writer

    def msg(self, message: str) -> None:
        self._writer.add(message)

    def msg_now(self, message: str) -> None:
        self._writer.add_now(message)

    debug = info = log = msg
    warning = warn = error = err = critical = fatal = exception = failure = msg_now


class BufferedLoggerFactory:
    """One :class:`BufferedLogger` (shared writer) for every structlog logger."""

    def __init__(self, writer: BufferedLineWriter) -> None:
        self.writer = writer
        self._logger = BufferedLogger(writer)

    def __call__(self, *args: Any) -> BufferedLogger:
        return self._logger


_writer: BufferedLineWriter | None = None


def configure(fmt: str = "json", level: int = logging.INFO, *, buffered: bool = False) -> None:
    """Configure structlog for a process (server or CLI); call again to change it.

    ``buffered``: write through a :class:`BufferedLineWriter` (the server);
    otherwise each line is written and flushed at once (command-line tools).
    """
    global _writer
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False) if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    factory: Any
    if buffered:
        if _writer is None:
            _writer = BufferedLineWriter(sys.stderr)
        factory = BufferedLoggerFactory(_writer)
    else:
        if _writer is not None:
            _writer.close()
            _writer = None
        factory = structlog.PrintLoggerFactory(file=sys.stderr)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=factory,
        cache_logger_on_first_use=True,
    )


def flush() -> None:
    """Write out buffered log lines (no-op without a buffered writer)."""
    if _writer is not None:
        _writer.flush()
