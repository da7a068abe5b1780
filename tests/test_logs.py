"""shixin.logs: the server's buffered log writer keeps every line, in order."""

from __future__ import annotations

import io
import json
import logging
import threading

import structlog

from shixin import logs
from shixin.logs import BufferedLineWriter, BufferedLogger


def test_buffered_lines_are_written_in_batches_and_in_order() -> None:
    out = io.StringIO()
    writer = BufferedLineWriter(out, interval=60.0)
    try:
        for i in range(5):
            writer.add(f"line {i}")
        assert out.getvalue() == ""  # nothing written on the caller's thread
        writer.add_now("warning")  # written at once, after what was buffered before it
        assert out.getvalue().splitlines() == [*(f"line {i}" for i in range(5)), "warning"]
        writer.add("after")
    finally:
        writer.close()
    assert out.getvalue().splitlines()[-1] == "after"


def test_background_thread_writes_and_no_line_is_lost_under_threads() -> None:
    out = io.StringIO()
    writer = BufferedLineWriter(out, interval=0.01, max_lines=64)
    logger = BufferedLogger(writer)

    def emit(t: int) -> None:
        for i in range(2000):
            logger.info(f"{t}:{i}")

    threads = [threading.Thread(target=emit, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    writer.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 8000
    for t in range(4):  # each thread's lines keep their order
        mine = [int(x.split(":")[1]) for x in lines if x.startswith(f"{t}:")]
        assert mine == list(range(2000))


def test_configure_buffered_renders_json_lines() -> None:
    out = io.StringIO()
    before = structlog.get_config()
    try:
        logs.configure("json", logging.INFO, buffered=True)
        assert logs._writer is not None
        logs._writer._file = out
        log = structlog.get_logger("test")
        log.info("rpc", action="match", code="OK")
        log.debug("hidden")
        logs.flush()
        line = json.loads(out.getvalue())
        assert line["event"] == "rpc" and line["action"] == "match" and line["level"] == "info"
        log.error("boom")  # errors are written at once
        assert json.loads(out.getvalue().splitlines()[-1])["event"] == "boom"
    finally:
        logs.configure("console")  # back to the unbuffered writer; closes the buffered one
        structlog.configure(**before)
    assert logs._writer is None
