#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-trace: bad input, filters, record/replay round trip, damaged files.
. "$(dirname "$0")/../cli/lib.sh"
T=$OUT/tdxhp-trace

check "trace: --help" bash -c "$T --help | grep -q -- --min-latency"
bad_input "trace: unknown event" 2 "$T" -e frobnicate
bad_input "trace: bad min latency" 2 "$T" -L fast
bad_input "trace: bad level" 2 "$T" -l 3m
bad_input "trace: bad count" 2 "$T" -n 0
check "trace: --usage is one short form" bash -c "$T --usage | grep -q '^Usage: tdxhp-trace \[-EjqsvVh\] '"
# Letters whose meaning changed say what they are now (docs/vocabulary.md).
bad_input "trace: -c N (old count) says -n" 2 "$T" -c 5
check "trace: ... in one line naming both" grep -q -- '-c is now --cgroup PATH; the event count is -n N' "$TMP/err"
bad_input "trace: -d DURATION (old duration) says --duration" 2 "$T" -d 60s
check "trace: ... in one line" grep -q -- '-d is now --duration' "$TMP/err"
bad_input "trace: -n REGEX (old name filter) says -g" 2 "$T" -n '^sim-db'
check "trace: ... in one line naming both" grep -q -- '-n is now --count N (events); the TD name filter is -g' "$TMP/err"
bad_input "trace: read with simulate" 2 "$T" -r x --simulate
bad_input "trace: sim-ticks without simulate" 2 "$T" --sim-ticks 5
bad_input "trace: missing recording" 1 "$T" -r "$TMP/nope.rec"
printf 'NOTATDXHPRECORDING' >"$TMP/junk"
bad_input "trace: not a recording" 1 "$T" -r "$TMP/junk"

if ! can_bpf; then
	echo "skip trace: BPF tests need root and BPF"
	exit 0
fi
bad_input "trace: no tracepoints says what to do" 1 "$T"

SIM=(--simulate=convert --sim-ticks 400)
"$T" "${SIM[@]}" -j >"$TMP/all.json" 2>"$TMP/all.err"
check "trace: simulated stream says so" grep -q 'SIMULATED DATA (scenario convert, seed 1)' "$TMP/all.err"
json_check "trace: JSON lines parse, every event type but teardown seen" "$TMP/all.json" \
	'len({o["event"] for o in objs if "event" in o} - {"td_teardown"}) == 8'
json_check "trace: no kernel address in events" "$TMP/all.json" \
	'not any(k in o for o in objs for k in ("kvm", "handle"))'

"$T" "${SIM[@]}" -j -e demote -L 40us >"$TMP/slow.json" 2>/dev/null
json_check "trace: -e demote -L 40us keeps slow demotes only" "$TMP/slow.json" \
	'objs and all(o["event"] == "page_demote" and o["duration_ns"] >= 40000 for o in objs)'
json_check "trace: ... and all of them" "$TMP/all.json" \
	"sum(1 for o in objs if o.get('event') == 'page_demote' and o['duration_ns'] >= 40000) == $(wc -l <"$TMP/slow.json")"
"$T" "${SIM[@]}" -j -E >"$TMP/err.json" 2>/dev/null
json_check "trace: -E keeps failures, decoded" "$TMP/err.json" \
	'objs and all(("err" in o) or o.get("ret", 0) != 0 for o in objs) and any(o.get("err") == "TDX_OPERAND_BUSY" for o in objs)'
"$T" "${SIM[@]}" -j -l 2m -e aug >"$TMP/l.json" 2>/dev/null
json_check "trace: -l 2m" "$TMP/l.json" \
	'objs and all(o["level"] == "2M" and o["event"] == "page_aug" for o in objs)'
"$T" "${SIM[@]}" -j -p 900002 >"$TMP/p.json" 2>/dev/null
json_check "trace: -p" "$TMP/p.json" 'objs and all(o["td"]["pid"] == 900002 for o in objs)'
"$T" "${SIM[@]}" -j -g '^sim-db' >"$TMP/n.json" 2>/dev/null
json_check "trace: -g" "$TMP/n.json" 'objs and all(o["td"]["name"].startswith("sim-db") for o in objs)'
"$T" "${SIM[@]}" -j --name '^sim-db' >"$TMP/old.json" 2>/dev/null
check "trace: --name, the old spelling of --guest, still works" \
	cmp -s <(jq -c 'del(.ts_ns, .time)' "$TMP/n.json") <(jq -c 'del(.ts_ns, .time)' "$TMP/old.json")
