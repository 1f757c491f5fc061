#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The pinned, shared instance (tdxhp-load): one set of programs for every
# tool, state that survives tool restarts and crashes, the one-consumer
# stream, refusal of another layout and a takeover that carries state.
# Simulated (this kernel has no TDX): tdxhp-load --simulate pins an
# instance and tdxhp-load --feed is its one feeder.
. "$(dirname "$0")/../exporter/lib.sh"
need_bpf "pin tests"

L=$OUT/tdxhp-load
V=$OUT/variant/tdxhp-load
export TDXHP_PIN_DIR=/sys/fs/bpf/tdxhp-test-$$
unload() { "$L" --unload >/dev/null 2>&1; }
trap 'unload; cleanup' EXIT

# Per-TD and host series of an exporter, without its own self-metrics.
scrape() { # PORT
	curl -s -m 5 "http://127.0.0.1:$1/metrics" |
		grep -E '^tdxhp_' | grep -vE '^tdxhp_(exporter|process|scrape|build|bpf_program)' | sort
}

# Counters (lines ending in _total or _count) of B are >= those of A.
monotonic() { # A B
	python3 - "$1" "$2" <<'EOF'
import sys
def load(p):
    d = {}
    for line in open(p):
        k, _, v = line.rpartition(" ")
        if k.split("{")[0].endswith(("_total", "_count", "_bucket", "_sum")):
            d[k] = float(v)
    return d
a, b = load(sys.argv[1]), load(sys.argv[2])
bad = [k for k in a if k in b and b[k] < a[k]]
missing = [k for k in a if k not in b]
print("decreased:", bad[:5], "missing:", missing[:5])
sys.exit(1 if bad or missing or not a else 0)
EOF
}

