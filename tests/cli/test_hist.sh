#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-hist end to end: bad input, the live path on a kernel without the
# tracepoints, and the simulated path through the real BPF programs.
. "$(dirname "$0")/lib.sh"
H=$OUT/tdxhp-hist

check "hist: --help" bash -c "$H --help | grep -q -- --simulate"
check "hist: --usage is one short form" bash -c "$H --usage | grep -q '^Usage: tdxhp-hist \[-PMTNmCjvVh\] '"
check "hist: -V prints the version" bash -c "$H -V | grep -q '^tdxhp-hist '"
bad_input "hist: unknown op" 2 "$H" --ops nope
bad_input "hist: bad pid" 2 "$H" -p abc
bad_input "hist: bad regex" 2 "$H" -g '('
bad_input "hist: bad count" 2 "$H" -n 0
bad_input "hist: bad interval" 2 "$H" -d 0.01
bad_input "hist: interval twice" 2 "$H" -d 1 2
# Letters whose meaning changed say what they are now (docs/vocabulary.md).
bad_input "hist: -n REGEX (old name filter) says -g" 2 "$H" -n '^sim-db'
check "hist: ... in one line naming both" grep -q -- '-n is now --count N; the TD name filter is -g' "$TMP/err"
bad_input "hist: -c (old cumulative) says -C" 2 "$H" -c 1 10
check "hist: ... in one line naming both" grep -q -- '-c is now --cgroup PATH; cumulative histograms are -C' "$TMP/err"
bad_input "hist: -c at the end says -C" 2 "$H" -P -c
bad_input "hist: bad --cgroup" 2 "$H" --cgroup machine.slice
bad_input "hist: unknown scenario" 2 "$H" --simulate=bogus
bad_input "hist: zero interval" 2 "$H" 0
bad_input "hist: extra argument" 2 "$H" 1 2 3
bad_input "hist: bad option" 2 "$H" --frobnicate
bad_input "hist: bad storm window" 2 "$H" --storm-window 5parsecs
bad_input "hist: --sim-tds 0" 2 "$H" --sim-tds 0

if ! can_bpf; then
	echo "skip hist: BPF tests need root and BPF"
	exit 0
fi

# This kernel has no kvm_tdx_* tracepoints: one clear line, exit 1.
bad_input "hist: no tracepoints says what to do" 1 "$H"
check "hist: ... and names kernel-patches/ and --simulate" \
	grep -q 'kernel-patches/.*--simulate' "$TMP/err"

"$H" --simulate >"$TMP/text" 2>"$TMP/err"
check "hist: simulate runs" test $? = 0
check "hist: output says simulated" grep -q '^SIMULATED DATA (scenario steady, seed 1)' "$TMP/text"
check "hist: every TD is marked simulated" \
	test "$(grep -c '^TD ' "$TMP/text")" = "$(grep '^TD ' "$TMP/text" | grep -c '\[simulated\]')"
check "hist: 4 TDs" test "$(grep -c '^TD ' "$TMP/text")" = 4
check "hist: the mid-life TD is marked partial" \
	test "$(grep -c 'partial: joined mid-life' "$TMP/text")" = 1
check "hist: histograms in us" grep -q '^ *us  *: count' "$TMP/text"
check "hist: buckets as integer power-of-two ranges" \
	bash -c "grep -E '^ +[0-9]+ -> [0-9]+ +:' '$TMP/text' | awk '{lo=\$1; hi=\$3; if (lo != 0 && (hi + 1) != 2 * lo) exit 1} END {exit NR == 0}'"
check "hist: no exponent notation anywhere" bash -c "! grep -qE '[0-9]e[+-][0-9]' '$TMP/text'"
check "hist: live min/max say they are bucket bounds" grep -q 'min >=.*max <=.*(min/max: bucket bounds)' "$TMP/text"
check "hist: nothing on stderr" test ! -s "$TMP/err"

"$H" --simulate -j >"$TMP/a.json"
json_check "hist: JSON parses, 4 TDs, simulated" "$TMP/a.json" \
	'len(objs) == 1 and objs[0]["simulated"] and len(objs[0]["tds"]) == 4 and objs[0]["schema"] == "tdxhp-hist/1"'
json_check "hist: JSON marks one TD partial" "$TMP/a.json" \
	'sum(t["partial"] for t in objs[0]["tds"]) == 1'
