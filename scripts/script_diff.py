#!/usr/bin/env python3
"""Compares two dumps of `cargo run --example script_dump` (before and after a converter change).

    python3 scripts/script_diff.py before.tsv after.tsv

Prints how many (article, field, conversion) lines differ, then every distinct change
(old -> new, per conversion mode) with its count and one example in context, most frequent first.
"""

import collections
import difflib
import sys


def load(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 3)
            if len(parts) == 4:
                rows[tuple(parts[:3])] = parts[3]
    return rows


def changes(old, new):
    """(old piece, new piece, context) for each differing stretch."""
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            ctx = new[max(0, j1 - 6) : j2 + 6]
            yield old[i1:i2], new[j1:j2], ctx


def main():
    before, after = load(sys.argv[1]), load(sys.argv[2])
    missing = set(before) ^ set(after)
    differing = [k for k in before if k in after and before[k] != after[k]]
    print(f"lines: {len(before)} before, {len(after)} after, {len(missing)} in one only")
    print(f"differing lines: {len(differing)}")
    by_mode = collections.Counter(k[2] for k in differing)
    for mode, n in sorted(by_mode.items()):
        print(f"  {mode}: {n}")
    tally = collections.Counter()
    example = {}
    for key in differing:
        old, new = before[key], after[key]
        if key[2] != "search" and len(old) == len(new):
            # Character-aligned conversions: compare position by position, merging runs.
            i = 0
            while i < len(old):
                if old[i] != new[i]:
                    j = i
                    while j < len(old) and old[j] != new[j]:
                        j += 1
                    item = (key[2], old[i:j], new[i:j])
                    tally[item] += 1
                    example.setdefault(item, (key[0], new[max(0, i - 6) : j + 6]))
                    i = j
                else:
                    i += 1
        else:
            for o, n, ctx in changes(old, new):
                item = (key[2], o, n)
                tally[item] += 1
                example.setdefault(item, (key[0], ctx))
    print(f"distinct changes: {len(tally)}")
    for (mode, o, n), count in tally.most_common():
        path, ctx = example[(mode, o, n)]
        print(f"{count:6}  {mode:11}  {o!r} -> {n!r}   e.g. …{ctx}…  ({path})")


if __name__ == "__main__":
    main()
