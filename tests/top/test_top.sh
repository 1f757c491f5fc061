#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-top driven through tmux on a frozen, known simulated scenario:
# numbers on screen, the problem score and its order, keys, resize,
# colours and NO_COLOR, and the terminal given back on exit.
. "$(dirname "$0")/../cli/lib.sh"
HERE=$(readlink -f "$(dirname "$0")")
TOP=$(readlink -f "$OUT/tdxhp-top")
TRACE=$(readlink -f "$OUT/tdxhp-trace")
SOCK="$TMP/tmux.sock"
SIM=(--simulate=storm --sim-ticks 500)
BIG=(--simulate=storm --sim-tds 200 --sim-ticks 500)

bad_input "top: not a terminal" 2 "$TOP" --simulate
bad_input "top: bad interval" 2 "$TOP" -b -d 0
bad_input "top: bad count" 2 "$TOP" -b -n 0
bad_input "top: bad sort column" 2 "$TOP" -b -s nope
bad_input "top: bad -g regex" 2 "$TOP" -b -g '['
bad_input "top: bad -p" 2 "$TOP" -b -p nope
bad_input "top: bad --uuid" 2 "$TOP" -b --uuid 4DEA
bad_input "top: bad --cgroup" 2 "$TOP" -b -c machine.slice
bad_input "top: the old --filter spelling still checks its regex" 2 "$TOP" -b --filter '['
bad_input "top: unknown option" 2 "$TOP" -b --nope
"$TOP" --usage >"$TMP/usage"
check "top: --usage names -d, -n, -p, -g and fits 80 columns" bash -c "
	grep -q -- '-d SECS' '$TMP/usage' && grep -q -- '-n N' '$TMP/usage' &&
	grep -q -- '-p PID' '$TMP/usage' && grep -q -- '-g REGEX' '$TMP/usage' &&
	! awk 'length > 80' '$TMP/usage' | grep -q ."
"$TOP" --help >"$TMP/help"
check "top: --help has the option table's groups and the sort columns" bash -c "
	grep -q '^Selecting TDs:' '$TMP/help' && grep -q -- '--interval SECS' '$TMP/help' &&
	grep -q -- '--count N' '$TMP/help' && grep -q 'DEM99' '$TMP/help' &&
	! grep -qi 'spl99' '$TMP/help'"
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

# start W H ENV ARGS...: tdxhp-top in a fresh tmux server and pane, with
# ENV (VAR=value ..., or "-") in its environment; the shell reports its
# exit status.  Each start gets its own server.
start() {
	local w=$1 h=$2 env=$3
	shift 3
	[ "$env" = - ] && env=
	[ "$sessions" -gt 0 ] && tm kill-server 2>/dev/null
	sessions=$((sessions + 1))
	SOCK="$TMP/tmux.$sessions.sock"
	tm -u new-session -d -s top -x "$w" -y "$h" \
		"env TERM=xterm-256color $env $TOP $*; echo EXITED rc=\$?; sleep 60"
	wait_for 'tdxhp-top' 300
}
screen() { tm capture-pane -t top -p; }
colours() { tm capture-pane -e -t top -p; }
# wait_for REGEX [TENTHS]: poll the screen, bounded (default 5 s).
wait_for() {
	for _ in $(seq 1 "${2:-50}"); do
		screen | grep -qE "$1" && return 0
		sleep 0.1
	done
	return 1
}
keys() { tm send-keys -t top "$@"; sleep 0.3; }
row_of() { screen | grep -E "^..$1 "; }
table() { python3 "$HERE/screen_table.py"; }

# Expected values: the same frozen run through batch mode and tdxhp-trace.
"$TOP" "${SIM[@]}" -b -n 1 >"$TMP/batch.txt"
"$TOP" "${SIM[@]}" -j -n 1 >"$TMP/top.json"
"$TRACE" "${SIM[@]}" -q -s -j >"$TMP/summary.json" 2>/dev/null

