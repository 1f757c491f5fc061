#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Contract test: the tracepoints the kernel patches add, the ABI header and
the BPF programs must agree on every event's argument names, order, types
and widths.  Prints "ok ..." / "not ok ..." per check."""

import glob
import os
import re
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
ABI = os.path.join(ROOT, "include", "tdxhp", "abi.h")
BPF_GLOB = os.path.join(ROOT, "bpf", "*.bpf.[ch]")
PATCH_DIR = os.path.join(ROOT, "kernel-patches")
# Part 1 (upstream, 4K) adds these events; part 2 (huge page tree) adds all.
PART1_EVENTS = ["td_init", "td_teardown", "page_add", "page_aug",
                "page_remove", "seamcall_busy"]
PREFIX = "kvm_tdx_"
MAX_BPF_FUNC_ARGS = 12

# C type -> (ABI kind, width in bytes)
TYPES = {
    "struct kvm *": ("handle", 8),
    "u64": ("u64", 8), "__u64": ("u64", 8), "gfn_t": ("u64", 8),
    "unsigned long long": ("u64", 8),
    "u32": ("u32", 4), "__u32": ("u32", 4), "unsigned int": ("u32", 4),
    "int": ("s32", 4), "s32": ("s32", 4), "__s32": ("s32", 4),
    "pid_t": ("s32", 4), "enum pg_level": ("s32", 4),
}
ABI_WIDTH = {"handle": 8, "u64": 8, "u32": 4, "s32": 4}

results = []


def check(name, cond, detail=""):
    results.append((bool(cond), name, detail))


def norm_type(t):
    t = re.sub(r"\s+", " ", t.replace("const ", "")).strip()
    return re.sub(r"\s*\*\s*", " *", t)


def split_args(s):
    """'struct kvm *kvm, u64 gfn' -> [(type, name), ...]"""
    out = []
    for a in [x.strip() for x in s.split(",") if x.strip()]:
        m = re.match(r"^(.*?)([A-Za-z_]\w*)$", a)
        if not m:
            raise ValueError("cannot parse argument '%s'" % a)
        out.append((norm_type(m.group(1)), m.group(2)))
    return out


def parse_abi(text):
    events = {}
    body = text.replace("\\\n", " ")
    for m in re.finditer(r"#define TDXHP_ARGS_(\w+)\(X\)(.*)", body):
        args = re.findall(r"X\((\w+),\s*(\w+)\)", m.group(2))
        events[m.group(1)] = [(kind, name) for name, kind in args]
    events_macro = re.search(r"#define TDXHP_EVENTS\(E\)(.*)", body).group(1)
    order = re.findall(r"E\(\w+, (\w+)\)", events_macro)
    return events, order


def parse_bpf(texts):
    progs = {}
    for text in texts:
        for m in re.finditer(
                r'SEC\("raw_tp/(\w+)"\)\s*int\s+BPF_PROG\((\w+),([^)]*)\)',
                text, re.S):
            tp, args = m.group(1), split_args(m.group(3))
            progs.setdefault(tp, []).append(args)
    return progs


def balanced(text, start):
    """text[start] is '('; return the contents up to the matching ')'."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return text[start + 1:i]
    raise ValueError("unbalanced parentheses")


def added_lines(patch_text):
    return "\n".join(l[1:] for l in patch_text.splitlines()
                     if l.startswith("+") and not l.startswith("+++"))


def parse_patches(texts):
    """tracepoint name -> {'proto': [(type, name)], 'args': [name]}"""
    classes, events = {}, {}
    for text in texts:
        code = added_lines(text)
        for m in re.finditer(r"\b(TRACE_EVENT|DECLARE_EVENT_CLASS|DEFINE_EVENT)\(",
                             code):
            inner = balanced(code, m.end() - 1)
            macro = m.group(1)
            p = re.search(r"TP_PROTO\(", inner)
            a = re.search(r"TP_ARGS\(", inner)
            if macro == "DEFINE_EVENT":
                cls, name = [x.strip() for x in inner.split(",")[:2]]
            else:
                name = inner.split(",")[0].strip()
            rec = {
                "proto": split_args(balanced(inner, p.end() - 1)) if p else None,
                "args": [x.strip() for x in balanced(inner, a.end() - 1).split(",")]
                if a else None,
            }
            if macro == "DECLARE_EVENT_CLASS":
                classes[name] = rec
                continue
            if macro == "DEFINE_EVENT" and cls in classes:
                rec["class_proto"] = classes[cls]["proto"]
            events[name] = rec
    return events


def compare(label, abi_args, got, strict_types=True):
    """got: [(ctype, name)] -> list of problems."""
    problems = []
    if len(got) != len(abi_args):
        problems.append("%s: %d arguments, ABI has %d" %
                        (label, len(got), len(abi_args)))
    for i, ((kind, name), (ctype, gname)) in enumerate(zip(abi_args, got)):
        if gname != name:
            problems.append("%s: argument %d is '%s', ABI says '%s'" %
                            (label, i, gname, name))
        t = TYPES.get(ctype)
        if t is None:
            problems.append("%s: argument '%s' has type '%s' the ABI cannot "
                            "carry" % (label, gname, ctype))
        elif t[0] != kind or t[1] != ABI_WIDTH[kind]:
            problems.append("%s: argument '%s' is %s (%s, %d bytes), ABI says "
                            "%s" % (label, gname, ctype, t[0], t[1], kind))
    return problems


