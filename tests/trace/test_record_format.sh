#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# docs/record-format.md is true and complete: files written by an
# independent writer (tdxhp_rec.py, from the document alone) replay to the
# answers worked out by hand; cut files, version 1 files, --info, CSV.
# No BPF needed: replays read files only.
. "$(dirname "$0")/../cli/lib.sh"
T=$OUT/tdxhp-trace
D=$(dirname "$0")
python3 "$D/make_doc_recording.py" "$TMP" || { echo "not ok doc writer ran"; exit 0; }
A=$TMP/doc.answers.json

"$T" -r "$TMP/doc.tdxhp" -q -s -j >"$TMP/doc.json" 2>"$TMP/doc.err"
check "format: the document's file replays (exit 0)" test $? = 0
check "format: ... and says it lost 3 events (LOST frame)" \
	grep -q 'the recording lost 3 events' "$TMP/doc.err"
check "format: every answer worked out from the document" python3 - "$TMP/doc.json" "$A" <<'PY'
import json, sys
s, a = [json.load(open(f)) for f in sys.argv[1:]]
tds = {t["td"]["name"]: t for t in s["tds"]}
assert sorted(tds) == sorted(a["tds"]), sorted(tds)
for name, want in a["tds"].items():
    got = tds[name]
    for k in ("pid", "hkid"):
        assert got["td"].get(k) == want[k], (name, k, got["td"], want[k])
    for k in ("partial", "storm"):
        assert got[k] == want[k], (name, k, got[k], want[k])
    assert got["pages"] == want["pages"], (name, got["pages"])
    for c, v in want["counters"].items():
        assert got["counters"][c] == v, (name, c, got["counters"][c], v)
    assert sorted(got["hists"]) == sorted(want["hists"]), (name, sorted(got["hists"]))
    for op, (n, lo, hi) in want["hists"].items():
        h = got["hists"][op]
        assert (h["count"], h["min_ns"], h["max_ns"], h["extremes"]) == (n, lo, hi, "exact"), (name, op, h)
    assert got["storm_gfns"] == want.get("storm_gfns", []), got["storm_gfns"]
for op, (n, lo, hi) in a["retired"].items():
    h = s["retired"]["hists"][op]
    assert (h["count"], h["min_ns"], h["max_ns"]) == (n, lo, hi), h
assert sum(s["events"].values()) == a["events"], s["events"]
PY
"$T" -r "$TMP/doc.tdxhp" -q -s -j --storm-hits 40 --storm-window 50ms >"$TMP/st.json" 2>/dev/null
json_check "format: storms re-detected with --storm-hits/--storm-window" "$TMP/st.json" \
	"[t['counters']['storm'] for t in objs[0]['tds'] if t['td']['name'] == 'doc-b'] == [$(python3 -c "import json; print(json.load(open('$A'))['storms_40_50ms'])")]"
"$T" -r "$TMP/doc.tdxhp" -q -s >"$TMP/doc.txt" 2>/dev/null
check "format: the summary marks the storming TD and lists its gfn" \
	bash -c "grep -q '^TD doc-b .*STORM' '$TMP/doc.txt' && grep -q 'storm gfns: 0x1234 (1 storm)' '$TMP/doc.txt'"
"$T" -r "$TMP/doc.tdxhp" -j -e split >"$TMP/split.json" 2>/dev/null
json_check "format: boundary_split's ret and nr_split have their own fields" "$TMP/split.json" \
	'[(o["nr_split"], o["ret"]) for o in objs] == [(1, 0), (0, -12)]'
"$T" -r "$TMP/doc.tdxhp" -j -e demote,aug -E >"$TMP/err.json" 2>/dev/null
json_check "format: status is the TDX status" "$TMP/err.json" \
	'[o["err_code"] for o in objs] == ["0x8000020000000000"]'

# --info: the header's metadata.
"$T" --info "$TMP/doc.tdxhp" >"$TMP/info" 2>&1
for f in 'kernel *6.99.0-doc' 'host *docbox' 'tdxhp version *doc-writer-1' \
	"command *make_doc_recording.py 'with space'" 'started *2023-11-14T22:13:21.000000Z' \
	'page_aug=tracepoint' 'simulated *no' 'complete *yes'; do
	check "format: --info shows $f" grep -q "$f" "$TMP/info"
