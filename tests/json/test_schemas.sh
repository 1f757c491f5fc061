#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Every JSON output of every tool, validated line by line against its JSON
# Schema in docs/schema/ (tests/json/validate.py, python3-jsonschema):
# replays of recordings and --diff without BPF; then, with BPF, the
# simulator live, and tdxhp-load --status of a pinned simulated instance.
. "$(dirname "$0")/../exporter/lib.sh"
HERE=$(dirname "$0")
D=$HERE/../trace
H=$OUT/tdxhp-hist
T=$OUT/tdxhp-trace
TOP=$OUT/tdxhp-top
L=$OUT/tdxhp-load
passed=0
failed=0
ok() { echo "ok $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok $*"; failed=$((failed + 1)); }
summary() { echo "$passed passed, $failed failed"; }
SEEN=$TMP/seen

# valid NAME FILE [validate.py options]: every line of FILE fits its schema.
valid() {
	local name=$1 file=$2
	shift 2
	if python3 "$HERE/validate.py" "$@" "$file" >"$TMP/why" 2>&1; then
		ok "$name"
	else
		not_ok "$name: $(head -c 600 "$TMP/why")"
	fi
	sed -n 's/^{"schema":"\([^"]*\)".*/\1/p' "$file" >>"$SEEN"
}

if ! python3 -c 'import jsonschema' 2>/dev/null; then
	not_ok "json: python3-jsonschema is installed (scripts/install-deps.sh)"
	summary
	exit 0
fi
check "json: every schema is a valid 2020-12 schema, \$refs resolve" \
	python3 -c "import sys; sys.path.insert(0, '$HERE'); import validate as v; v.make_validators(v.load_schemas())"
