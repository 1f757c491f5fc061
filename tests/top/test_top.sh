#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-top driven through tmux on a frozen, known simulated scenario:
# numbers on screen, keys, resize, and the terminal given back on exit.
. "$(dirname "$0")/../cli/lib.sh"
TOP=$(readlink -f "$OUT/tdxhp-top")
TRACE=$(readlink -f "$OUT/tdxhp-trace")
SOCK="$TMP/tmux.sock"
SIM=(--simulate=storm --sim-ticks 500)

bad_input "top: not a terminal" 2 "$TOP" --simulate
bad_input "top: bad delay" 2 "$TOP" -b -d 0
bad_input "top: bad sort column" 2 "$TOP" -b -s nope
bad_input "top: bad filter" 2 "$TOP" -b -f '['
if ! command -v tmux >/dev/null; then
	echo "not ok top: tmux is not installed"
	exit 0
fi
if ! can_bpf; then
	echo "skip top: BPF tests need root and BPF"
	exit 0
fi
bad_input "top: no tracepoints says what to do" 1 "$TOP" -b

tm() { tmux -S "$SOCK" "$@"; }
cleanup() {
	for s in "$TMP"/tmux.*.sock; do tmux -S "$s" kill-server 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
sessions=0

# start W H ARGS...: tdxhp-top in a fresh tmux server and pane; the shell
# reports its exit status.  Each start gets its own server.
start() {
	local w=$1 h=$2
	shift 2
	[ "$sessions" -gt 0 ] && tm kill-server 2>/dev/null
	sessions=$((sessions + 1))
	SOCK="$TMP/tmux.$sessions.sock"
	tm new-session -d -s top -x "$w" -y "$h" \
		"TERM=xterm-256color $TOP $*; echo EXITED rc=\$?; sleep 60"
	wait_for 'tdxhp-top'
}
screen() { tm capture-pane -t top -p; }
# wait_for REGEX: poll the screen, bounded.
wait_for() {
	for _ in $(seq 1 50); do
		screen | grep -qE "$1" && return 0
		sleep 0.1
	done
	return 1
}
keys() { tm send-keys -t top "$@"; sleep 0.3; }
row_of() { screen | grep -E "^..$1 "; }

# Expected values: the same frozen run through batch mode and tdxhp-trace.
"$TOP" "${SIM[@]}" -b -n 1 >"$TMP/batch.txt"
"$TOP" "${SIM[@]}" -j -n 1 >"$TMP/top.json"
"$TRACE" "${SIM[@]}" -q -s -j >"$TMP/summary.json" 2>/dev/null

start 160 40 "${SIM[@]}"
screen >"$TMP/s1"
check "top: says the data is simulated" grep -q 'SIMULATED: scenario storm, seed 1' "$TMP/s1"
check "top: header totals" grep -q '^TDs 3 (0 partial)' "$TMP/s1"
check "top: wide terminal shows every column" \
	bash -c "! grep -q 'cols hidden' $TMP/s1 && grep -q 'AUG4K/s' $TMP/s1 && grep -q 'ERR' $TMP/s1"
# Every TD's row on screen shows the cells batch mode computed.
ok_rows=0
while IFS= read -r line; do
	name=$(awk '{print $1}' <<<"${line:2}")
	want=$(awk '{$1=$1; print}' <<<"${line:2}")
	got=$(row_of "$name" | cut -c3- | awk '{$1=$1; print}')
	[ "$got" = "$want" ] && ok_rows=$((ok_rows + 1))
done < <(grep -E '^..sim-' "$TMP/batch.txt" | while IFS= read -r l; do printf '%s\n' "$l"; done)
check "top: all 3 rows match the known answer" test "$ok_rows" = 3
# Known answer from another path: 2M leaves in tdxhp-trace's summary.
check "top: PRIV2M is the 2M leaves tdxhp-trace counted" python3 - "$TMP/summary.json" "$TMP/s1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
screen = open(sys.argv[2]).read().splitlines()
def fmt(b):
    v, i = float(b), -1
    while v >= 1024 and i < 4:
        v /= 1024; i += 1
    return "%dB" % b if i < 0 else "%.1f%s" % (v, "KMGTP"[i])
for td in s["tds"]:
    want = fmt(td["pages"]["2M"] << 21)
    row = [l for l in screen if l[2:].startswith(td["td"]["name"] + " ")][0].split()
    if want not in row:
        sys.exit("%s: %s not in %s" % (td["td"]["name"], want, row))
PY
check "top: exactly one TD storming, marked" test "$(grep -c '^! sim-' "$TMP/s1")" = 1
check "top: the storming TD is the one with a storm" python3 -c "
import json,sys
d=json.load(open('$TMP/top.json'))
storm=[t['td']['name'] for t in d['tds'] if t['storm_active']]
line=[l for l in open('$TMP/s1') if l.startswith('! ')][0]
sys.exit(not (len(storm)==1 and line[2:].startswith(storm[0])))"

# Sorting: default PRIV2M, largest first; < moves to PRIV4K; r reverses.
order() { screen | grep -E '^..sim-' | awk '{print ($1=="!"||$1=="*"||$1=="~") ? $2 : $1}' | tr '\n' ' '; }
want_order() { python3 -c "
import json
d=json.load(open('$TMP/top.json'))
k='$1'; rev=$2
tds=sorted(d['tds'], key=lambda t:(-t[k], t['td']['name']))
if rev: tds.reverse()
print(' '.join(t['td']['name'] for t in tds), end=' ')"; }
check "top: sorted by PRIV2M" test "$(order)" = "$(want_order private_2m_bytes 0)"
keys '<'
check "top: < sorts by PRIV4K" wait_for 'sort PRIV4K'
check "top: ... in PRIV4K order" test "$(order)" = "$(want_order private_4k_bytes 0)"
keys r
check "top: r reverses" test "$(order)" = "$(want_order private_4k_bytes 1)"
keys '>' r

# Filter, then clear it.
keys / s i m - d b Enter
check "top: filter keeps one TD" test "$(screen | grep -cE '^..sim-')" = 1
check "top: ... and shows it" bash -c "tmux -S $SOCK capture-pane -t top -p | grep -q 'filter /sim-db/'"
keys / Enter
check "top: empty filter clears" test "$(screen | grep -cE '^..sim-')" = 3

# Drill down into the storming TD (first row when sorted by IGN/s).
storm_td=$(grep '^! ' "$TMP/s1" | awk '{print $2}')
keys p
tm send-keys -t top "$storm_td" Enter
sleep 0.3
screen >"$TMP/s2"
check "top: p picks a TD by name and drills down" grep -q "TD $storm_td " "$TMP/s2"
check "top: detail shows histograms" bash -c "grep -q '^demote-track' $TMP/s2 && grep -q '^split ' $TMP/s2"
check "top: detail shows the storm and its gfns" \
	bash -c "grep -q 'STORM ACTIVE' $TMP/s2 && grep -qE 'gfn 0x[0-9a-f]+ +hits [0-9]+' $TMP/s2"
check "top: detail lists recent slow splits" grep -q 'recent slow splits' "$TMP/s2"
keys q
check "top: q goes back to the table" wait_for '^  TD +PID'
pid=$(python3 -c "import json; print(json.load(open('$TMP/top.json'))['tds'][1]['td']['pid'])")
name=$(python3 -c "import json; print(json.load(open('$TMP/top.json'))['tds'][1]['td']['name'])")
keys p
tm send-keys -t top "$pid" Enter
check "top: p picks a TD by PID" wait_for "^TD $name "
keys q
keys Down Enter
check "top: Enter opens the selected TD" wait_for 'TD detail'
check "top: the detail view has min and max, as bucket bounds live" \
	bash -c "tmux -S '$SOCK' capture-pane -t top -p | grep -qE '^latency +count +min +p50 +p99 +max +avg' && \
		 tmux -S '$SOCK' capture-pane -t top -p | grep -q 'min/max: bucket bounds'"
keys Escape
sleep 0.5

# Help, delay, reset.
keys h
check "top: h shows help" wait_for 'tdxhp-top keys'
keys x
keys d 2 Enter
check "top: d changes the refresh interval" wait_for 'refresh 2.0s'
keys z
check "top: z resets cumulative columns" bash -c "
	tmux -S $SOCK capture-pane -t top -p | grep -E '^..sim-' | awk '{print \$NF}' | sort -u | grep -qx 0 &&
	test \$(tmux -S $SOCK capture-pane -t top -p | grep -E '^..sim-' | awk '{print \$NF}' | sort -u | wc -l) = 1"

# Resize: 80x24 hides the least important columns, wider shows them again.
tm resize-window -t top -x 80 -y 24
sleep 0.5
check "top: 80x24 hides columns and says so" wait_for 'cols hidden'
check "top: 80x24 keeps the key columns" bash -c "
	s=\$(tmux -S $SOCK capture-pane -t top -p)
	grep -q PRIV2M <<<\"\$s\" && grep -q SPL99 <<<\"\$s\" && grep -q IGN/s <<<\"\$s\" && grep -qE '^..sim-' <<<\"\$s\""
check "top: 80x24 fits 80 columns" bash -c "! tmux -S $SOCK capture-pane -t top -p | awk 'length > 80' | grep -q ."
tm resize-window -t top -x 150 -y 40
check "top: widening shows them again" bash -c "sleep 0.5; ! tmux -S $SOCK capture-pane -t top -p | grep -q 'cols hidden'"

# Exit paths restore the terminal: q, then SIGTERM.
keys q
check "top: q exits with 0" wait_for 'EXITED rc=0'
check "top: q leaves the alternate screen" test "$(tm display -p -t top '#{alternate_on}')" = 0
check "top: q restores the cursor" test "$(tm display -p -t top '#{cursor_flag}')" = 1
start 100 30 "${SIM[@]}"
sleep 0.3
kill -TERM "$(pgrep -f "^$TOP ${SIM[*]}" | head -n1)"
check "top: SIGTERM exits cleanly" wait_for 'EXITED rc=0'
check "top: SIGTERM leaves the alternate screen" test "$(tm display -p -t top '#{alternate_on}')" = 0
check "top: SIGTERM restores the cursor" test "$(tm display -p -t top '#{cursor_flag}')" = 1

# Batch and JSON.
check "top: -b prints n tables" test "$("$TOP" "${SIM[@]}" -b -n 3 -d 0.1 | grep -c '^tdxhp-top - ')" = 3
"$TOP" --simulate=churn --sim-speed 20 -j -n 3 -d 0.3 >"$TMP/live.json"
json_check "top: -j live JSON lines, simulated" "$TMP/live.json" \
	'len(objs) == 3 and all(o["simulated"] and o["interval_s"] > 0 for o in objs)'
json_check "top: JSON rows carry no kernel address" "$TMP/live.json" \
	'all(set(t["td"]) >= {"name","pid","hkid"} and "coverage" in t and "kvm" not in json.dumps(t) for o in objs for t in o["tds"]) if (json := __import__("json")) else 0'
json_check "top: live rates move, from the first refresh on" "$TMP/live.json" \
	'all(sum(t["aug_2m_per_s"] for t in o["tds"]) > 0 and 0.2 < o["interval_s"] < 5 for o in objs)'