# The problem score, worked out again from the documented formula
# (docs/tools.md, tdxhp-top(8)) over the JSON's own columns.
json_check "top: score is the documented formula" "$TMP/top.json" '
all(abs(t["score"] - ((1000 if t["storm_active"] else 100 if t["storm_ever"] else 0)
    + min(200, t["errors_per_s"]) + min(200, t["busy_retries_per_s"])
    + min(200, t["ignored_splits_per_s"])
    + (100 * (1 - t["coverage"]) if t["coverage"] is not None else 0))) < 1e-6
    for o in objs for t in o["tds"])'
json_check "top: the storming TD scores highest and comes first" "$TMP/top.json" '(
objs[0]["tds"][0]["storm_active"] and objs[0]["tds"][0]["score"] >= 1000 and
all(a["score"] >= b["score"] for a, b in zip(objs[0]["tds"], objs[0]["tds"][1:])))'
# Demotes and boundary splits: one word each, the known answers from
# tdxhp-trace's summary of the same simulation (5 s of simulated time).
check "top: DEM/s, SPLIT/s, BUSY/s, ERR/s, DEM99 are tdxhp-trace's demotes, split leaves, seamcall_busy, errors, demote p99" \
	python3 - "$TMP/top.json" "$TMP/summary.json" <<'PY'
import json, sys
top = json.load(open(sys.argv[1]))
by = {t["td"]["name"]: t for t in json.load(open(sys.argv[2]))["tds"]}
dt = top["interval_s"]
for t in top["tds"]:
    c = by[t["td"]["name"]]["counters"]
    errs = sum(v for k, v in c.items() if k.endswith("_err"))
    want = [(t["demotes_per_s"] * dt, c["demote"]),
            (t["split_leaves_per_s"] * dt, c["split_leaves"]),
            (t["busy_retries_per_s"] * dt, c["seamcall_busy"]),
            (t["errors_per_s"] * dt, errs),
            (t["demote_p99_ns"], by[t["td"]["name"]]["hists"]["demote"]["p99_ns"])]
    for got, exp in want:
        if abs(got - exp) > 1:
            sys.exit("%s: %s != %s" % (t["td"]["name"], got, exp))
    if "split_p99_ns" in t or "splits_per_s" in t:
        sys.exit("the old demote-as-split names are back")
PY
check "top -b: says N of M TDs shown, totals and rates labelled" bash -c "
	grep -q '^STORMS 1  TDs 3 (0 partial)  3 of 3 TDs shown  events/s ' '$TMP/batch.txt' &&
	grep -q '^host total: private 4K ' '$TMP/batch.txt' &&
	grep -q '^/s: rates over 5.0s  DEM50 DEM99: since start  sort SCORE' '$TMP/batch.txt'"

start 160 40 - "${SIM[@]}"
screen >"$TMP/s1"
check "top: says the data is simulated" grep -q 'SIMULATED: scenario storm, seed 1' "$TMP/s1"
check "top: header: storms first, then TDs, N of M shown, a rate" \
	grep -qE '^STORMS 1  TDs 3 \(0 partial\)  3 of 3 TDs shown  events/s [0-9.]+k?  dropped 0' "$TMP/s1"
check "top: header: host totals labelled" grep -q '^host total: private 4K .* 2M coverage ' "$TMP/s1"
check "top: header: what rates and latencies cover" grep -q '/s over 5.0s  DEM50/99 since start' "$TMP/s1"
check "top: wide terminal shows every column" \
	bash -c "! grep -q 'cols hidden' $TMP/s1 && grep -q 'AUG4K/s' $TMP/s1 && grep -q 'ERR/s' $TMP/s1 && grep -q 'SPLIT/s' $TMP/s1"
check "top: demotes are DEM, never SPL" bash -c "grep -q 'DEM/s' $TMP/s1 && grep -q DEM99 $TMP/s1 && ! grep -q SPL99 $TMP/s1"
# Every TD's row on screen shows the cells batch mode computed.
ok_rows=0
while IFS= read -r line; do
	name=$(awk '{print $1}' <<<"${line:2}")
	want=$(awk '{$1=$1; print}' <<<"${line:2}")
	got=$(row_of "$name" | cut -c3- | awk '{$1=$1; print}')
	[ "$got" = "$want" ] && ok_rows=$((ok_rows + 1))
