"""Regenerate the Python code of proto/shixin/v1 (one command, reproducible).

Usage::

    python proto/generate.py          # write *_pb2.py, *_pb2.pyi, *_pb2_grpc.py(i)
    python proto/generate.py --check  # exit 1 when the committed code is out of sync

The generated files sit next to the .proto files so that ``shixin.v1`` is an
ordinary package of the ``shixin`` namespace. Versions of grpcio-tools and
mypy-protobuf are pinned by pyproject's ``dev`` extra; the check compares the
bytes the current toolchain produces with the committed files.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROTO_ROOT = Path(__file__).resolve().parent
PACKAGE_DIR = PROTO_ROOT / "shixin" / "v1"
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py", "_pb2_grpc.pyi")


def _generate(out_dir: Path) -> None:
    protos = sorted(str(p.relative_to(PROTO_ROOT)) for p in PACKAGE_DIR.glob("*.proto"))
    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    cmd = [
        sys.executable, "-m", "grpc_tools.protoc",
        f"-I{PROTO_ROOT}",
        f"--python_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        f"--mypy_out={out_dir}",
        f"--mypy_grpc_out={out_dir}",
        *protos,
    ]
    done = subprocess.run(cmd, cwd=PROTO_ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:  # the mypy plugin chatters on stderr; show it only on failure
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(done.returncode)
    (out_dir / "shixin" / "v1" / "__init__.py").write_text(
        '"""Generated protobuf and gRPC code for shixin.v1 (see proto/generate.py)."""\n'
    )


def _generated_files(root: Path) -> set[str]:
    pkg = root / "shixin" / "v1"
    names = {p.name for p in pkg.iterdir() if p.name.endswith(GENERATED_SUFFIXES)}
    return names | {"__init__.py"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when out of sync")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        _generate(out)
        fresh = _generated_files(out)
        if args.check:
            committed = _generated_files(PROTO_ROOT)
            stale = sorted(
                name for name in fresh | committed
                if name not in fresh or name not in committed
                or not filecmp.cmp(out / "shixin/v1" / name, PACKAGE_DIR / name, shallow=False)
            )
            if stale:
                sys.stderr.write(
                    "generated code is out of sync with the .proto files: "
                    + ", ".join(stale) + "\nrun: python proto/generate.py\n"
                )
                return 1
            sys.stdout.write(f"generated code in sync ({len(fresh)} files)\n")
            return 0
        for name in _generated_files(PROTO_ROOT) - {"__init__.py"}:
            (PACKAGE_DIR / name).unlink()
        for name in fresh:
            shutil.copyfile(out / "shixin/v1" / name, PACKAGE_DIR / name)
    sys.stdout.write(f"wrote {len(fresh)} files to {PACKAGE_DIR}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
