# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Write recordings with tests/trace/tdxhp_rec.py (from the document only)
and the answers a replay must give, worked out by hand from the rules of
docs/record-format.md.  Usage: make_doc_recording.py OUTDIR"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tdxhp_rec as R  # noqa: E402

out = sys.argv[1]
MS = 10**6
T0 = 5 * 10**9
frames = []
ev = 0


def add(f, is_event=True):
    global ev
    frames.append(f)
    ev += is_event


# TD "doc-a" (slot 3, gen 1): created while recording, so exact.
add(R.td(3, 1, "doc-a", pid=4242, hkid=7), False)
# ... a libvirt domain registered with machined; the UUID in upper case.
add(R.identity(3, 1, uuid="4DEA22B3-1D52-D8F3-2516-782E98AB3FA0",
               machine="qemu-3-doc-a",
               cgroup="/machine.slice/machine-qemu\\x2d3\\x2ddoc\\x2da.scope/libvirt/emulator"),
    False)
# A frame of a kind from the future: skipped.
add(R.frame(9, b"a newer writer's frame"), False)
add(R.event(T0, "td_init", 3, 1, pid=4242, hkid=7))
for i in range(10):          # 2M augs of 1000..10000 ns
    add(R.event(T0 + (1 + i) * MS, "page_aug", 3, 1, pid=4242, hkid=7,
                gfn=0x200 * i, level=2, duration_ns=1000 * (i + 1)))
for i in range(5):           # 4K augs of 300 ns
    add(R.event(T0 + 20 * MS + i, "page_aug", 3, 1, pid=4242, hkid=7,
                gfn=0x5000 + i, level=1, duration_ns=300))
for i in range(2):           # 4K removes of 700 ns
    add(R.event(T0 + 30 * MS + i, "page_remove", 3, 1, pid=4242, hkid=7,
                gfn=0x5000 + i, level=1, duration_ns=700))
add(R.event(T0 + 40 * MS, "page_demote", 3, 1, pid=4242, hkid=7, gfn=0x200,
            level=2, block_ns=1000, track_ns=2000, demote_ns=30000,
            busy_retries=3))
add(R.event(T0 + 41 * MS, "boundary_split", 3, 1, pid=4242, hkid=7,
            gfn=0x200, gfn_end=0x210, reason=0, nr_split=1, ret=0,
            duration_ns=40000))
add(R.event(T0 + 42 * MS, "boundary_split", 3, 1, pid=4242, hkid=7,
            gfn=0x400, gfn_end=0x401, reason=1, nr_split=0, ret=-12,
            duration_ns=5000))
for i in range(2):
    add(R.event(T0 + 43 * MS + i, "seamcall_busy", 3, 1, pid=4242, hkid=7,
                seamcall=28, gfn=0x200, level=2))
add(R.event(T0 + 44 * MS, "page_aug", 3, 1, pid=4242, hkid=7, gfn=0x9000,
            level=2, status=0x8000020000000000, duration_ns=900))

# TD "doc-b" (slot 5, gen 2): running before the recording, so partial;
# 200 ignored faults on one gfn within 199 ms: one storm at 64 hits / 1 s.
add(R.td(5, 2, "doc-b", pid=5151, hkid=9), False)
# ... known by its cgroup only, written by a newer writer (longer payload).
add(R.identity(5, 2, cgroup="/system.slice/qemu-doc-b.service",
               extra=b"\x01" * 24), False)
for i in range(200):
    add(R.event(T0 + 50 * MS + i * MS, "fault_split_ignored", 5, 2, pid=5151,
                hkid=9, gfn=0x1234, level=1, goal_level=2, vcpu_id=i % 4))

# TD "doc-c" (slot 7, gen 1): created and torn down: only in the totals.
add(R.td(7, 1, "doc-c", pid=6161, hkid=11), False)
add(R.event(T0 + 300 * MS, "td_init", 7, 1, pid=6161, hkid=11))
add(R.event(T0 + 301 * MS, "page_add", 7, 1, pid=6161, hkid=11, gfn=1,
            level=1, duration_ns=2500))
add(R.event(T0 + 302 * MS, "td_teardown", 7, 1, pid=6161, hkid=11))
add(R.lost(3), False)

body = b"".join(frames)
hdr = R.header(start_mono_ns=T0 - MS, source="doc writer", kernel="6.99.0-doc",
               host="docbox", version="doc-writer-1",
               command="make_doc_recording.py 'with space'")
