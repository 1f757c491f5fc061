#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""tdxhp-top's table from a screen capture (or -b output) on stdin, as JSON
lines on stdout: one object per row, keyed by the column titles, with
"marks" (the two marker characters).  The titles' sort marks (v, ^) are
dropped.  Every cell is one word: names have no spaces, unknowns are "-".
usage: screen_table.py < capture"""
import json
import re
import sys

lines = sys.stdin.read().splitlines()
head = None
for i, line in enumerate(lines):
    if re.match(r"^  TD[v^]? ", line):
        head = i
        break
if head is None:
    sys.exit("no table header")
titles = [re.sub(r"[v^]$", "", t) for t in lines[head][2:].split()]
for line in lines[head + 1:]:
    cells = line[2:].split()
    if len(line) < 3 or line[2] == " " or len(cells) != len(titles):
        break
    row = dict(zip(titles, cells))
    row["marks"] = line[:2]
    print(json.dumps(row, ensure_ascii=False))