json_check "hist: JSON buckets add up to count" "$TMP/a.json" \
	'all(sum(b["count"] for b in h["buckets"]) == h["count"] for t in objs[0]["tds"] for h in t["hists"].values())'
json_check "hist: JSON has no kernel address" "$TMP/a.json" \
	'"kvm" not in json.dumps(objs) and "0xdead" not in json.dumps(objs) if (json := __import__("json")) else 0'

"$H" --simulate -j >"$TMP/b.json"
check "hist: same seed, same numbers" python3 -c "
import json,sys
a,b=[json.loads(open(f).read()) for f in sys.argv[1:]]
[o.pop(k) for o in (a, b) for k in ('ts_ns', 'time', 'span_s')]; sys.exit(a != b)" "$TMP/a.json" "$TMP/b.json"
"$H" --simulate --seed 2 -j >"$TMP/c.json"
check "hist: another seed, other numbers" python3 -c "
import json,sys
a,b=[json.loads(open(f).read()) for f in sys.argv[1:]]
[o.pop(k) for o in (a, b) for k in ('ts_ns', 'time', 'span_s')]; sys.exit(a == b)" "$TMP/a.json" "$TMP/c.json"

"$H" --simulate -j -p 900001 >"$TMP/p.json"
json_check "hist: -p keeps one TD" "$TMP/p.json" \
	'[t["td"]["pid"] for t in objs[0]["tds"]] == [900001]'
"$H" --simulate -j -g '^sim-(db|cache)' >"$TMP/n.json"
json_check "hist: -g filters by name" "$TMP/n.json" \
	'sorted(t["td"]["name"][:6] for t in objs[0]["tds"]) == ["sim-ca", "sim-db"]'
"$H" --simulate -j --name '^sim-db' >"$TMP/old.json"
json_check "hist: --name, the old spelling of --guest, still works" "$TMP/old.json" \
	'[t["td"]["name"][:6] for t in objs[0]["tds"]] == ["sim-db"]'
"$H" --simulate -j --uuid 4dea22b3-1d52-d8f3-2516-782e98ab3fa0 >"$TMP/u.json"
json_check "hist: --uuid of no simulated TD selects none" "$TMP/u.json" 'objs[0]["tds"] == []'
"$H" --simulate -j -g nomatch >"$TMP/none.json"
json_check "hist: a filter matching nothing gives no TD" "$TMP/none.json" \
	'objs[0]["tds"] == []'
"$H" --simulate -j -o split,demote-track >"$TMP/o.json"
json_check "hist: -o selects histograms" "$TMP/o.json" \
	'all(sorted(t["hists"]) == ["demote-track", "split"] for t in objs[0]["tds"])'
"$H" --simulate=convert -M -j >"$TMP/m.json"
json_check "hist: -M merges the host" "$TMP/m.json" \
	'objs[0]["merged"]["hists"]["split"]["count"] > 100 and objs[0]["scenario"] == "convert"'
"$H" --simulate=convert -M -P -m >"$TMP/m.txt"
check "hist: -P -m shows demote phases in ms" \
	bash -c "grep -q 'op = demote-block' $TMP/m.txt && grep -q '^ *ms  *: count' $TMP/m.txt"

# Intervals: paced simulation, one JSON object per interval.
timeout 20 "$H" --simulate --sim-speed 20 -j -T 1 2 >"$TMP/i.json"
check "hist: interval and count" test $? = 0
json_check "hist: two intervals, both simulated" "$TMP/i.json" \
	'len(objs) == 2 and all(o["simulated"] for o in objs)'
timeout 20 "$H" --simulate --sim-speed 20 -j -d 0.5 -n 3 >"$TMP/dn.json"
check "hist: -d and -n as INTERVAL and COUNT" test $? = 0
json_check "hist: ... three intervals of about 0.5s" "$TMP/dn.json" \
	'len(objs) == 3 and all(0.4 < o["span_s"] < 2 for o in objs)'
timeout 20 "$H" --simulate --sim-speed 20 -j -C -d 0.3 -n 2 >"$TMP/cum.json"
json_check "hist: -C: the second interval counts from the start" "$TMP/cum.json" \
	'len(objs) == 2 and all(o["cumulative"] for o in objs) and objs[1]["span_s"] > objs[0]["span_s"]'