done
bad_input "format: --info of a missing file" 1 "$T" --info "$TMP/nope"

# Cut files: every complete record is summarised, and where it was cut is said.
"$T" -r "$TMP/doc-cut.tdxhp" -q -s -j >"$TMP/cut.json" 2>"$TMP/cut.err"
check "format: a file cut inside an event still summarises (exit 0)" test $? = 0
check "format: ... names the byte where it was cut" \
	grep -q "cut short at byte $(python3 -c "import json; print(json.load(open('$A'))['cut_offset'])")" "$TMP/cut.err"
json_check "format: ... and counts every complete event" "$TMP/cut.json" \
	"sum(objs[0]['events'].values()) == $(python3 -c "import json; print(json.load(open('$A'))['cut_events'])")"
"$T" -r "$TMP/doc-zeros.tdxhp" -q -s -j >"$TMP/z.json" 2>"$TMP/z.err"
check "format: zeros after the last frame (a crashed host) read as a cut" \
	grep -q 'zeros instead of frames' "$TMP/z.err"
json_check "format: ... with every event before them" "$TMP/z.json" \
	"sum(objs[0]['events'].values()) == $(python3 -c "import json; print(json.load(open('$A'))['events'])")"
"$T" --info "$TMP/doc-cut.tdxhp" >"$TMP/info-cut" 2>/dev/null
check "format: --info says a cut file is not complete" grep -q 'complete *no: cut short' "$TMP/info-cut"

# Version 1: a file today's writer made before the format changed.
V1=$D/data/v1-convert.tdxhp
"$T" -r "$V1" -q -s -j >"$TMP/v1.json" 2>/dev/null
# The references were written by the tool before tdxhp-trace-summary/1 and
# tdxhp-trace-event/1: upgrade() is the shape change, key by key.
check "format: a version 1 recording still reads, to the same summary" python3 - "$TMP/v1.json" "$D/data/v1-convert.summary.json" <<'PY'
import json, sys
new, old = [json.load(open(f)) for f in sys.argv[1:]]
def td(o):
    t = {"name": o.pop("name")}
    pid, hkid = o.pop("pid"), o.pop("hkid")
    if pid is not None and pid > 0:
        t["pid"] = pid
    if hkid is not None and hkid >= 0:
        t["hkid"] = hkid
    return t
def upgrade(s):
    s.update(schema="tdxhp-trace-summary/1", simulated=True)
    for t in s["tds"]:
        t["td"] = td(t)
        t["pages"] = {k.upper(): v for k, v in t["pages"].items()}
    return s
def norm(o):
    if isinstance(o, dict):
        return {k: norm(v) for k, v in o.items() if k not in
                ("min_ns", "max_ns", "p50_ns", "p99_ns", "avg_ns", "extremes", "storm",
                 "storm_gfns", "coverage", "ts_ns", "time")}
    if isinstance(o, list):
        return [norm(v) for v in o]
    return o
sys.exit(norm(new) != norm(upgrade(old)))
PY
"$T" -r "$V1" -j >"$TMP/v1.events" 2>/dev/null
check "format: ... and to the same events (split's ret and nr_split included)" python3 - "$TMP/v1.events" "$D/data/v1-convert.events.json" <<'PY'
import json, sys
a, b = [[json.loads(l) for l in open(f)] for f in sys.argv[1:]]
LEVELS = {1: "4K", 2: "2M", 3: "1G"}
def upgrade(o):
    t = {"name": o.pop("td")}
    pid, hkid = o.pop("pid"), o.pop("hkid")
    if pid is not None and pid > 0:
        t["pid"] = pid
    if hkid is not None and hkid >= 0:
        t["hkid"] = hkid
    o.update(schema="tdxhp-trace-event/1", simulated=True, td=t)
    for k in ("level", "goal_level"):
        if k in o:
            o[k] = LEVELS.get(o[k], "L%d" % o[k])
    for k in ("err_code", "seamcall_leaf"):
        if k in o:
            o[k] = "0x%016x" % o[k]
    return o
b = [upgrade(o) for o in b]
for o in a + b:
    o.pop("time")
