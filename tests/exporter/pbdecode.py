#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Decode the exporter's protobuf exposition with a decoder of its own
(field numbers of client_model's metrics.proto) and check it against the
text exposition of the same collection.  Prints ok / not ok lines.

usage: pbdecode.py BODY.pb BODY.txt
"""
import math
import re
import struct
import sys

TYPES = {0: "counter", 1: "gauge", 2: "summary", 3: "untyped", 4: "histogram"}


def varint(b, i):
    shift = v = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return v, i


def zigzag(v):
    return (v >> 1) ^ -(v & 1)


def fields(b):
    """(field, wire type, value) of one message; LEN values as bytes."""
    i = 0
    while i < len(b):
        key, i = varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0:
            v, i = varint(b, i)
        elif w == 1:
            v = struct.unpack("<d", b[i:i + 8])[0]
            i += 8
        elif w == 2:
            n, i = varint(b, i)
            v = b[i:i + n]
            i += n
        else:
            raise ValueError("wire type %d" % w)
        yield f, w, v


def label_pair(b):
    d = {f: v.decode() for f, _, v in fields(b)}
    return d.get(1, ""), d.get(2, "")


def histogram(b):
    h = {"buckets": [], "spans": [], "deltas": [], "schema": 0,
         "zero_threshold": 0.0, "zero_count": 0, "count": 0, "sum": 0.0}
    for f, w, v in fields(b):
        if f == 1:
            h["count"] = v
        elif f == 2:
            h["sum"] = v
        elif f == 3:
            d = dict((ff, vv) for ff, _, vv in fields(v))
            h["buckets"].append((d.get(2, 0.0), d.get(1, 0)))
        elif f == 5:
            h["schema"] = zigzag(v)
        elif f == 6:
            h["zero_threshold"] = v
        elif f == 7:
            h["zero_count"] = v
        elif f == 12:
            d = dict((ff, vv) for ff, _, vv in fields(v))
            h["spans"].append((zigzag(d.get(1, 0)), d.get(2, 0)))
        elif f == 13:
            if w == 2:  # packed
                i = 0
                while i < len(v):
                    x, i = varint(v, i)
                    h["deltas"].append(zigzag(x))
            else:
                h["deltas"].append(zigzag(v))
    return h


def families(data):
    i = 0
    while i < len(data):
        n, i = varint(data, i)
        mf = {"metrics": [], "type": 0, "help": ""}
        for f, _, v in fields(data[i:i + n]):
            if f == 1:
                mf["name"] = v.decode()
            elif f == 2:
                mf["help"] = v.decode()
            elif f == 3:
                mf["type"] = v
            elif f == 4:
                m = {"labels": {}}
                for ff, _, vv in fields(v):
                    if ff == 1:
                        k, val = label_pair(vv)
                        m["labels"][k] = val
                    elif ff in (2, 3):
                        m["value"] = dict((a, c) for a, _, c in fields(vv)).get(1, 0.0)
                    elif ff == 7:
                        m["hist"] = histogram(vv)
                mf["metrics"].append(m)
        i += n
        yield mf


def native_buckets(h):
    """{native index: count} from spans and deltas."""
    out, idx, k, cnt = {}, 0, 0, 0
    for off, length in h["spans"]:
        idx += off
        for _ in range(length):
            cnt += h["deltas"][k]
            k += 1
            out[idx] = cnt
            idx += 1
        # the next span's offset counts from the bucket after this one
    return out


def text_samples(path):
    """{(name, frozenset(labels)): value} and {name: (type, help)}."""
    samples, meta = {}, {}
    for line in open(path):
        line = line.rstrip("\n")
        m = re.match(r"# (HELP|TYPE) (\S+) (.*)", line)
        if m:
            meta.setdefault(m[2], {})[m[1]] = m[3]
            continue
        m = re.match(r'([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$', line)
        if not m:
            continue
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m[2] or ""))
        samples[(m[1], labels)] = float(m[3])
    return samples, meta


def unescape(v):
    return v.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def main():
    data = open(sys.argv[1], "rb").read()
    text, meta = text_samples(sys.argv[2])
    text = {(n, frozenset((k, unescape(v)) for k, v in ls)): v
            for (n, ls), v in text.items()}
    fams = list(families(data))
    ok = True

    def report(cond, what):
        nonlocal ok
        ok &= bool(cond)
        print(("ok " if cond else "not ok ") + "protobuf: " + what)

    report(fams, "the body decodes into %d metric families" % len(fams))
    names = [f["name"] for f in fams]
    report(names == [n for n in meta], "the same families, in the same order, as the text")
    report(all(TYPES[f["type"]] == meta[f["name"]].get("TYPE") and
               f["help"] == meta[f["name"]].get("HELP") for f in fams),
           "types and help as in the text")
    seen = set()
    bad = []
    nhist = 0
    for f in fams:
        for m in f["metrics"]:
            ls = frozenset(m["labels"].items())
            if "hist" not in m:
                key = (f["name"], ls)
                seen.add(key)
                t = text.get(key)
                # the self metrics move between the two scrapes
                if t is None or (not f["name"].startswith(("process_", "tdxhp_exporter_"))
                                 and not math.isclose(t, m["value"], rel_tol=1e-12)):
                    bad.append((key, t, m["value"]))
                continue
            nhist += 1
            h = m["hist"]
            cnt = text.get((f["name"] + "_count", ls))
            if cnt is None or cnt != h["count"]:
                bad.append(("count", f["name"], dict(ls)))
            for ub, c in h["buckets"]:
                le = [v for (n, l2), v in text.items()
                      if n == f["name"] + "_bucket" and
                      dict(l2).get("le") not in (None, "+Inf") and
                      l2 - {("le", dict(l2)["le"])} == ls and
                      math.isclose(float(dict(l2)["le"]), ub, rel_tol=1e-12)]
                if le != [c]:
                    bad.append(("bucket", f["name"], dict(ls), ub))
            nb = native_buckets(h)
            if h["schema"] != 0 or not h["zero_threshold"] > 0 or \
                    sum(nb.values()) + h["zero_count"] != h["count"]:
                bad.append(("native", f["name"], dict(ls), h))
            # classic bucket at le = 2^(slot+1) ns holds slots <= slot;
            # slot k is native bucket k - 29.
            for ub, c in h["buckets"]:
                slot = round(math.log2(ub * 1e9)) - 1
                if sum(v for i, v in nb.items() if i <= slot - 29) != c:
                    bad.append(("native vs classic", f["name"], dict(ls), ub))
    report(not bad, "every counter, gauge and histogram as in the text%s" %
           (": " + repr(bad[:3]) if bad else ""))
    plain = {k for k in text if not re.search(r"_(bucket|sum|count)$", k[0]) or
             k[0][:k[0].rfind("_")] not in meta}
    report(plain <= seen, "no text series missing (%d)" % len(plain - seen))
    report(nhist > 0, "%d native histograms, each with its classic buckets" % nhist)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