open(os.path.join(out, "doc.tdxhp"), "wb").write(hdr + body + R.end(ev, 3))
# The same events with the end frame missing and the last event cut in half.
open(os.path.join(out, "doc-cut.tdxhp"), "wb").write(hdr + body[:-68])
# ... and with zeros after the last good frame, as a crashed host leaves.
open(os.path.join(out, "doc-zeros.tdxhp"), "wb").write(hdr + body + b"\0" * 4096)

answers = {
    "events": ev,
    "cut_events": R.complete_event_frames(hdr + body[:-68])[0],
    "cut_offset": R.complete_event_frames(hdr + body[:-68])[1],
    "tds": {
        "doc-a": {
            "pid": 4242, "hkid": 7, "partial": False, "storm": False,
            "counters": {"aug_2m": 10, "aug_4k": 5, "aug_err": 1,
                         "remove_4k": 2, "demote": 1, "demote_busy_retry": 3,
                         "split_convert": 1, "split_punch_hole": 1,
                         "split_err": 1, "split_leaves": 1,
                         "seamcall_busy": 2, "storm": 0},
            # 4K: 5 augs - 2 removes + 512 from the demote; 2M: 10 - 1
            "pages": {"4K": 515, "2M": 9, "1G": 0},
            "hists": {"aug-2m": [11, 900, 10000],   # count, min, max
                      "aug-4k": [5, 300, 300], "remove": [2, 700, 700],
                      "demote": [1, 33000, 33000],
                      "demote-block": [1, 1000, 1000],
                      "demote-track": [1, 2000, 2000],
                      "demote-demote": [1, 30000, 30000],
                      "split": [2, 5000, 40000]},
        },
        "doc-b": {
            "pid": 5151, "hkid": 9, "partial": True, "storm": True,
            "counters": {"fault_split_ignored": 200, "storm": 1},
            "storm_gfns": [{"gfn": 0x1234, "storms": 1}],
            "pages": {"4K": 0, "2M": 0, "1G": 0}, "hists": {},
        },
    },
    "identities": {
        "doc-a": {"uuid": "4dea22b3-1d52-d8f3-2516-782e98ab3fa0",
                  "machine": "qemu-3-doc-a",
                  "cgroup": "/machine.slice/machine-qemu\\x2d3\\x2ddoc\\x2da.scope/libvirt/emulator"},
        "doc-b": {"uuid": "", "machine": "",
                  "cgroup": "/system.slice/qemu-doc-b.service"},
    },
    "retired": {"add": [1, 2500, 2500]},
    # --storm-hits 40 --storm-window 50ms: windows open at 50, 101, 152,
    # 203 ms (a fault more than 50 ms after the opening starts the next),
    # holding 51, 51, 51, 47 faults: four of them reach 40.
    "storms_40_50ms": 4,
}
json.dump(answers, open(os.path.join(out, "doc.answers.json"), "w"), indent=1)

# Two runs for tdxhp-hist --diff: 2000 2M augs per run, the "after" run's
# 1.5 times slower; 3 demotes each (too few to mean anything).
import random  # noqa: E402


def diff_run(path, factor, seed):
    rnd = random.Random(seed)
    fr = [R.td(1, 1, "diff-td", pid=777, hkid=3)]
    n = 0
    fr.append(R.event(T0, "td_init", 1, 1, pid=777, hkid=3))
    n += 1
    for i in range(2000):
        d = int(rnd.uniform(5000, 15000) * factor)
        fr.append(R.event(T0 + (i + 1) * MS, "page_aug", 1, 1, pid=777,
                          hkid=3, gfn=0x200 * i, level=2, duration_ns=d))
        n += 1
    for i in range(3):
        fr.append(R.event(T0 + 2100 * MS + i, "page_demote", 1, 1, pid=777,
                          hkid=3, gfn=0x200 * i, level=2, block_ns=1000,
                          track_ns=2000, demote_ns=int(30000 * factor)))
        n += 1
    open(path, "wb").write(R.header(start_mono_ns=T0) + b"".join(fr) + R.end(n))


diff_run(os.path.join(out, "diff-before.tdxhp"), 1.0, 1)
diff_run(os.path.join(out, "diff-after.tdxhp"), 1.5, 2)
diff_run(os.path.join(out, "diff-same.tdxhp"), 1.0, 3)
