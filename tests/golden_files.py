#!/usr/bin/env python3
"""Fails on golden files no test compared: stale or unreferenced.

Every golden comparison (`tests/common/mod.rs` `golden`) notes its file in
target/tmp/goldens/seen-*.txt. Run after a full `cargo test` that started
from an empty target/tmp/goldens (CI removes it first): every file under
tests/golden/ must be in some list. A golden that no test reads any more is
a stale expectation that silently stopped guarding anything; delete it (or
the test that should read it was lost).

  rm -rf target/tmp/goldens && cargo test && python3 tests/golden_files.py
"""
import glob
import os
import sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
seen_dir = os.path.join(root, "target", "tmp", "goldens")
lists = glob.glob(os.path.join(seen_dir, "seen-*.txt"))
if not lists:
    sys.exit(f"no golden comparisons recorded in {seen_dir}: run `cargo test` first")
seen = set()
for path in lists:
    with open(path, encoding="utf-8") as f:
        seen.update(line.strip() for line in f if line.strip())
golden_root = os.path.join(root, "tests", "golden")
files = set()
for dirpath, _, names in os.walk(golden_root):
    for n in names:
        files.add(os.path.relpath(os.path.join(dirpath, n), root))
unreferenced = sorted(files - seen)
missing = sorted(p for p in seen if not os.path.exists(os.path.join(root, p)))
for p in unreferenced:
    print(f"unreferenced golden: {p} (no test compared it; delete it, or restore its test)")
for p in missing:
    print(f"missing golden: {p}")
if unreferenced or missing:
    sys.exit(1)
print(f"{len(files)} golden files, each compared by a test")