done < <(grep -E '^..sim-' "$TMP/batch.txt")
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
table <"$TMP/s1" >"$TMP/s1.json"
table <"$TMP/s1" >"$TMP/s1.json"
check "top: the storming TD is the one with a storm, first, WHY storm" python3 -c "
import json,sys
d=json.load(open('$TMP/top.json'))
storm=[t['td']['name'] for t in d['tds'] if t['storm_active']]
rows=[json.loads(l) for l in open('$TMP/s1.json')]
sys.exit(not (len(storm)==1 and rows[0]['TD']==storm[0] and rows[0]['WHY']=='storm' and rows[0]['marks']=='! '))"
check "top: SCORE on screen is the JSON's, rounded" python3 -c "
import json,sys
d={t['td']['name']:t for t in json.load(open('$TMP/top.json'))['tds']}
rows=[json.loads(l) for l in open('$TMP/s1.json')]
sys.exit(not (len(rows)==3 and all(r['SCORE']=='%.0f' % d[r['TD']]['score'] for r in rows)))"

# Bad values are marked: in colour (white on red) and, with NO_COLOR,
# underlined and bold, never in colour.
colours >"$TMP/c1"
# marked FILE ROW-REGEX CELL-REGEX [not]: the row (escapes stripped) whose
# raw text has the cell regex right after an escape sequence.
marked() {
	python3 - "$@" <<'PY'
import re, sys
path, row, cell = sys.argv[1:4]
neg = len(sys.argv) > 4
hits = [l for l in open(path).read().splitlines()
        if re.search(row, re.sub(r"\x1b\[[0-9;]*m", "", l))]
found = any(re.search(cell, l) for l in hits)
sys.exit(not hits or found == neg)
PY
}
check "top: colour: the storm's IGN/s is marked (white on red)" \
	marked "$TMP/c1" '^! sim-' '\x1b\[37m\x1b\[41m +2\.0k'
check "top: colour: the storm's SCORE and WHY are marked" \
	marked "$TMP/c1" '^! sim-' '\x1b\[41m +1[0-9]{3}\x1b.*\x1b\[41mstorm'
check "top: colour: TDs without problems have no mark" \
	marked "$TMP/c1" '^  sim-' '\x1b\[41m' not

