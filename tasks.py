#!/usr/bin/env python3
"""The two quick-start commands; needs only python3 (3.11+) on the machine.

    python3 tasks.py demo   # install everything, build the demo list, serve it, run samples
    python3 tasks.py test   # install everything, run every check and the whole test suite
    python3 tasks.py native # install everything; (re)compile the hot modules (see below)
    python3 tasks.py pure   # remove the compiled modules: run the Python sources as they are

Installation goes into ./.venv (re-done only when pyproject.toml changes); the
buf CLI for ``buf lint`` comes from the npm registry's @bufbuild/buf into
./.tools when npm is available.

The matching, name, ID, store and import modules are also compiled to C
extensions with mypyc (part of mypy): the same typed Python, 20-35 % less CPU per
query and per imported record (docs/performance.md). The extensions sit beside
their sources and Python prefers them, so ``install`` recompiles whenever one of
those sources (or mypy) changes, and the test suite refuses to run against
extensions older than their sources (conftest.py). Without a C compiler, or
when mypyc fails (it says why), the sources run as they are.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
BUF_VERSION = "1.75.0"
SERVER = ROOT / "server"
EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX") or ".so"
"""What Python's C extensions end with here (``.cpython-311-x86_64-linux-gnu.so``)."""
NATIVE_STAMP = SERVER / ".shixin-native"
NATIVE_PACKAGES = ("audit", "auth", "grpcapi", "ids", "lifecycle", "matching", "measures",
                   "names", "records", "service", "store")
"""Packages of ``server/shixin`` whose modules are compiled, less ``NATIVE_SKIP``."""
NATIVE_SKIP = frozenset({
    # exceptions subclassing builtins; modules that own threads (mypyc can't compile an
    # attribute named ``_thread``); feed and importer (no ``continue`` in try/finally, and
    # the importer's lazy generator of work would become a list): not where the CPU goes
    "audit/errors.py", "auth/errors.py", "measures/errors.py", "audit/log.py",
    "audit/anchor.py", "service/ledger.py", "service/feed.py", "service/importer.py",
    # gRPC glue: servicers subclass generated classes; process setup, CPU pinning, TLS
    "grpcapi/server.py", "grpcapi/pinning.py", "grpcapi/identity.py", "grpcapi/errors.py",
    "grpcapi/admin_servicer.py", "grpcapi/feed_servicer.py", "grpcapi/match_servicer.py",
    "grpcapi/measure_servicer.py", "grpcapi/record_servicer.py",
    # compiled, its process pool never became ready (tests/integration/test_batch_workers)
    "grpcapi/batch_rows.py",
    "auth/certs.py", "lifecycle/diagram.py",
    # Principal takes a role given as text and converts it, which mypyc's checks refuse
    "auth/roles.py",
    # a generator that catches GeneratorExit (a stream the client cancelled) behaves
    # differently compiled: the call's CANCELLED entry went missing
    "grpcapi/calls.py",
})


def run(*cmd: str | Path, **kw: object) -> None:
    """Run a command, echoing it; stop on failure."""
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, **kw)  # type: ignore[call-overload]