"$T" "${SIM[@]}" -j -n 5 >"$TMP/c.json" 2>/dev/null
check "trace: -n 5" test "$(wc -l <"$TMP/c.json")" = 5
"$T" "${SIM[@]}" -j -c /machine.slice >"$TMP/cg.json" 2>/dev/null
check "trace: -c CGROUP: simulated TDs are in none" test ! -s "$TMP/cg.json"
"$T" "${SIM[@]}" -e busy >"$TMP/busy.txt" 2>/dev/null
check "trace: SEAMCALL names decoded" grep -q 'TDH.MEM.RANGE.BLOCK\|TDH.MEM.TRACK\|TDH.MEM.PAGE.DEMOTE' "$TMP/busy.txt"
"$T" --simulate=storm --sim-ticks 200 -e ignored -j >"$TMP/storm.json" 2>/dev/null
json_check "trace: storm events flagged" "$TMP/storm.json" \
	'sum(o["storm"] for o in objs) == 2'

# Record, replay: the replayed summary is the live one.  Only min, max
# and the quantiles kept within them differ: exact from a recording,
# bucket bounds from the maps; counters, gauges and buckets are identical.
for fmt in text json; do
	J=
	[ $fmt = json ] && J=-j
	"$T" --simulate=churn --sim-ticks 600 -q -s $J -w "$TMP/rt-$fmt.rec" \
		>"$TMP/live-$fmt" 2>/dev/null
	"$T" -r "$TMP/rt-$fmt.rec" -q -s $J >"$TMP/replay-$fmt" 2>"$TMP/replay-$fmt.err"
done
strip_latency() { grep -vE '^  (add|aug-4k|aug-2m|remove|demote|demote-block|demote-track|demote-demote|split) +[0-9]+ |bucket bounds' "$1"; }
check "trace: record/replay summary identical but for min/max (text)" \
	cmp -s <(strip_latency "$TMP/live-text") <(strip_latency "$TMP/replay-text")
check "trace: record/replay summary identical but for min/max (json)" python3 - "$TMP/live-json" "$TMP/replay-json" <<'PY'
import json, sys
def norm(o):
    if isinstance(o, dict):
        return {k: norm(v) for k, v in o.items()
                if k not in ("min_ns", "max_ns", "p50_ns", "p99_ns", "extremes",
                             "ts_ns", "time")}
    if isinstance(o, list):
        return [norm(v) for v in o]
    return o
a, b = [json.load(open(f)) for f in sys.argv[1:]]
sys.exit(norm(a) != norm(b))
PY
check "trace: replayed min/max are exact and inside the live bucket bounds" python3 - "$TMP/live-json" "$TMP/replay-json" <<'PY'
import json, sys
live, rep = [json.load(open(f)) for f in sys.argv[1:]]
n = 0
for lt, rt in zip(live["tds"], rep["tds"]):
    for op, lh in lt["hists"].items():
        rh = rt["hists"][op]
        assert lh["extremes"] == "bucket_bounds" and rh["extremes"] == "exact", op
        assert lh["min_ns"] <= rh["min_ns"] <= rh["p50_ns"] <= rh["p99_ns"] <= rh["max_ns"] <= lh["max_ns"], (op, lh, rh)
        n += 1
sys.exit(n == 0)
PY
check "trace: the summary prints histograms" grep -q '^ *us  *: count' "$TMP/replay-text"
check "trace: replay says the recording was simulated" \
	grep -q 'SIMULATED DATA' "$TMP/replay-text.err"
check "trace: the summary has retired TDs (churn)" \
	grep -q 'Torn-down TDs' "$TMP/live-text"
"$T" -r "$TMP/rt-json.rec" -j -e split >"$TMP/rsplit.json" 2>/dev/null
json_check "trace: replay applies filters" "$TMP/rsplit.json" \
	'objs and all(o["event"] == "boundary_split" for o in objs)'