# Sorting: default SCORE, largest first; < moves to HKID; r reverses.
order() { screen | table | python3 -c "import json,sys; print(' '.join(json.loads(l)['TD'] for l in sys.stdin), end=' ')"; }
want_order() { python3 -c "
import json
d=json.load(open('$TMP/top.json'))
k='$1'; rev=$2
tds=sorted(d['tds'], key=lambda t:(-(t[k] if k in t else t['td'][k]), t['td']['name']))
if rev: tds.reverse()
print(' '.join(t['td']['name'] for t in tds), end=' ')"; }
check "top: sorted by the problem score" test "$(order)" = "$(want_order score 0)"
keys '<'
check "top: < sorts by the column to the left (HKID)" wait_for 'sort HKID'
check "top: ... in HKID order" test "$(order)" = "$(want_order hkid 0)"
keys r
check "top: r reverses" test "$(order)" = "$(want_order hkid 1)"
keys '>' r
check "top: > goes back to SCORE" wait_for 'sort SCORE  '

# Filter, then clear it.
keys / s i m - d b Enter
check "top: filter keeps one TD" test "$(screen | grep -cE '^..sim-')" = 1
check "top: ... and shows it" wait_for 'filter /sim-db/'
check "top: ... 1 of 3 TDs shown" wait_for '  1 of 3 TDs shown  '
keys / Enter
check "top: empty filter clears" test "$(screen | grep -cE '^..sim-')" = 3

# The machine column, on and off (identities are unknown here: "-").
keys m
check "top: m shows the MACHINE column, '-' while unknown" bash -c "
	tmux -S $SOCK capture-pane -t top -p | python3 $HERE/screen_table.py |
	python3 -c \"import json,sys; r=[json.loads(l) for l in sys.stdin]; sys.exit(not (len(r)==3 and all(x['MACHINE']=='-' for x in r)))\""
keys m
check "top: m hides it again" bash -c "! tmux -S $SOCK capture-pane -t top -p | grep -q MACHINE"

# Drill down into the storming TD: what to do next, then the details.
storm_td=$(grep '^! ' "$TMP/s1" | awk '{print $2}')
storm_pid=$(grep '^! ' "$TMP/s1" | awk '{print $3}')
keys p
tm send-keys -t top "$storm_td" Enter
sleep 0.3
screen >"$TMP/s2"
check "top: p picks a TD by name and drills down" grep -q "^TD $storm_td " "$TMP/s2"
check "top: detail: the score and its parts, largest first" \
	grep -qE '^score [0-9]+  = storm 1000  \+ ign 200  ' "$TMP/s2"
check "top: detail: the tdxhp-trace command for this TD's problem" \
	grep -qF "next: sudo tdxhp-trace --simulate=storm --seed 1 -p $storm_pid -e fault_split_ignored" "$TMP/s2"
check "top: detail: the runbook" grep -qx 'runbook: docs/alerts.md#tdxhpeptviolationstorm' "$TMP/s2"
check "top: detail: the runbook's anchor exists in docs/alerts.md" \
	grep -qix '## tdxhpeptviolationstorm' docs/alerts.md
check "top: detail: no identity line while identities are unknown" \
	bash -c "! grep -qE '^(uuid|machine|cgroup) ' '$TMP/s2'"
check "top: detail shows histograms" bash -c "grep -q '^demote-track' $TMP/s2 && grep -q '^split ' $TMP/s2"
check "top: detail shows the storm and its gfns, levels by name" \
	bash -c "grep -q 'STORM ACTIVE' $TMP/s2 && grep -qE 'gfn 0x[0-9a-f]+ +hits [0-9]+ .* level 2M wanted 4K' $TMP/s2"
check "top: detail lists recent slow demotes" grep -q 'recent slow demotes' "$TMP/s2"
# The command does what it says: the same simulation, this TD's ignored faults.
cmd=$(sed -n 's/^next: sudo //p' "$TMP/s2")
# shellcheck disable=SC2086 # the command is words
timeout -s INT 8 $OUT/$cmd >"$TMP/next.out" 2>&1
check "top: detail: the command runs and shows this TD's ignored faults" bash -c "
	grep -q 'fault_split_ignored' '$TMP/next.out' && grep -q '$storm_td' '$TMP/next.out' &&
	! grep -v '$storm_td' '$TMP/next.out' | grep -q 'fault_split_ignored'"
keys q
check "top: q goes back to the table" wait_for '^  TD +PID'
pid=$(python3 -c "import json; print(json.load(open('$TMP/top.json'))['tds'][1]['td']['pid'])")
name=$(python3 -c "import json; print(json.load(open('$TMP/top.json'))['tds'][1]['td']['name'])")
keys p
tm send-keys -t top "$pid" Enter
check "top: p picks a TD by PID" wait_for "^TD $name "
check "top: detail of a TD without a problem says so, and its slow demotes command" bash -c "
	tmux -S '$SOCK' capture-pane -t top -p | grep -q '(no problem: below 10)' &&
	tmux -S '$SOCK' capture-pane -t top -p | grep -qE -- '-p $pid -e page_demote -L [0-9.]+us$'"
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
check "top: help explains the score" wait_for '^  SCORE: storm now 1000, earlier 100'
keys x
keys d 2 Enter
check "top: d changes the refresh interval" wait_for 'refresh 2.0s'
keys z
check "top: z resets DEM50 and DEM99 and says so" bash -c "
	tmux -S $SOCK capture-pane -t top -p | grep -q 'DEM50/99 since z' &&
	tmux -S $SOCK capture-pane -t top -p | python3 $HERE/screen_table.py |
	python3 -c \"import json,sys; r=[json.loads(l) for l in sys.stdin]; sys.exit(not (len(r)==3 and all(x['DEM50']=='-' and x['DEM99']=='-' for x in r)))\""

# Resize: 80x24 hides the least important columns, wider shows them again.
tm resize-window -t top -x 80 -y 24
sleep 0.5
check "top: 80x24 hides columns and says so" wait_for 'cols hidden'
check "top: 80x24 keeps the key columns" bash -c "
	s=\$(tmux -S $SOCK capture-pane -t top -p)
	grep -q PRIV2M <<<\"\$s\" && grep -q DEM99 <<<\"\$s\" && grep -q IGN/s <<<\"\$s\" &&
	grep -q SCORE <<<\"\$s\" && grep -q WHY <<<\"\$s\" && grep -qE '^..sim-' <<<\"\$s\""
check "top: 80x24 fits 80 columns" bash -c "! tmux -S $SOCK capture-pane -t top -p | awk 'length > 80' | grep -q ."
tm resize-window -t top -x 150 -y 40
check "top: widening shows them again" bash -c "sleep 0.5; ! tmux -S $SOCK capture-pane -t top -p | grep -q 'cols hidden'"

# Exit paths restore the terminal: q, then SIGTERM.
keys q
check "top: q exits with 0" wait_for 'EXITED rc=0'
check "top: q leaves the alternate screen" test "$(tm display -p -t top '#{alternate_on}')" = 0
check "top: q restores the cursor" test "$(tm display -p -t top '#{cursor_flag}')" = 1
start 100 30 - "${SIM[@]}"
sleep 0.3
kill -TERM "$(pgrep -f "^$TOP ${SIM[*]}" | head -n1)"
check "top: SIGTERM exits cleanly" wait_for 'EXITED rc=0'
check "top: SIGTERM leaves the alternate screen" test "$(tm display -p -t top '#{alternate_on}')" = 0
check "top: SIGTERM restores the cursor" test "$(tm display -p -t top '#{cursor_flag}')" = 1

# NO_COLOR (https://no-color.org): set and not empty, no colour at all;
# bad values stay marked (underline, bold), the title reversed.
start 80 24 NO_COLOR=1 "${SIM[@]}"
wait_for '^  TD '
colours >"$TMP/nc"
check "top: NO_COLOR: no colour escape at all" python3 - "$TMP/nc" <<'PY'
import re, sys
for m in re.finditer(r"\x1b\[([0-9;]*)m", open(sys.argv[1]).read()):
    ps = m.group(1).split(";")
    for i, p in enumerate(ps):
        n = int(p or 0)
        if 30 <= n <= 38 or 40 <= n <= 48 or 90 <= n <= 107:
            sys.exit("colour SGR %r" % m.group(0))
PY
check "top: NO_COLOR: the storm's bad values still marked (underline)" \
	marked "$TMP/nc" '^! sim-' '\x1b\[4m +2\.0k'
check "top: NO_COLOR: the title bar still stands out (reverse)" \
	marked "$TMP/nc" 'tdxhp-top .*SIMULATED' '^\x1b\[([0-9;]*;)?7m'
start 80 24 NO_COLOR= "${SIM[@]}"
wait_for '^  TD '
colours >"$TMP/nc0"
check "top: NO_COLOR empty: colours as usual" marked "$TMP/nc0" '^! sim-' '\x1b\[41m'


# 200 TDs at 80x24: the storming TD is on the first screen, first; the
# header fits and says how many TDs are shown.
"$TOP" "${BIG[@]}" -j -n 1 >"$TMP/big.json"
start 80 24 - "${BIG[@]}"
wait_for '^  TD ' 300
screen >"$TMP/big"
big_storm=$(python3 -c "import json; print([t['td']['name'] for t in json.load(open('$TMP/big.json'))['tds'] if t['storm_active']][0])")
check "top: 200 TDs at 80x24: the storming TD is the first row" \
	grep -qE "^! $big_storm +[0-9]+ +[0-9]+ storm " <(sed -n 6p "$TMP/big")
check "top: 200 TDs at 80x24: STORMS is not cut off" grep -q '^STORMS 1  ' "$TMP/big"
check "top: 200 TDs at 80x24: 18 of 200 TDs shown" grep -q '  18 of 200 TDs shown  ' "$TMP/big"
check "top: 200 TDs at 80x24: every line fits 80 columns" bash -c "! awk 'length > 80' '$TMP/big' | grep -q ."
check "top: 200 TDs at 80x24: names are whole" python3 - "$TMP/big.json" "$TMP/big" <<'PY'
import json, sys
names = {t["td"]["name"] for t in json.load(open(sys.argv[1]))["tds"]}
rows = [l[2:].split()[0] for l in open(sys.argv[2]).read().splitlines()[5:23]]
sys.exit(not (len(rows) == 18 and all(r in names for r in rows)))
PY
keys End
check "top: 200 TDs: scrolled to the end, still N of M" wait_for '  18 of 200 TDs shown  '
echo "--- first screen, 200 simulated TDs, 80x24:" >&2
sed 's/^/    /' "$TMP/big" >&2

# -p and the shared filter group select TDs in batch mode too.
pid0=$(python3 -c "import json; print(json.load(open('$TMP/top.json'))['tds'][0]['td']['pid'])")
"$TOP" "${SIM[@]}" -b -n 1 -p "$pid0" >"$TMP/p.txt"
check "top -p PID: one TD, 1 of 3 shown" bash -c "
	test \$(grep -cE '^..sim-' '$TMP/p.txt') = 1 && grep -qE '^..sim-[a-z]+-[0-9]+ +$pid0 ' '$TMP/p.txt' &&
	grep -q '  1 of 3 TDs shown  ' '$TMP/p.txt'"
"$TOP" "${SIM[@]}" -b -n 1 -g '^sim-(db|web)' >"$TMP/g.txt"
check "top -g REGEX: the two matching TDs" test "$(grep -cE '^..sim-(db|web)-' "$TMP/g.txt")/$(grep -cE '^..sim-' "$TMP/g.txt")" = 2/2
"$TOP" "${SIM[@]}" -j -n 1 -p "$pid0" >"$TMP/p.json"
json_check "top -p -j: only that TD" "$TMP/p.json" "[t['td']['pid'] for t in objs[0]['tds']] == [$pid0]"
for f in "--uuid 4dea22b3-1d52-d8f3-2516-782e98ab3fa0" "--machine qemu-1-vm1" "-c /machine.slice"; do
	# shellcheck disable=SC2086 # option and value
	"$TOP" "${SIM[@]}" -b -n 1 $f >"$TMP/id.txt"
	check "top $f: no TD while identities are unknown, said so" bash -c "
		test \$(grep -cE '^..sim-' '$TMP/id.txt') = 0 && grep -q '  0 of 3 TDs shown  ' '$TMP/id.txt'"
done
check "top --machine-column -b: a MACHINE column, '-' while unknown" bash -c "
	'$TOP' ${SIM[*]} -b -n 1 --machine-column | python3 '$HERE/screen_table.py' |
	python3 -c \"import json,sys; r=[json.loads(l) for l in sys.stdin]; sys.exit(not (len(r)==3 and all(x['MACHINE']=='-' for x in r)))\""

# Batch and JSON, under the new and the old option spellings.
check "top: -b prints n tables" test "$("$TOP" "${SIM[@]}" -b -n 3 -d 0.1 | grep -c '^tdxhp-top - ')" = 3
check "top: --count and --interval" test "$("$TOP" "${SIM[@]}" -b --count 2 --interval 0.1 | grep -c '^tdxhp-top - ')" = 2
check "top: the old --iterations and --delay still work" \
	test "$("$TOP" "${SIM[@]}" -b --iterations 2 --delay 0.1 | grep -c '^tdxhp-top - ')" = 2
"$TOP" --simulate=churn --sim-speed 20 -j -n 3 -d 0.3 >"$TMP/live.json"
json_check "top: -j live JSON lines, simulated" "$TMP/live.json" \
	'len(objs) == 3 and all(o["simulated"] and o["interval_s"] > 0 for o in objs)'
json_check "top: JSON rows carry no kernel address" "$TMP/live.json" \
	'all(set(t["td"]) >= {"name","pid","hkid"} and set(t) >= {"coverage","score"} and "kvm" not in json.dumps(t) for o in objs for t in o["tds"]) if (json := __import__("json")) else 0'
json_check "top: live rates move, from the first refresh on" "$TMP/live.json" \
	'all(sum(t["aug_2m_per_s"] for t in o["tds"]) > 0 and 0.2 < o["interval_s"] < 5 for o in objs)'
