#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-hist -r (a recording's histograms) and --diff / --fail-if (two runs
# compared), on files written by the independent writer of tests/trace.
. "$(dirname "$0")/lib.sh"
H=$OUT/tdxhp-hist
D=$(dirname "$0")/../trace
python3 "$D/make_doc_recording.py" "$TMP"
B=$TMP/diff-before.tdxhp
A=$TMP/diff-after.tdxhp
S=$TMP/diff-same.tdxhp

"$H" -r "$TMP/doc.tdxhp" >"$TMP/r.txt" 2>"$TMP/r.err"
check "hist -r: reads a recording (exit 0, no BPF)" test $? = 0
check "hist -r: per-TD histograms" bash -c "grep -q '^TD doc-a  pid 4242  hkid 7' '$TMP/r.txt' && grep -q '^TD doc-b .*partial' '$TMP/r.txt'"
check "hist -r: exact min and max next to p50/p99/avg" \
	grep -q 'count 11  min 900ns  p50 .*  p99 .*  max 10.0us  avg 5.1us$' "$TMP/r.txt"
"$H" -r "$TMP/doc.tdxhp" -j >"$TMP/r.json"
json_check "hist -r -j: the same numbers as JSON, extremes exact" "$TMP/r.json" \
	'[(t["td"]["name"], t["hists"]["aug-2m"]["min_ns"], t["hists"]["aug-2m"]["max_ns"], t["hists"]["aug-2m"]["extremes"]) for t in objs[0]["tds"] if "aug-2m" in t["hists"]] == [("doc-a", 900, 10000, "exact")]'
"$H" -r "$TMP/doc.tdxhp" -P -p 4242 -j >"$TMP/p.json"
json_check "hist -r: -P and -p as live" "$TMP/p.json" \
	'[t["td"]["name"] for t in objs[0]["tds"]] == ["doc-a"] and sorted(objs[0]["tds"][0]["hists"]) == ["demote", "demote-block", "demote-demote", "demote-track"]'
"$H" -r "$TMP/doc.tdxhp" -g '^doc-b$' -j >"$TMP/n.json"
json_check "hist -r: -g as live" "$TMP/n.json" '[t["td"]["name"] for t in objs[0]["tds"]] == ["doc-b"]'
"$H" -r "$TMP/doc.tdxhp" -M -o add,split -N >"$TMP/m.txt"
check "hist -r: -M merges torn-down TDs too, in ns" \
	bash -c "grep -q '^All TDs (2 live)' '$TMP/m.txt' && grep -q 'op = add' '$TMP/m.txt' && grep -q '^ *ns  *: count' '$TMP/m.txt'"
bad_input "hist -r: with an interval" 2 "$H" -r "$TMP/doc.tdxhp" 1
bad_input "hist -r: missing file" 1 "$H" -r "$TMP/nope"

# --diff: per op, before/after/change and whether it means anything.
"$H" --diff "$B" "$A" -M >"$TMP/d.txt"
check "diff: exit 0 without --fail-if" test $? = 0
check "diff: a 50% slower aug-2m p99 is significant" \
	grep -qE '^  p99 +15\.0us +22\.5us +\+50\.[0-9]%  significant' "$TMP/d.txt"
check "diff: 3 demotes each: too few samples, said so" \
	bash -c "grep -A9 '^op = demote$' '$TMP/d.txt' | grep -q 'p99 .*too few samples' && grep -q 'note: 3 and 3 samples: fewer than 20' '$TMP/d.txt'"
check "diff: count and rate with their change" grep -qE '^  rate +952\.38/s +952\.38/s +\+0\.0%' "$TMP/d.txt"
check "diff: the two histograms side by side" grep -qE '^ +16 -> 31 +: 0 +\| +\| +[0-9]+ +\|\*+' "$TMP/d.txt"
"$H" --diff "$B" "$A" >"$TMP/dt.txt"
check "diff: per TD present in both runs" grep -q '^== TD diff-td' "$TMP/dt.txt"
"$H" --diff "$B" "$S" -M -o aug-2m >"$TMP/same.txt"
check "diff: another sample of the same distribution is within noise" \
	bash -c "grep -E '^  (p50|p99|avg) ' '$TMP/same.txt' | grep -vq 'significant' && ! grep -E '^  (p50|p99|avg) ' '$TMP/same.txt' | grep -q significant"