def contract_event(ev, args, bpf, patches, require_patches=True):
    """Problems between the three sides for one ABI event."""
    problems = []
    tp = PREFIX + ev
    if len(args) > MAX_BPF_FUNC_ARGS:
        problems.append("%s: more than %d arguments" % (tp, MAX_BPF_FUNC_ARGS))
    if args and args[0] != ("handle", "kvm"):
        problems.append("%s: the first argument must be the struct kvm "
                        "handle" % tp)
    progs = bpf.get(tp, [])
    if len(progs) != 1:
        problems.append("%s: %d BPF programs, want 1" % (tp, len(progs)))
    for p in progs:
        problems += compare("bpf " + tp, args, p)
    if not require_patches:
        return problems
    rec = patches.get(tp)
    if rec is None:
        return problems + ["%s: no TRACE_EVENT in kernel-patches/" % tp]
    proto = rec["proto"] or rec.get("class_proto")
    if proto is None:
        return problems + ["%s: no TP_PROTO" % tp]
    problems += compare("kernel " + tp, args, proto)
    if rec.get("class_proto") and rec["proto"]:
        problems += compare("kernel class of " + tp, args, rec["class_proto"])
    if rec["args"] is not None and rec["args"] != [n for _, n in args]:
        problems.append("kernel %s: TP_ARGS(%s) != ABI order (%s)" %
                        (tp, ", ".join(rec["args"]),
                         ", ".join(n for _, n in args)))
    return problems


def contract(abi, bpf, patches, require_patches=True):
    """All problems, including tracepoints that are not in the ABI."""
    problems = []
    for ev, args in abi.items():
        problems += contract_event(ev, args, bpf, patches, require_patches)
    for tp in list(bpf) + (list(patches) if require_patches else []):
        if tp.startswith(PREFIX) and tp[len(PREFIX):] not in abi:
            problems.append("%s: not in the ABI" % tp)
    return problems


def main():
    abi_text = open(ABI).read()
    abi, order = parse_abi(abi_text)
    check("ABI lists 9 events", len(abi) == 9, sorted(abi))
    check("every ABI event has an argument list",
          sorted(order) == sorted(abi), "%s vs %s" % (order, sorted(abi)))

    bpf_texts = [open(p).read() for p in sorted(glob.glob(BPF_GLOB))]
    bpf = parse_bpf(bpf_texts)
    parts = {}
    for part in ("part1", "part2"):
        glob_ = os.path.join(PATCH_DIR, part, "*.patch")
        files = sorted(p for p in glob.glob(glob_)
                       if not p.endswith("0000-cover-letter.patch"))
        check("kernel-patches/%s has patches" % part, files, glob_)
        parts[part] = parse_patches([open(p).read() for p in files])
    patch_texts = [open(p).read() for p in sorted(
        glob.glob(os.path.join(PATCH_DIR, "part2", "0*.patch")))]
    patches = parts["part2"]

    for ev in abi:
        tp = PREFIX + ev
        p = contract_event(ev, abi[ev], bpf, patches)
        check("%s: part 2 kernel, ABI and BPF agree" % tp, not p, "; ".join(p))
    for ev in PART1_EVENTS:
        tp = PREFIX + ev
        p = contract_event(ev, abi[ev], bpf, parts["part1"])
        check("%s: part 1 kernel, ABI and BPF agree" % tp, not p, "; ".join(p))
        check("%s: same TP_PROTO in part 1 and part 2" % tp,
              parts["part1"].get(tp, {}).get("proto") ==
              patches.get(tp, {}).get("proto"))
    only2 = sorted(tp for tp in parts["part1"]
                   if tp.startswith(PREFIX) and tp[len(PREFIX):] not in PART1_EVENTS)
    check("part 1 has no huge page event", not only2, only2)
    extra = [tp for tp in list(bpf) + list(patches) + list(parts["part1"])
             if tp.startswith(PREFIX) and tp[len(PREFIX):] not in abi]
    check("no tracepoint outside the ABI", not extra, extra)

    # The checker itself must notice a one-sided change.
    ev = "page_demote"
    swapped = dict(abi)
    a = list(abi[ev])
    a[4], a[5] = a[5], a[4]
    swapped[ev] = a
    check("mutation: ABI args swapped is caught",
          contract_event(ev, swapped[ev], bpf, patches, require_patches=False))
    narrowed = dict(abi)
    narrowed[ev] = [(k if n != "busy_retries" else "u64", n) for k, n in abi[ev]]
    check("mutation: a width change is caught",
          contract_event(ev, narrowed[ev], bpf, patches, require_patches=False))
    bpf_mut = parse_bpf([t.replace("tdxhp_page_add, struct kvm *kvm, u64 gfn, int level",
                                   "tdxhp_page_add, struct kvm *kvm, u64 gfn, u32 level")
                         for t in bpf_texts])
    check("mutation: a BPF type change is caught",
          contract(abi, bpf_mut, patches, require_patches=False))
    if patch_texts:
        renamed = parse_patches([t.replace("start_gfn", "first_gfn")
                                 for t in patch_texts])
        check("mutation: a renamed kernel argument is caught",
              contract(abi, bpf, renamed))

    failed = 0
    for ok, name, detail in results:
        print("%s %s" % ("ok" if ok else "not ok", name))
        if not ok:
            failed += 1
            if detail:
                print("#   %s" % (detail,))
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
