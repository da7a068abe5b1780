"""Summarise py-spy ``raw`` (collapsed) stacks: inclusive and self share per function.

    python bench/flame.py PROFILE.txt [--top 40] [--thread rpc]

Each line of a collapsed file is ``frame;frame;… count``; a function's
inclusive share counts every sample with it anywhere on the stack (once per
sample), its self share the samples where it is the innermost frame.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_LOCATION = re.compile(r"\s*\((?P<file>[^:()]+)(?::\d+)?\)$")


def _name(frame: str) -> str:
    """``fn (path/to/file.py:12)`` → ``fn (file.py)``."""
    m = _LOCATION.search(frame)
    if not m:
        return frame.strip()
    short = "/".join(m.group("file").split("/")[-2:])
    return f"{frame[:m.start()].strip()} ({short})"


def summarise(path: Path, thread: str = "") -> tuple[int, Counter[str], Counter[str]]:
    """(samples, inclusive counts, self counts) of the stacks whose thread matches."""
    total = 0
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        frames = stack.split(";")
        if thread and thread not in frames[0]:
            continue
        count = int(count_text)
        total += count
        names = [_name(f) for f in frames[1:]] or [_name(frames[0])]
        for name in set(names):
            inclusive[name] += count
        own[names[-1]] += count
    return total, inclusive, own


def report(path: Path, top: int = 40, thread: str = "") -> str:
    """A text table of the top functions by inclusive and by self share."""
    total, inclusive, own = summarise(path, thread)
    where = f" (threads matching {thread!r})" if thread else ""
    lines = [f"{path.name}: {total} samples{where}"]
    lines.append("inclusive %  self %  function")
    for name, count in inclusive.most_common(top):
        lines.append(f"{100 * count / max(total, 1):10.1f}  {100 * own[name] / max(total, 1):6.1f}"
                     f"  {name}")
    lines.append("\ntop self:")
    for name, count in own.most_common(top // 2):
        lines.append(f"{100 * count / max(total, 1):10.1f}  {name}")
    return "\n".join(lines)


def main() -> None:
    """CLI."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--thread", default="", help="only threads whose name contains this")
    args = parser.parse_args()
    print(report(args.profile, args.top, args.thread))


if __name__ == "__main__":
    main()
