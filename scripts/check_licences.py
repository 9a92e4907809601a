#!/usr/bin/env python3
"""Fails when a crate linked into `reader` carries a licence that MIT-licensed `reader` cannot carry.

    python3 scripts/check_licences.py [--offline]

Reads `cargo metadata --format-version 1` (no network with --offline once the crates are fetched),
walks the normal dependencies of the `reader` package transitively (dev- and build-dependencies are
not linked into the binary; every platform's are checked), and evaluates each crate's SPDX
expression: `OR` (and the legacy `/`) needs one allowed side, `AND` needs both, `A WITH E` needs A
allowed and E an allowed exception. A crate with no `license` field fails too.
Exit 0 when every crate passes, 1 when any fails (each named with its licence), 2 on bad input.
"""

import json
import re
import subprocess
import sys

# Licences whose terms MIT-licensed code may link and ship under its own licence: permissive ones,
# and MPL-2.0, whose copyleft is per file (scraper's cssparser and selectors): the binary may be
# MIT as long as those files stay MPL and their source available, as crates.io keeps it. GPL, LGPL
# and AGPL (any version) are not here: they would bind the whole binary.
ALLOWED = {
    "MPL-2.0",
    "WTFPL",
    "MIT",
    "MIT-0",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "0BSD",
    "BSL-1.0",
    "CC0-1.0",
    "Unlicense",
    "Unicode-3.0",
    "Unicode-DFS-2016",
}
ALLOWED_EXCEPTIONS = {"LLVM-exception"}


def tokens(expr):
    return re.findall(r"\(|\)|[^\s()]+", expr.replace("/", " OR "))


def allowed(expr):
    """True when the SPDX expression can be satisfied with ALLOWED licences only."""
    toks = tokens(expr)
    pos = 0

    def peek():
        return toks[pos] if pos < len(toks) else None

    def take():
        nonlocal pos
        pos += 1
        return toks[pos - 1]

    def primary():
        if peek() == "(":
            take()
            value = disjunction()
            if take() != ")":
                raise ValueError(f"unbalanced parentheses in {expr!r}")
            return value
        name = take()
        if name is None or name in ("AND", "OR", "WITH", ")"):
            raise ValueError(f"bad SPDX expression {expr!r}")
        ok = name.rstrip("+") in ALLOWED
        if peek() == "WITH":
            take()
            exception = take()
            ok = ok and exception in ALLOWED_EXCEPTIONS
        return ok

    def conjunction():
        value = primary()
        while peek() == "AND":
            take()
            value = primary() and value
        return value

    def disjunction():
        value = conjunction()
        while peek() == "OR":
            take()
            value = conjunction() or value
        return value

    result = disjunction()
    if pos != len(toks):
        raise ValueError(f"trailing tokens in {expr!r}")
    return result


def main():
    cmd = ["cargo", "metadata", "--format-version", "1", "--locked"]
    cmd += [a for a in sys.argv[1:] if a == "--offline"]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        print(f"check_licences: {' '.join(cmd)} failed:\n{run.stderr}", file=sys.stderr)
        return 2
    meta = json.loads(run.stdout)
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    root = next((p["id"] for p in meta["packages"] if p["name"] == "reader"), None)
    if root is None:
        print("check_licences: no `reader` package in cargo metadata", file=sys.stderr)
        return 2
    seen, todo = set(), [root]
    while todo:
        pid = todo.pop()
        for dep in nodes[pid]["deps"]:
            normal = any(k["kind"] is None for k in dep["dep_kinds"])
            if normal and dep["pkg"] not in seen:
                seen.add(dep["pkg"])
                todo.append(dep["pkg"])
    bad = []
    for pid in sorted(seen, key=lambda i: (packages[i]["name"], packages[i]["version"])):
        p = packages[pid]
        lic = p.get("license")
        try:
            ok = bool(lic) and allowed(lic)
        except ValueError as e:
            ok, lic = False, f"{lic} ({e})"
        if not ok:
            bad.append(f"  {p['name']} {p['version']}: {lic or 'no licence field'}")
    if bad:
        print(f"check_licences: {len(bad)} of {len(seen)} crates linked into reader carry a "
              "licence MIT cannot carry:")
        print("\n".join(bad))
        return 1
    print(f"check_licences: {len(seen)} crates linked into reader, all under permissive licences")
    return 0


if __name__ == "__main__":
    sys.exit(main())