bad_input "trace: never overwrites a recording" 1 "$T" --simulate --sim-ticks 5 -q -w "$TMP/rt-text.rec"

# Damaged recordings: one clear line, exit 1, no crash.
REC=$TMP/rt-text.rec
size=$(stat -c %s "$REC")
head -c $((size - 20)) "$REC" >"$TMP/cut.rec"
"$T" -r "$TMP/cut.rec" -q -s -j >"$TMP/cut.json" 2>"$TMP/cut.err"
check "trace: a cut recording is still summarised (exit 0)" test $? = 0
check "trace: ... says where it was cut" grep -q 'recording cut short at byte [0-9]' "$TMP/cut.err"
check "trace: ... and when the last good event was" grep -q 'the last one is at 20[0-9-]*T[0-9:.]*Z' "$TMP/cut.err"
"$T" -r "$REC" -q -s -j >"$TMP/whole.json" 2>/dev/null
check "trace: ... cut in the end frame: every event is summarised" \
	cmp -s "$TMP/cut.json" "$TMP/whole.json"
head -c 100 "$REC" >"$TMP/header.rec"
bad_input "trace: cut inside the header" 1 "$T" -r "$TMP/header.rec" -q
cp "$REC" "$TMP/flip.rec"
printf '\x55' | dd of="$TMP/flip.rec" bs=1 seek=$((size / 2)) conv=notrunc status=none
"$T" -r "$TMP/flip.rec" -q -s >"$TMP/flip.out" 2>"$TMP/err"
check "trace: flipped byte: exit 1" test $? = 1
check "trace: ... says corrupt, and where" grep -q 'corrupt recording: checksum mismatch in the frame at offset [0-9]' "$TMP/err"
check "trace: ... and summarises what came before" grep -q '^Summary' "$TMP/flip.out"
cp "$REC" "$TMP/ver.rec"
printf '\x09' | dd of="$TMP/ver.rec" bs=1 seek=8 conv=notrunc status=none
bad_input "trace: unknown format version" 1 "$T" -r "$TMP/ver.rec" -q
check "trace: ... names the version" grep -q 'version 9 is not supported' "$TMP/err"

# kill -9 of the writer: every complete event is still summarised.
"$T" --simulate=storm -q -w "$TMP/killed.rec" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do
	[ "$(stat -c %s "$TMP/killed.rec" 2>/dev/null || echo 0)" -gt 300000 ] && break
	sleep 0.1
done
{
	kill -9 "$pid"
	wait "$pid"
} 2>/dev/null
"$T" -r "$TMP/killed.rec" -q -s >"$TMP/killed.txt" 2>"$TMP/killed.err"
check "trace: a writer killed with -9 leaves a file that summarises (exit 0)" test $? = 0
check "trace: ... the summary is there" grep -q '^Summary (scenario storm, seed 1): 3 live TDs' "$TMP/killed.txt"
check "trace: ... and it says the file was cut, where and when" \
	bash -c "grep -q 'cut short at byte [0-9]' '$TMP/killed.err' && grep -q 'complete events before byte [0-9]* are shown; the last one is at' '$TMP/killed.err'"

# A full disk is reported as such, and what was written still reads.
mkdir -p "$TMP/full"
if mount -t tmpfs -o size=64k tdxhp-test-full "$TMP/full" 2>/dev/null; then
	"$T" --simulate=storm --sim-ticks 300 -q -w "$TMP/full/x.rec" >/dev/null 2>"$TMP/full.err"
	check "trace: disk full: exit 1" test $? = 1
	check "trace: ... says No space left on device" \
		grep -q "^tdxhp-trace: writing $TMP/full/x.rec: No space left on device$" "$TMP/full.err"
	"$T" -r "$TMP/full/x.rec" -q -s >/dev/null 2>"$TMP/full-r.err"
	check "trace: ... and the part on disk replays as a cut file" test $? = 0
	check "trace: ... saying it was cut" grep -q 'cut short' "$TMP/full-r.err"
	umount "$TMP/full"
else
	echo "skip trace: disk full needs a tmpfs mount (root)"
fi
