#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Compare a tool's --help with its man page, both ways.

usage: mancheck.py HELP_FILE PAGE
       mancheck.py --stubs HELP_FILE PAGE   (`make man-stubs`)
Prints one "ok"/"not ok" line per check (tests/run-all.sh counts them).
Every option in --help must be described in the page, every option the
page's OPTIONS section describes must be in --help, and so must every
scenario.  With --stubs, prints a .TP entry, from --help, for each option
the page misses, and names the ones it describes that --help does not have.
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


def help_entries(text):
    """(head, description) of each option line of --help."""
    entries = []
    for line in text.splitlines():
        if re.match(r"^\s+-", line):
            parts = re.split(r"\s{2,}", line.strip(), maxsplit=1)
            entries.append([parts[0], parts[1] if len(parts) > 1 else ""])
        elif entries and re.match(r"^\s{6,}\S", line):
            entries[-1][1] += " " + line.strip()
        elif entries and not line.startswith(" "):
            break
    return entries


def roff_text(s):
    s = s.replace("\\", "\\e").replace("-", "\\-")
    return "\\&" + s if s[:1] in (".", "'") else s


def roff_head(head):
    """-o, --ops LIST  ->  \\fB\\-o\\fR, \\fB\\-\\-ops\\fR \\fILIST\\fR"""
    out = []
    for piece in head.split(", "):
        m = re.match(r"^(-[-\w.]*)(\[=|=| )?(.*?)\]?$", piece)
        opt, sep, meta = m.group(1), m.group(2) or "", m.group(3)
        r = "\\fB" + roff_text(opt) + "\\fR"
        if meta:
            r += {"[=": "[=", "=": "=", " ": " "}[sep] + "\\fI" + \
                roff_text(meta) + "\\fR" + ("]" if sep == "[=" else "")
        out.append(r)
    return ", ".join(out)


def stubs(help_text, roff, page):
    text = plain(roff)
    described = page_options(roff) or set()
    entries = []
    for head, desc in help_entries(help_text):
        opts = OPT.findall(head)
        if all(re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", text)
               for o in opts):
            continue
        desc = desc[:1].upper() + desc[1:]
        entries.append(".TP\n" + roff_head(head) + "\n" + roff_text(desc) +
                       ("" if not desc or desc.endswith(".") else "."))
    if entries:
        print(f".\\\" {page}: add under .SH OPTIONS of man/<tool>.8, or of"
              " man/common-options.in for a shared option (edit the wording):")
        print("\n".join(entries))
    stale = sorted(described - help_options(help_text))
    if stale:
        print(f".\\\" {page}: remove, not in --help: {' '.join(stale)}")
    return 0


def main():
    if sys.argv[1] == "--stubs":
        return stubs(open(sys.argv[2]).read(), open(sys.argv[3]).read(),
                     sys.argv[3])
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