"$H" --diff "$B" "$A" -j -M >"$TMP/d.json"
json_check "diff -j: verdicts as JSON" "$TMP/d.json" \
	'objs[0]["host"]["aug-2m"]["p99_ns"]["verdict"] == "significant" and round(objs[0]["host"]["aug-2m"]["p99_ns"]["change_pct"]) == 50'

# --fail-if gates a kernel CI: exit 3 when a condition holds and means something.
"$H" --diff "$B" "$A" -M --fail-if 'aug-2m.p99>+10%' >"$TMP/f1" 2>&1
check "fail-if: aug-2m.p99>+10% fails (exit 3)" test $? = 3
check "fail-if: ... and says which" grep -q '^FAIL: aug-2m.p99>+10% (change +50' "$TMP/f1"
"$H" --diff "$B" "$A" -M --fail-if 'aug-2m.p99>+80%' --fail-if 'aug-2m.count<-20%' >"$TMP/f2" 2>&1
check "fail-if: conditions that do not hold pass (exit 0)" test $? = 0
"$H" --diff "$B" "$A" -M --fail-if 'demote.p99>+10%' >"$TMP/f3" 2>&1
check "fail-if: a change from too few samples does not fail" test $? = 0
check "fail-if: ... and says why" grep -q 'holds (change +45.5%) but is not significant: too few samples' "$TMP/f3"
bad_input "fail-if: bad expression" 2 "$H" --diff "$B" "$A" --fail-if 'demote.p99>10'
bad_input "fail-if: unknown op" 2 "$H" --diff "$B" "$A" --fail-if 'frob.p99>+10%'
bad_input "fail-if: unknown statistic" 2 "$H" --diff "$B" "$A" --fail-if 'demote.p42>+10%'
bad_input "fail-if: without --diff" 2 "$H" --fail-if 'demote.p99>+10%'
bad_input "diff: one run only" 2 "$H" --diff "$B"
cp "$B" "$TMP/corrupt.tdxhp"
printf '\x55' | dd of="$TMP/corrupt.tdxhp" bs=1 seek=60000 conv=notrunc status=none
"$H" --diff "$TMP/corrupt.tdxhp" "$A" -M >/dev/null 2>"$TMP/corrupt.err"
check "diff: a corrupt run never passes (exit 1)" test $? = 1
check "diff: ... and says where it is corrupt" grep -q 'checksum mismatch in the frame at offset' "$TMP/corrupt.err"
printf 'not json\n' >"$TMP/bad.json"
bad_input "diff: a file that is neither" 1 "$H" --diff "$TMP/bad.json" "$A"

if ! can_bpf; then
	echo "skip diff: the JSON of a live run needs root and BPF"
	exit 0
fi
"$H" --simulate=convert -j >"$TMP/live1.json"
"$H" --simulate=convert --seed 2 -j >"$TMP/live2.json"
"$H" --diff "$TMP/live1.json" "$TMP/live2.json" >"$TMP/lj.txt" 2>&1
check "diff: two live runs' JSON compare (exit 0)" test $? = 0
check "diff: ... marked simulated, extremes as bucket bounds" \
	bash -c "grep -q 'SIMULATED DATA' '$TMP/lj.txt' && grep -q 'min/max are bucket bounds' '$TMP/lj.txt' && grep -q '^  min .*(bucket bounds)' '$TMP/lj.txt'"
check "diff: ... per TD of both runs" grep -q '^== TD sim-db-01' "$TMP/lj.txt"
"$H" --diff "$TMP/live1.json" "$B" -M -o aug-2m >/dev/null 2>&1
check "diff: a live run's JSON against a recording" test $? = 0
