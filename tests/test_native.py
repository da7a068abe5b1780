"""The compiled modules (``python3 tasks.py native``) against their Python sources.

mypyc compiles the same typed sources, but runs them under stricter rules (types are
checked at run time, classes are native), so the compiled build must give exactly
what the sources give: the same index from the same import, the same answers to the
same queries, and the sources' doctests still hold. The sources run in a subprocess
that imports ``.py`` files ahead of extension modules (``SOURCE_FIRST``).
"""

from __future__ import annotations

import doctest
import hashlib
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import tasks

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = tasks.EXT_SUFFIX
SOURCE_FIRST = """
import importlib.machinery as m, sys
sys.path_hooks.insert(0, m.FileFinder.path_hook(
    (m.SourceFileLoader, m.SOURCE_SUFFIXES), (m.SourcelessFileLoader, m.BYTECODE_SUFFIXES),
    (m.ExtensionFileLoader, m.EXTENSION_SUFFIXES)))
sys.path_importer_cache.clear()
sys.path.insert(0, {root!r})
"""
"""Prelude of the subprocess that runs the sources: ``.py`` before ``.so`` in every folder."""
TODAY = "2026-06-30"
N_RECORDS = 1500
QUERIES_PER_WORKLOAD = 120

COMPILED = [p for p in tasks.native_sources() if tasks.compiled(p)]
needs_build = pytest.mark.skipif(not COMPILED, reason="no compiled modules (tasks.py pure)")


def module_name(source: Path) -> str:
    """``server/shixin/names/fold.py`` -> ``shixin.names.fold``."""
    return ".".join(source.relative_to(tasks.SERVER).with_suffix("").parts)


def run_sources(code: str) -> str:
    """Run ``code`` on the Python sources in a subprocess; its standard output."""
    prelude = SOURCE_FIRST.format(root=str(ROOT))
    done = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True,
                          text=True, cwd=ROOT, timeout=600, check=False,
                          env=dict(os.environ, PYTHONHASHSEED="0"))
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def answers(index: Path, truth: Path) -> str:
    """A digest of the serialised MatchResponse of every bench workload's queries."""
    from bench import workload as wl
    from bench.domain import matcher

    digest = hashlib.sha256()
    with matcher(index, TODAY) as one:
        for name, subjects in wl.build_queries(truth, QUERIES_PER_WORKLOAD).as_dict().items():
            for raw in wl.match_requests(subjects):
                digest.update(name.encode() + one(raw))
    return digest.hexdigest()


def import_into(index: Path, records: Path, events: Path) -> None:
    """Import a list with the fixed clock (rows in one transaction, as ``shixin import``)."""
    from datetime import date

    from shixin.service.clock import fixed
    from shixin.service.importer import import_files
    from shixin.store import Store

    store = Store(index)
    try:
        import_files(store, [records, events], clock=fixed(date.fromisoformat(TODAY)))
    finally:
        store.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A generated list with ground truth, and its index built by the compiled code."""
    from shixin.demo import write_demo

    d = tmp_path_factory.mktemp("native")
    files = write_demo(d / "list", N_RECORDS, truth=True)
    assert files.truth is not None
    import_into(d / "compiled", files.records, files.events)
    return {"records": files.records, "events": files.events, "truth": files.truth,
            "dir": d, "compiled": d / "compiled"}


@pytest.mark.skipif(not shutil.which("cc") and not shutil.which("gcc"), reason="no C compiler")
@pytest.mark.skipif(bool(os.environ.get("SHIXIN_PURE")), reason="SHIXIN_PURE: sources on purpose")
def test_the_build_compiled_the_hot_modules() -> None:
    """``tasks.py native`` falls back to the sources when mypyc fails: that must not pass
    unnoticed where a compiler is present."""
    assert len(COMPILED) == len(tasks.native_sources())


@needs_build
def test_compiled_modules_are_what_python_imports() -> None:
    for source in COMPILED:
        module = importlib.import_module(module_name(source))
        assert module.__file__ is not None and module.__file__.endswith(SUFFIX), source


def test_the_subprocess_runs_the_sources() -> None:
    """Else the comparisons below would compare the compiled build with itself."""
    out = run_sources("import shixin.matching.engine as e, shixin.store.bulk as b; "
                      "print(e.__file__); print(b.__file__)")
    assert [Path(line).suffix for line in out.split()] == [".py", ".py"]


@needs_build
def test_same_index_from_the_same_import(demo: dict[str, Path]) -> None:
    from bench.index_diff import compare

    pure = demo["dir"] / "pure"
    run_sources("from pathlib import Path; from tests.test_native import import_into; "
                f"import_into(Path({str(pure)!r}), Path({str(demo['records'])!r}), "
                f"Path({str(demo['events'])!r}))")
    assert compare(demo["compiled"], pure), "see the differences printed above"


@needs_build
def test_same_answers_to_the_same_queries(demo: dict[str, Path]) -> None:
    compiled = answers(demo["compiled"], demo["truth"])
    pure = run_sources("from pathlib import Path; from tests.test_native import answers; "
                       f"print(answers(Path({str(demo['compiled'])!r}), "
                       f"Path({str(demo['truth'])!r})))").strip()
    assert pure == compiled


DOCTESTED = [p for p in COMPILED if ">>>" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("source", DOCTESTED, ids=lambda p: module_name(p))
def test_doctests_of_compiled_modules(source: Path) -> None:
    """pytest's --doctest-modules would import the extension; run the source's examples."""
    name = "_source_of_" + module_name(source).replace(".", "_")
    spec = importlib.util.spec_from_file_location(name, source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is made
    try:
        spec.loader.exec_module(module)
        finder = doctest.DocTestFinder(exclude_empty=True)
        runner = doctest.DocTestRunner(optionflags=doctest.IGNORE_EXCEPTION_DETAIL)
        examples = 0
        for test in finder.find(module, module_name(source)):
            examples += len(test.examples)
            runner.run(test)
        results = runner.summarize(verbose=False)
    finally:
        del sys.modules[name]
    assert examples > 0
    assert results.failed == 0, f"{results.failed} of {results.attempted} examples failed"


def test_every_compiled_module_is_a_native_source() -> None:
    """An extension whose source left the build list would shadow the edited source."""
    sources = {p.with_suffix("") for p in tasks.native_sources()}
    stray = [p for p in (tasks.SERVER / "shixin").rglob(f"*{SUFFIX}")
             if p.with_name(p.name[: -len(SUFFIX)]) not in sources]
    assert not stray, stray


@needs_build
def test_a_server_can_tell_which_modules_run_compiled_and_which_are_stale() -> None:
    from shixin.native import compiled_modules, stale_extensions

    engine = importlib.import_module("shixin.matching.engine")
    assert "shixin.matching.engine" in compiled_modules()
    assert "shixin.native" not in compiled_modules()
    assert stale_extensions() == []
    built = Path(engine.__file__ or "")
    source = built.with_name("engine.py")
    before = source.stat()
    try:
        os.utime(source, (before.st_atime, built.stat().st_mtime + 60))
        assert stale_extensions() == ["shixin.matching.engine"]
    finally:
        os.utime(source, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert stale_extensions() == []