# Programs of the pinned instance, and programs a process holds.
pinned_progs() {
	local f
	for f in "$TDXHP_PIN_DIR"/*/prog_*; do
		bpftool prog show pinned "$f" 2>/dev/null | sed -n 's/^\([0-9]*\):.*/\1/p'
	done | sort -u
}
held_progs() { # PID
	grep -h '^prog_id:' /proc/"$1"/fdinfo/* 2>/dev/null | awk '{print $2}' | sort -u
}
# Every program the process holds is one of the pinned instance's.
uses_pinned_only() { # PID
	local extra
	extra=$(comm -23 <(held_progs "$1") <(pinned_progs))
	[ -z "$extra" ]
}

unload
"$L" --status >"$TMP/st0" 2>&1
check "status with nothing pinned exits 3" [ $? = 3 ]
check "status says nothing is pinned" grep -q "nothing is pinned" "$TMP/st0"

bad_input "live load on a kernel without TDX: one line" 1 "$L"
check "the no-source line names tracepoints and SEAMCALL wrappers" \
	grep -q "no kvm_tdx_\* tracepoints.*SEAMCALL wrapper" "$TMP/err"
check "a failed load pins nothing" [ ! -e "$TDXHP_PIN_DIR/control" ]

check "tdxhp-load --simulate pins an instance" "$L" --simulate=convert
first=$(pinned_progs | tr '\n' ' ')
check "the pinned instance's programs stay loaded after tdxhp-load exits" \
	[ "$(pinned_progs | wc -l)" -ge 9 ]
"$L" --simulate=convert >"$TMP/again"
check "loading again is a no-op" grep -q "already loaded" "$TMP/again"
check "still the same programs" [ "$(pinned_progs | tr '\n' ' ')" = "$first" ]
"$L" --status >"$TMP/st1"
check "status: simulated, since when, memory" \
	grep -q "SIMULATED" "$TMP/st1"
check "status: memory in MiB from the kernel's accounting" \
	grep -qE "memory +[0-9.]+ MiB" "$TMP/st1"
"$L" --status -j >"$TMP/st1.json"
check "status -j is JSON with every event's source" \
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"] == "tdxhp-load-status/1" and d["pinned"] and d["simulated"] and len(d["sources"]) == 9 and d["layout_matches"]' "$TMP/st1.json"

check "feeding 600 ticks" "$L" --feed --sim-ticks 600
bad_input "a live-only option with --feed is refused" 2 "$L" --feed --simulate

# Every tool reads the pinned instance; none loads programs of its own.
"$OUT/tdxhp-hist" --simulate -v >"$TMP/hist" 2>"$TMP/hist.err"
check "hist -v says it uses the pinned instance" \
	grep -q "using the pinned instance" "$TMP/hist.err"
check "hist output is marked simulated" grep -q "SIMULATED" "$TMP/hist"
P1=$(free_port)
start_exporter x1 "$P1" --simulate
"$OUT/tdxhp-top" --simulate -b -d 1 -n 30 >"$TMP/top" 2>&1 &
TOP=$!
PIDS+=($TOP)
"$OUT/tdxhp-trace" --simulate -q --duration 20s >"$TMP/trace" 2>&1 &
TRACE=$!
PIDS+=($TRACE)
sleep 2
check "the pinned instance has its programs" [ -n "$(pinned_progs)" ]
check "top loads no program of its own" uses_pinned_only "$TOP"
check "trace loads no program of its own" uses_pinned_only "$TRACE"
check "the exporter loads no program of its own" \
	uses_pinned_only "$(cat "$TMP/x1.pid")"

scrape "$P1" >"$TMP/m1"
check "the exporter serves the fed TDs" grep -q '^tdxhp_td_' "$TMP/m1"
kill -9 "$(cat "$TMP/x1.pid")"
P2=$(free_port)
start_exporter x2 "$P2" --simulate
scrape "$P2" >"$TMP/m2"
check "after kill -9 and a restart, every TD series is exactly the same" \
	diff "$TMP/m1" "$TMP/m2"

# A second stream consumer gets one clear line; a crash frees the stream.
bad_input "a second stream consumer is refused" 1 \
	"$OUT/tdxhp-trace" --simulate -q --duration 1s
check "the refusal names the holder" grep -q "in use by pid" "$TMP/err"
kill -9 "$TRACE"
sleep 0.5
check "after the consumer's crash the stream is free again" \
	"$OUT/tdxhp-trace" --simulate -q --duration 1s
check "the pinned state survived every crash" "$L" --status

# Counters stay monotonic across an exporter restart while events flow.
"$L" --feed --sim-speed 20 >"$TMP/feed" 2>&1 &
FEED=$!
PIDS+=($FEED)
sleep 2
scrape "$P2" >"$TMP/m3"
kill "$(cat "$TMP/x2.pid")"
P3=$(free_port)
start_exporter x3 "$P3" --simulate
sleep 1
scrape "$P3" >"$TMP/m4"
check "with events flowing, every counter is monotonic across a restart" \
	monotonic "$TMP/m3" "$TMP/m4"
bad_input "a second feeder is refused" 1 "$L" --feed --sim-ticks 1
kill "$FEED"
wait "$FEED" 2>/dev/null

# Another layout: refused by the tools, taken over by tdxhp-load.
unload
check "variant layout loads" "$V" --simulate=steady
check "variant feeder" "$V" --feed --sim-ticks 300
"$V" --status -j >"$TMP/v.json"
"$OUT/tdxhp-hist" --simulate >"$TMP/out" 2>"$TMP/err"
check "a tool of another layout refuses with one line, exit 1" \
	[ $? = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ]
check "the refusal says how to take over" grep -q "take it over" "$TMP/err"
P4=$(free_port)
"$OUT/variant/tdxhp-exporter" --web.listen-address "127.0.0.1:$P4" \
	--simulate >/dev/null 2>&1 &
PIDS+=($!)
wait_for 15 answers "$P4"
scrape "$P4" | grep -v variant_test >"$TMP/m5"
"$L" --simulate=steady >"$TMP/take" 2>&1
check "tdxhp-load takes the other layout over" grep -q "took over" "$TMP/take"
check "and names the field it could not carry" \
	grep -q "dropped: counters.variant_test" "$TMP/take"
P5=$(free_port)
start_exporter x5 "$P5" --simulate
scrape "$P5" >"$TMP/m6"
check "every TD series carried exactly across layouts" diff "$TMP/m5" "$TMP/m6"
check "the old instance's pins are gone" \
	[ "$(find "$TDXHP_PIN_DIR" -mindepth 1 -maxdepth 1 -type d | wc -l)" = 1 ]

for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
sleep 0.5
last=$(pinned_progs)
"$L" --unload >/dev/null
check "--unload leaves no pin behind" [ ! -e "$TDXHP_PIN_DIR" ]
gone() { for id in $last; do bpftool prog show id "$id" >/dev/null 2>&1 && return 1; done; return 0; }
check "--unload unloads the programs" wait_for 5 gone