sys.exit(a != b or not any(o["event"] == "boundary_split" for o in a))
PY
"$T" --info "$V1" >"$TMP/v1.info"
check "format: --info of version 1 says what it lacks" grep -q 'kernel *(not recorded: version 1 file)' "$TMP/v1.info"

# CSV: a header row, one unit per column named in it, parseable.
"$T" -r "$TMP/doc.tdxhp" --csv >"$TMP/ev.csv" 2>/dev/null
check "format: events as CSV" python3 - "$TMP/ev.csv" "$A" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(sys.argv[1])))
a = json.load(open(sys.argv[2]))
assert len(rows) == a["events"], len(rows)
split = [r for r in rows if r["event"] == "boundary_split"]
assert [(r["nr_split"], r["ret"]) for r in split] == [("1", "0"), ("0", "-12")], split
assert all(r["time_utc"].endswith("Z") and int(r["ts_ns"]) > 0 for r in rows)
assert all(k.endswith("_ns") or k in ("ts_ns",) for k in rows[0] if "ns" in k)
PY
"$T" -r "$TMP/doc.tdxhp" -q -s --csv >"$TMP/sum.csv" 2>/dev/null
check "format: the summary as CSV" python3 - "$TMP/sum.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
r = [x for x in rows if x["td"] == "doc-a" and x["op"] == "aug-2m"][0]
assert (r["count"], r["min_ns"], r["max_ns"], r["extremes"]) == ("11", "900", "10000", "exact"), r
assert [x for x in rows if x["td"] == "(torn-down TDs)" and x["op"] == "add"][0]["count"] == "1"
PY
bad_input "format: --csv and --json together" 2 "$T" -r "$TMP/doc.tdxhp" --csv -j

# IDENTITY frames: the TDs' libvirt UUID, machine and cgroup come back in
# replays and their filters; a longer frame (a newer writer) and a frame
# of an unknown kind are skipped over, as the document says.
answer() { python3 -c "import json,sys; print(json.load(open('$A'))['identities'][sys.argv[1]][sys.argv[2]])" "$@"; }
"$T" -r "$TMP/doc.tdxhp" -q -s --uuid "$(answer doc-a uuid)" >"$TMP/id.txt" 2>/dev/null
check "format: --uuid selects the TD the IDENTITY frame names (upper case read as lower)" \
	bash -c "grep '^TD ' '$TMP/id.txt' | cut -d' ' -f2 | tr '\n' ' ' | grep -qx 'doc-a '"
"$T" -r "$TMP/doc.tdxhp" -q -s --machine "$(answer doc-a machine)" >"$TMP/id.txt" 2>/dev/null
check "format: --machine too" grep -q '^TD doc-a ' "$TMP/id.txt"
"$T" -r "$TMP/doc.tdxhp" -q -s --cgroup /system.slice >"$TMP/id.txt" 2>/dev/null
check "format: --cgroup reads the longer IDENTITY frame of a newer writer" \
	bash -c "grep '^TD ' '$TMP/id.txt' | cut -d' ' -f2 | tr '\n' ' ' | grep -qx 'doc-b '"
"$T" -r "$TMP/doc.tdxhp" -j --count 1 --cgroup "$(answer doc-a cgroup)" >"$TMP/id.json" 2>/dev/null
json_check "format: --cgroup takes the exact path, escapes and all" "$TMP/id.json" \
	'len(objs) == 1 and "doc-a" in json.dumps(objs[0]) if (json := __import__("json")) else 0'
"$OUT/tdxhp-hist" -r "$TMP/doc.tdxhp" >"$TMP/id.hist" 2>/dev/null
check "format: tdxhp-hist -r shows the recorded uuid and machine" \
	grep -q "^TD doc-a .* uuid $(answer doc-a uuid)  machine $(answer doc-a machine)" "$TMP/id.hist"
"$T" -r "$V1" -q -s --uuid "$(answer doc-a uuid)" >"$TMP/id.v1" 2>&1
rc=$?
check "format: a recording from before IDENTITY reads, its TDs with no identity" \
	bash -c "[ $rc = 0 ] && grep -q '^Summary' '$TMP/id.v1' && ! grep -q '^TD ' '$TMP/id.v1'"
