#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Compare a tool's --help with its man page, both ways.

usage: mancheck.py HELP_FILE PAGE
Prints one "ok"/"not ok" line per check (tests/run-all.sh counts them).
Every option in --help must be described in the page, every option the
page's OPTIONS section describes must be in --help, and so must every
scenario.
"""
import re
import sys

OPT = re.compile(r"(?<![\w-])(--[a-z][a-z0-9.-]*[a-z0-9]|-[A-Za-z0-9])(?![\w-])")


def plain(roff):
    """roff source to text: fonts, escaped hyphens and macro names gone."""
    s = re.sub(r"\\f[BIRP]", "", roff)
    s = s.replace("\\-", "-").replace("\\&", "").replace("\\|", "")
    s = re.sub(r"^\.(B|I|BR|RB|BI|IB|IR|RI)\s", "", s, flags=re.M)
    return s.replace('"', "")


def help_options(text):
    """Options of the lines that start with one, before their description."""
    opts = set()
    for line in text.splitlines():
        if not re.match(r"^\s+-", line):
            continue
        head = re.split(r"\s{2,}", line.strip())[0]
        opts.update(OPT.findall(head))
    return opts


def help_scenarios(text):
    m = re.search(r"^Scenarios:\n((?:  \S.*\n)+)", text, flags=re.M)
    return [l.split()[0] for l in m.group(1).splitlines()] if m else []


def page_options(roff):
    """Options in the tags (the line after .TP) of the OPTIONS section."""
    m = re.search(r"^\.SH OPTIONS\n(.*?)(?=^\.SH |\Z)", roff, flags=re.M | re.S)
    if not m:
        return None
    lines = m.group(1).splitlines()
    opts = set()
    for i, line in enumerate(lines[:-1]):
        if line == ".TP":
            opts.update(OPT.findall(plain(lines[i + 1])))
    return opts


def main():
    help_text = open(sys.argv[1]).read()
    page = sys.argv[2]
    roff = open(page).read()
    name = page.rsplit("/", 1)[-1]
    text = plain(roff)
    failed = 0

    def check(cond, what):
        nonlocal failed
        print(("ok " if cond else "not ok ") + f"man {name}: {what}")
        failed += not cond

    hopts = help_options(help_text)
    check(len(hopts) >= 3, f"--help lists options ({len(hopts)})")
    missing = sorted(o for o in hopts if not re.search(
        r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", text))
    check(not missing, "every --help option is in the page" +
          (f": missing {' '.join(missing)}" if missing else ""))
    popts = page_options(roff)
    check(popts is not None, "has an OPTIONS section")
    stale = sorted((popts or set()) - hopts)
    check(not stale, "every option the page describes is in --help" +
          (f": not in --help {' '.join(stale)}" if stale else ""))
    scen = help_scenarios(help_text)
    if scen:
        gone = [s for s in scen if not re.search(r"^\.B " + s + "$", roff, flags=re.M)]
        check(not gone, "every scenario is in the page" +
              (f": missing {' '.join(gone)}" if gone else ""))
    return 1 if failed else 0


sys.exit(main())
