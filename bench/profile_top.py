"""Where a py-spy profile's time goes: the functions of the portal (and the libraries) with
the largest share of samples, inclusive, from a collapsed-stack file (`py-spy --format raw`).

Usage: python -m bench.profile_top FILE [--top 40] [--match TEXT]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def shares(path: Path, match: str) -> tuple[Counter, int]:
    inclusive: Counter = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = {frame.rsplit(":", 1)[0] + ")" for frame in stack.split(";") if match in frame}
        for frame in frames:
            inclusive[frame] += n
    return inclusive, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--match", default="", help="only frames whose text holds this, e.g. "
                                                     "'portal/' or 'components/'")
    args = parser.parse_args()
    inclusive, total = shares(args.file, args.match)
    print(f"{total} samples")
    for frame, n in inclusive.most_common(args.top):
        print(f"{100 * n / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