for f in docs/schema/*.schema.json; do
	check "json: docs/tools.md lists $(basename "$f")" grep -q "schema/$(basename "$f")" docs/tools.md
done
for name in $(sed -n 's/^#define TDXHP_SCHEMA_[A-Z_]* "\([^/]*\)\/[0-9]*"$/\1/p' tools/lib/json_fields.h); do
	check "json: $name has docs/schema/$name.schema.json" test -f "docs/schema/$name.schema.json"
done

# Recordings (no BPF): the document's file, a cut one, a version 1 file.
python3 "$D/make_doc_recording.py" "$TMP" >/dev/null || not_ok "json: doc writer ran"
DOC=$TMP/doc.tdxhp
V1=$D/data/v1-convert.tdxhp
"$H" -r "$DOC" -j >"$TMP/h-r.json" 2>/dev/null
valid "json: hist -r -j" "$TMP/h-r.json" --expect tdxhp-hist/1
"$H" -r "$DOC" -M -P -j >"$TMP/h-rm.json" 2>/dev/null
valid "json: hist -r -M -P -j" "$TMP/h-rm.json" --expect tdxhp-hist/1
"$H" -r "$V1" -j >"$TMP/h-v1.json" 2>/dev/null
valid "json: hist -r -j of a version 1 recording (simulated)" "$TMP/h-v1.json" --simulated
json_check "json: hist -r: a live recording is not simulated, TD under td" "$TMP/h-r.json" \
	'objs[0]["simulated"] is False and {k: objs[0]["tds"][0]["td"][k] for k in ("name", "pid", "hkid")} == {"name": "doc-a", "pid": 4242, "hkid": 7} and objs[0]["tds"][0]["td"]["uuid"] == "4dea22b3-1d52-d8f3-2516-782e98ab3fa0"'

"$H" --diff "$TMP/diff-before.tdxhp" "$TMP/diff-after.tdxhp" -j \
	--fail-if 'aug-2m.p99>+10%' --fail-if 'demote.p99>+10%' >"$TMP/d.json" 2>/dev/null
check "json: hist --diff -j --fail-if: exit 3" test $? = 3
valid "json: hist --diff -j" "$TMP/d.json" --expect tdxhp-hist-diff/1
json_check "json: ... with each --fail-if judged" "$TMP/d.json" \
	'[(c["condition"], c["result"]) for c in objs[0]["fail_if"]] == [("aug-2m.p99>+10%", "fail"), ("demote.p99>+10%", "noise")]'
"$H" --diff "$TMP/diff-before.tdxhp" "$TMP/h-r.json" -M -j >"$TMP/d2.json" 2>/dev/null
valid "json: hist --diff -M -j of a recording and hist -j" "$TMP/d2.json" --expect tdxhp-hist-diff/1

"$T" -r "$DOC" -j >"$TMP/t-r.json" 2>/dev/null
valid "json: trace -r -j: events" "$TMP/t-r.json" --expect tdxhp-trace-event/1 --min 20
json_check "json: ... TDX statuses as hex strings" "$TMP/t-r.json" \
	'[o["err_code"] for o in objs if "err_code" in o] == ["0x8000020000000000"]'
"$T" -r "$DOC" -q -s -j >"$TMP/t-rs.json" 2>/dev/null
valid "json: trace -r -s -j: the summary" "$TMP/t-rs.json" --expect tdxhp-trace-summary/1
"$T" -r "$V1" -j >"$TMP/t-v1.json" 2>/dev/null
valid "json: trace -r -j of a version 1 recording" "$TMP/t-v1.json" --simulated --min 100
"$T" -r "$TMP/doc-cut.tdxhp" -s -j >"$TMP/t-cut.json" 2>/dev/null
valid "json: trace -r -s -j of a cut recording" "$TMP/t-cut.json"
for f in "$DOC" "$TMP/doc-cut.tdxhp" "$TMP/doc-zeros.tdxhp" "$V1"; do
	"$T" --info "$f" -j >"$TMP/info.json" 2>/dev/null
	valid "json: trace --info -j $(basename "$f")" "$TMP/info.json" --expect tdxhp-trace-info/1
done
json_check "json: --info -j: the start in UTC, a cut file says so" "$TMP/info.json" \
	'objs[0]["format_version"] == 1 and "kernel" not in objs[0] and objs[0]["time"].endswith("Z")'
"$T" --info "$TMP/doc-cut.tdxhp" -j >"$TMP/info-cut.json" 2>/dev/null
json_check "json: --info -j of a cut file: complete false, damage cut" "$TMP/info-cut.json" \
	'objs[0]["complete"] is False and objs[0]["damage"] == "cut"'
"$TOP" -r "$DOC" -j --step -d 0.1 >"$TMP/top-r.json" 2>/dev/null
valid "json: top -r -j" "$TMP/top-r.json" --expect tdxhp-top/1 --min 4

"$L" --status -j --pin-dir /sys/fs/bpf/tdxhp-json-none-$$ >"$TMP/st0.json" 2>/dev/null
check "json: load --status -j, nothing pinned: exit 3" test $? = 3
valid "json: load --status -j, nothing pinned" "$TMP/st0.json" --expect tdxhp-load-status/1

if ! can_bpf; then
	echo "skip json: the simulator's outputs need root and BPF"
	summary
	exit 0
fi

# Live, on the simulator: every record says it is simulated.
"$H" --simulate -j >"$TMP/h.json" 2>/dev/null
valid "json: hist --simulate -j" "$TMP/h.json" --simulated --expect tdxhp-hist/1
"$H" --simulate=convert -M -j >"$TMP/hm.json" 2>/dev/null
valid "json: hist --simulate -M -j" "$TMP/hm.json" --simulated
timeout 20 "$H" --simulate=churn --sim-speed 20 -C -j -d 0.3 -n 2 >"$TMP/hi.json" 2>/dev/null
valid "json: hist -C -j -d 0.3 -n 2: two intervals" "$TMP/hi.json" --simulated --min 2
"$H" --simulate=convert --seed 2 -j >"$TMP/h2.json" 2>/dev/null
"$H" --diff "$TMP/hm.json" "$TMP/h2.json" -j >"$TMP/hd.json" 2>/dev/null
valid "json: hist --diff -j of two live runs" "$TMP/hd.json" --simulated

"$T" --simulate=convert --sim-ticks 400 -j >"$TMP/t.json" 2>/dev/null
valid "json: trace --simulate -j: events" "$TMP/t.json" --simulated --min 100
json_check "json: ... of every type but teardown" "$TMP/t.json" \
	'len({o["event"] for o in objs} - {"td_teardown"}) == 8'
"$T" --simulate=churn --sim-ticks 600 -e init,teardown -j >"$TMP/tc.json" 2>/dev/null
valid "json: trace --simulate=churn -j: TDs come and go" "$TMP/tc.json" --simulated
"$T" --simulate=storm --sim-ticks 200 -s -j -e ignored >"$TMP/ts.json" 2>/dev/null
valid "json: trace --simulate=storm -s -j: storms and the summary" "$TMP/ts.json" --simulated
json_check "json: ... the summary is the last line" "$TMP/ts.json" \
	'objs[-1]["schema"] == "tdxhp-trace-summary/1" and any(t["storm"] for t in objs[-1]["tds"])'
# A reader that stalls: the ring buffer overflows, and the stream says so.
timeout 20 "$T" --simulate=storm --sim-speed 1000 -j -n 20000 2>/dev/null |
	(sleep 1; cat) >"$TMP/tl.json"
valid "json: trace -j with a stalled reader: events and lost" "$TMP/tl.json" --simulated
json_check "json: ... the lost line counts what was lost" "$TMP/tl.json" \
	'[o["lost"] > 0 for o in objs if o["schema"] == "tdxhp-trace-lost/1"] == [True]'

"$TOP" --simulate=storm --sim-ticks 300 -j -n 1 >"$TMP/top.json" 2>/dev/null
valid "json: top --simulate -j" "$TMP/top.json" --simulated --expect tdxhp-top/1
timeout 20 "$TOP" --simulate=churn --sim-speed 20 -j -n 2 -d 0.3 >"$TMP/top2.json" 2>/dev/null
valid "json: top --simulate -j -n 2 -d 0.3" "$TMP/top2.json" --simulated --min 2

# A pinned simulated instance: its status, and the tools that read it.
export TDXHP_PIN_DIR=/sys/fs/bpf/tdxhp-json-$$
trap '"$L" --unload >/dev/null 2>&1; cleanup' EXIT
if "$L" --simulate=convert >/dev/null 2>&1 && "$L" --feed --sim-ticks 300 >/dev/null 2>&1; then
	"$L" --status -j >"$TMP/st.json" 2>/dev/null
	check "json: load --status -j of a pinned instance: exit 0" test $? = 0
	valid "json: load --status -j of a pinned simulated instance" "$TMP/st.json" --simulated
	json_check "json: ... its ids as hex, its scenario, its live TDs" "$TMP/st.json" \
		'objs[0]["pinned"] and objs[0]["instance"].startswith("0x") and objs[0]["scenario"] == "convert" and objs[0]["live_tds"] > 0'
	"$H" --simulate -j >"$TMP/hp.json" 2>/dev/null
	valid "json: hist -j of the pinned simulated instance" "$TMP/hp.json" --simulated
	"$T" --simulate -s -q -j --duration 1s >"$TMP/tp.json" 2>/dev/null
	valid "json: trace -s -j of the pinned simulated instance" "$TMP/tp.json" --simulated
else
	not_ok "json: tdxhp-load --simulate and --feed pin and feed an instance"
fi
"$L" --unload >/dev/null 2>&1

for s in $(sed -n 's/^#define TDXHP_SCHEMA_[A-Z_]* "\(.*\)"$/\1/p' tools/lib/json_fields.h); do
	check "json: $s was validated" grep -qx "$s" "$SEEN"
done
summary
