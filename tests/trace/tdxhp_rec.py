# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""An independent writer (and frame reader) of tdxhp recordings, written
from docs/record-format.md alone: no tdxhp code is used, so a file it
writes that tdxhp replays to the answers computed here shows the document
is true and complete."""
import struct
import zlib

MAGIC = b"TDXHPREC"
EVENT_TYPES = ["td_init", "td_teardown", "page_add", "page_aug", "page_remove",
               "page_demote", "boundary_split", "fault_split_ignored", "seamcall_busy"]
T = {name: i for i, name in enumerate(EVENT_TYPES)}
KIND_EVENT, KIND_TD, KIND_LOST, KIND_END, KIND_IDENTITY = 1, 2, 3, 4, 5


def cstr(s, size):
    b = s.encode()[:size - 1]
    return b + b"\0" * (size - len(b))


def header(start_mono_ns=10**9, mono_to_real_ns=1_700_000_000 * 10**9,
           simulated=False, source="python writer", storm_hits=64,
           storm_window_ns=10**9, kernel="6.99.0-doc", host="docbox",
           version="doc-writer", command="tdxhp_rec.py", sources=None):
    sources = sources or ["tracepoint"] * len(EVENT_TYPES)
    h = MAGIC
    h += struct.pack("<IIII", 2, 1024, 136, 1 if simulated else 0)
    h += struct.pack("<Qq", start_mono_ns, mono_to_real_ns)
    h += struct.pack("<II", 2, len(EVENT_TYPES))
    h += cstr(source, 80)
    h += cstr("2023-11-14T22:13:21.000000Z", 40)
    h += struct.pack("<IIQ", storm_hits, 0, storm_window_ns)
    h += cstr(kernel, 72) + cstr(host, 72) + cstr(version, 56)
    h += b"".join(cstr(s, 16) for s in sources + [""] * (16 - len(sources)))
    h += cstr(command, 384)
    assert len(h) == 1024, len(h)
    return h


def frame(kind, payload):
    return struct.pack("<HHIII", kind, 0, len(payload), zlib.crc32(payload), 0) + payload


def event(ts_ns, type_, slot, gen, pid=0, hkid=-1, cpu=0, flags=0, source=1,
          gfn=0, gfn_end=0, status=0, seamcall=0, duration_ns=0, block_ns=0,
          track_ns=0, demote_ns=0, level=0, goal_level=0, vcpu_id=0, reason=0,
          ret=0, busy_retries=0, nr_split=0):
    p = struct.pack("<QIIIIiiII", ts_ns, T[type_], cpu, slot, gen, pid, hkid, flags, source)
    p += struct.pack("<QQQQQQQQ", gfn, gfn_end, status, seamcall, duration_ns,
                     block_ns, track_ns, demote_ns)
    p += struct.pack("<iiiiiIII", level, goal_level, vcpu_id, reason, ret,
                     busy_retries, nr_split, 0)
    assert len(p) == 136
    return frame(KIND_EVENT, p)


def td(slot, gen, name, pid=0, hkid=-1, flags=0):
    return frame(KIND_TD, struct.pack("<IIiiII", slot, gen, pid, hkid, flags, 0) + cstr(name, 64))


def identity(slot, gen, uuid="", machine="", cgroup="", extra=b""):
    """extra: fields a newer writer appends (readers must skip them)."""
    p = struct.pack("<II", slot, gen) + cstr(uuid, 40) + cstr(machine, 64) + cstr(cgroup, 256)
    assert len(p) == 368
    return frame(KIND_IDENTITY, p + extra)


def lost(n):
    return frame(KIND_LOST, struct.pack("<Q", n))


def end(events, lost_=0):
    return frame(KIND_END, struct.pack("<QQ", events, lost_))


def complete_event_frames(data):
    """Frames of a possibly cut version-2 file: the number of complete EVENT
    frames and the offset where the good part ends."""
    hsize = struct.unpack_from("<I", data, 12)[0]
    off, events = hsize, 0
    while off + 16 <= len(data):
        kind, _, plen, crc, _ = struct.unpack_from("<HHIII", data, off)
        if kind == 0 or off + 16 + plen > len(data):
            break
        if zlib.crc32(data[off + 16:off + 16 + plen]) != crc:
            break
        if kind == KIND_EVENT:
            events += 1
        off += 16 + plen
    return events, off
