#!/usr/bin/env python3
"""The two quick-start commands; needs only python3 (3.11+) on the machine.

    python3 tasks.py demo   # install everything, build the demo list, serve it, run samples
    python3 tasks.py test   # install everything, run every check and the whole test suite

Installation goes into ./.venv (re-done only when pyproject.toml changes); the
buf CLI for ``buf lint`` comes from the npm registry's @bufbuild/buf into
./.tools when npm is available.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
BUF_VERSION = "1.75.0"


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
    tasks = {"demo": demo, "test": test, "install": install}
    if len(sys.argv) != 2 or sys.argv[1] not in tasks:
        sys.exit("usage: python3 tasks.py demo|test|install")
    try:
        tasks[sys.argv[1]]()
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode or 1)


if __name__ == "__main__":
    main()