def install() -> None:
    """Create .venv and install shixin with its dev extras (skipped when up to date)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py runs on whatever python3 is there
        sys.exit(f"shixin needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    stamp = VENV / ".shixin-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    if not stamp.exists() or stamp.read_text() != digest:
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        stamp.write_text(digest)
    buf = ROOT / ".tools" / "node_modules" / ".bin" / "buf"
    if not buf.exists() and shutil.which("npm"):
        try:
            run("npm", "install", "--silent", "--no-fund", "--no-audit", "--prefix",
                ROOT / ".tools", f"@bufbuild/buf@{BUF_VERSION}")
        except subprocess.CalledProcessError:
            print("buf could not be installed; the buf lint test will be skipped", flush=True)
    native()


def native_sources() -> list[Path]:
    """The modules compiled with mypyc, in a stable order."""
    base = SERVER / "shixin"
    return sorted(path for pkg in NATIVE_PACKAGES for path in (base / pkg).glob("*.py")
                  if path.name != "__init__.py"
                  and path.relative_to(base).as_posix() not in NATIVE_SKIP)


def native_digest(mypy_version: str | None = None) -> str:
    """What the compiled modules were built from: their sources and the mypy version."""
    if mypy_version is None:
        mypy_version = subprocess.run(
            [PY, "-c", "import importlib.metadata as m; print(m.version('mypy'))"],
            capture_output=True, text=True, check=False).stdout.strip()
    h = hashlib.sha256(mypy_version.encode())
    for path in native_sources():
        h.update(b"\0" + path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def native_stale() -> str:
    """Why the compiled modules do not match their sources ('' when they do, or when
    there are none: then Python runs the sources)."""
    import importlib.metadata

    if not native_artifacts():
        return ""
    if not NATIVE_STAMP.exists():
        return "compiled modules without a build stamp"
    if NATIVE_STAMP.read_text() != native_digest(importlib.metadata.version("mypy")):
        return "compiled modules older than their sources"
    return ""


def native_artifacts() -> list[Path]:
    """Every compiled file under server/ (the extensions and mypyc's shared library)."""
    return [*SERVER.glob(f"*{EXT_SUFFIX}"), *(SERVER / "shixin").rglob(f"*{EXT_SUFFIX}")]


def compiled(source: Path) -> bool:
    """Whether Python imports a C extension instead of this source file."""
    return source.with_name(source.stem + EXT_SUFFIX).exists()


def pure() -> None:
    """Remove the compiled modules: Python then imports the sources."""
    for path in native_artifacts():
        path.unlink()
    NATIVE_STAMP.unlink(missing_ok=True)
    shutil.rmtree(SERVER / "build", ignore_errors=True)  # mypyc's C sources and objects


def native() -> None:
    """Compile ``native_sources()`` with mypyc in place, unless already built from them."""
    if not (shutil.which("cc") or shutil.which("gcc")) or os.environ.get("SHIXIN_PURE"):
        print("no C compiler (or SHIXIN_PURE set): the Python sources run as they are",
              flush=True)
        pure()
        return
    digest = native_digest()
    if NATIVE_STAMP.exists() and NATIVE_STAMP.read_text() == digest and native_artifacts():
        return
    pure()
    sources = [str(p.relative_to(SERVER)) for p in native_sources()]
    mypy_path = os.pathsep.join(str(ROOT / d) for d in ("server", "clients", "adapters", "proto"))
    env = dict(os.environ, MYPYPATH=mypy_path, MYPYC_OPT_LEVEL="3")
    print(f"+ mypyc ({len(sources)} modules of server/shixin)", flush=True)
    # Run from server/: mypyc puts the shared library in the working directory, which
    # must be on sys.path (server/ is, through the editable install).
    built = subprocess.run([BIN / "mypyc", "--config-file", str(ROOT / "pyproject.toml"),
                            *sources], cwd=SERVER, env=env, capture_output=True, text=True,
                           check=False)
    if built.returncode != 0:
        # The sources are what the extensions would be built from: run them, and say so
        # (tests/test_native.py fails where a compiler is present but nothing was built).
        print(f"mypyc failed ({built.returncode}); the Python sources run as they are:\n"
              f"{(built.stdout + built.stderr)[-3000:]}", flush=True)
        pure()
        return
    shutil.rmtree(SERVER / "build", ignore_errors=True)  # C sources and objects: not needed
    NATIVE_STAMP.write_text(digest)


def demo() -> None:
    """Build the demo list, start the server, run a sample lookup and batch."""
    install()
    run(BIN / "shixin", "demo", "--data", ROOT / "demo-data")


def test() -> None:
    """Every check CI runs: generated code in sync, ruff, mypy, the whole test suite."""
    install()
    env = dict(os.environ, PATH=f"{ROOT / '.tools' / 'node_modules' / '.bin'}{os.pathsep}"
                                f"{os.environ.get('PATH', '')}")
    run(PY, "proto/generate.py", "--check")
    run(PY, "-m", "ruff", "check", ".")
    run(PY, "-m", "mypy")
    run(PY, "-m", "pytest", env=env)


def main() -> None:
    """Dispatch."""
    tasks = {"demo": demo, "test": test, "install": install, "native": install, "pure": pure}
    if len(sys.argv) != 2 or sys.argv[1] not in tasks:
        sys.exit("usage: python3 tasks.py demo|test|install|native|pure")
    try:
        tasks[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode or 1)


if __name__ == "__main__":
    main()
