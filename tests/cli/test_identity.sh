#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The identities operators use (libvirt UUID, machine, cgroup) in
# tdxhp-hist and tdxhp-trace: simulated TDs get them from a fake libvirt,
# machined and /proc layout (fake_identity.py) under TDXHP_ROOT; the
# --uuid, --machine and --cgroup filters select on them, live, in
# recordings and in their replays.
. "$(dirname "$0")/lib.sh"
H=$OUT/tdxhp-hist
T=$OUT/tdxhp-trace
D=$(dirname "$0")

bad_input "identity: --uuid that is no UUID" 2 "$H" --uuid 4dea22b3
bad_input "identity: --uuid in upper case" 2 "$T" --uuid 4DEA22B3-1D52-D8F3-2516-782E98AB3FA0
bad_input "identity: --cgroup that is not a path" 2 "$H" --cgroup machine.slice
bad_input "identity: empty --machine" 2 "$T" --machine ''

if ! can_bpf; then
	echo "skip identity: BPF tests need root and BPF"
	exit 0
fi

# The simulated TDs and their pids, then a fake tree for them.
"$H" --simulate -j >"$TMP/tds.json"
python3 "$D/fake_identity.py" "$TMP/root" <"$TMP/tds.json" >"$TMP/want.json"
check "identity: the fake tree covers three TDs" \
	python3 -c "import json,sys; sys.exit(len(json.load(open('$TMP/want.json'))) != 3)"
want() { # want NAME FIELD
	python3 -c "import json,sys; print(json.load(open('$TMP/want.json'))[sys.argv[1]][sys.argv[2]])" "$@"
}
# shown: the TDs a text report lists, sorted, on one line.
shown() { grep '^TD ' "$1" | cut -d' ' -f2 | sort | tr '\n' ' ' | sed 's/ $//'; }
export TDXHP_ROOT=$TMP/root

# tdxhp-hist: the header shows them, the filters select on them.
"$H" --simulate >"$TMP/all.txt" 2>"$TMP/err"
for td in sim-db-01 sim-cache-02 sim-batch-03; do
	line="^TD $td .* uuid $(want $td uuid)"
	[ -n "$(want $td machine)" ] && line="$line  machine $(want $td machine)"
	check "hist: $td shows its uuid and machine" grep -q "$line  \[simulated\]" "$TMP/all.txt"
done
check "hist: the partial TD (no pid) has no identity" \
	bash -c "grep '^TD sim-web-00 ' '$TMP/all.txt' | grep -vq uuid"
"$H" --simulate --uuid "$(want sim-cache-02 uuid)" >"$TMP/f.txt"
check "hist: --uuid selects the libvirt domain (status XML, no machined)" \
	test "$(shown "$TMP/f.txt")" = sim-cache-02
"$H" --simulate --machine "$(want sim-db-01 machine)" >"$TMP/f.txt"
check "hist: --machine selects the machine (unit: link)" \
	test "$(shown "$TMP/f.txt")" = sim-db-01
"$H" --simulate --machine "$(want sim-batch-03 machine)" >"$TMP/f.txt"
check "hist: --machine by machined's LEADER= (no unit: link)" \
	test "$(shown "$TMP/f.txt")" = sim-batch-03
"$H" --simulate --cgroup /machine.slice >"$TMP/f.txt"
check "hist: --cgroup /machine.slice holds the two libvirt TDs" \
	test "$(shown "$TMP/f.txt")" = "sim-cache-02 sim-db-01"
"$H" --simulate --cgroup /machine >"$TMP/f.txt"
check "hist: --cgroup /machine is not a prefix of /machine.slice" \
	grep -q '^no TD matched the filter' "$TMP/f.txt"
"$H" --simulate --cgroup "$(want sim-db-01 cgroup)" -p "$(want sim-db-01 pid)" >"$TMP/f.txt"
check "hist: --cgroup with the exact path and -p together" \
	test "$(shown "$TMP/f.txt")" = sim-db-01
"$H" --simulate --uuid 00000000-0000-0000-0000-000000000000 >"$TMP/f.txt"
check "hist: a UUID no TD has matches nothing" grep -q '^no TD matched the filter' "$TMP/f.txt"
"$H" --simulate -j --machine "$(want sim-db-01 machine)" >"$TMP/f.json"
json_check "hist: the filter applies to JSON too" "$TMP/f.json" \
	'[t["td"]["name"] for t in objs[0]["tds"]] == ["sim-db-01"]'
"$H" --simulate -j >"$TMP/all.json"
check "hist: JSON carries each TD's uuid, machine and cgroup, the unknown left out" \
	python3 - "$TMP/all.json" "$TMP/want.json" <<'PY'
import json, sys
tds = {t["td"]["name"]: t["td"] for t in json.load(open(sys.argv[1]))["tds"]}
want = json.load(open(sys.argv[2]))
for name, w in want.items():
    got = {k: tds[name].get(k, "") for k in ("uuid", "machine", "cgroup")}
    assert got == {k: w[k] for k in got}, (name, got, w)
assert "machine" not in tds["sim-cache-02"]
assert not {"uuid", "machine", "cgroup"} & set(tds["sim-web-00"]), tds["sim-web-00"]
PY

# A simulation without a fake tree: made-up pids are never looked up.
env -u TDXHP_ROOT "$H" --simulate --uuid "$(want sim-db-01 uuid)" >"$TMP/f.txt"
check "hist: without TDXHP_ROOT simulated TDs have no identity" \
	grep -q '^no TD matched the filter' "$TMP/f.txt"
env -u TDXHP_ROOT "$H" --simulate >"$TMP/f.txt"
check "hist: ... and show none" bash -c "! grep -q ' uuid ' '$TMP/f.txt'"

# tdxhp-trace, live: only the selected TD's events.
"$T" --simulate --sim-ticks 100 -j --uuid "$(want sim-db-01 uuid)" >"$TMP/ev.json" 2>/dev/null
json_check "trace: --uuid prints that TD's events only, with its identity" "$TMP/ev.json" \
	"len(objs) > 100 and all(o['td']['name'] == 'sim-db-01' and o['td']['uuid'] == '$(want sim-db-01 uuid)' for o in objs if 'event' in o)"
"$T" --simulate --sim-ticks 100 -j --cgroup /system.slice >"$TMP/ev.json" 2>/dev/null
json_check "trace: --cgroup too" "$TMP/ev.json" \
	'len(objs) > 100 and all("sim-batch-03" in json.dumps(o) for o in objs) if (json := __import__("json")) else 0'
"$T" --simulate --sim-ticks 100 -q -s --machine "$(want sim-db-01 machine)" >"$TMP/sum.txt" 2>/dev/null
check "trace: the summary is filtered the same way" test "$(shown "$TMP/sum.txt")" = sim-db-01

# Recording: identities are stored with the names, so the replay needs
# no tree, and shows and filters them as the live tools do.
"$T" --simulate --sim-ticks 300 -q -w "$TMP/rec.tdxhp" 2>/dev/null
check "trace: the recording holds an IDENTITY frame per TD with a pid" python3 - "$TMP/rec.tdxhp" "$TMP/want.json" <<'PY'
import json, struct, sys
data = open(sys.argv[1], "rb").read()
want = json.load(open(sys.argv[2]))
off, seen = struct.unpack_from("<I", data, 12)[0], {}
while off + 16 <= len(data):
    kind, _, plen, _, _ = struct.unpack_from("<HHIII", data, off)
    p = data[off + 16:off + 16 + plen]
    if kind == 5:
        cstr = lambda b: b.split(b"\0")[0].decode()
        seen[cstr(p[8:48])] = (cstr(p[48:112]), cstr(p[112:368]))
    off += 16 + plen
exp = {v["uuid"]: (v["machine"], v["cgroup"]) for v in want.values()}
sys.exit(seen != exp)
PY
env -u TDXHP_ROOT "$T" -r "$TMP/rec.tdxhp" -q -s --uuid "$(want sim-batch-03 uuid)" >"$TMP/r.txt" 2>/dev/null
check "trace: a replay filters on the recorded identities, no tree needed" \
	test "$(shown "$TMP/r.txt")" = sim-batch-03
env -u TDXHP_ROOT "$T" -r "$TMP/rec.tdxhp" -j --count 50 --machine "$(want sim-db-01 machine)" >"$TMP/r.json" 2>/dev/null
json_check "trace: replayed events carry the recorded identity in JSON" "$TMP/r.json" \
	"len(objs) == 50 and all(o['td']['name'] == 'sim-db-01' and o['td']['uuid'] == '$(want sim-db-01 uuid)' and o['td']['machine'] == '$(want sim-db-01 machine)' for o in objs)"
env -u TDXHP_ROOT "$H" -r "$TMP/rec.tdxhp" --cgroup /machine.slice >"$TMP/r.txt" 2>/dev/null
check "hist: so does tdxhp-hist -r" test "$(shown "$TMP/r.txt")" = "sim-cache-02 sim-db-01"
check "hist: ... showing the recorded uuid and machine" \
	grep -q "^TD sim-db-01 .* uuid $(want sim-db-01 uuid)  machine $(want sim-db-01 machine)" "$TMP/r.txt"
env -u TDXHP_ROOT "$T" -r "$TMP/rec.tdxhp" -q -s >"$TMP/all-r.txt" 2>/dev/null
"$T" --simulate --sim-ticks 300 -q -s >"$TMP/all-l.txt" 2>/dev/null
# Counters and gauges (min and max differ by design: exact in replays).
totals() { grep -E '^TD |^  (pages|add [0-9]|remove_4k|demote_busy|fault_split)' "$1"; }
check "trace: identities change nothing else: the replay's totals are the live ones" \
	diff <(totals "$TMP/all-r.txt") <(totals "$TMP/all-l.txt")

# Outputs with identities still fit their JSON schemas.
V=$D/../json/validate.py
"$T" --simulate --sim-ticks 50 -j -q -s >"$TMP/sum.json" 2>/dev/null
for f in all.json r.json ev.json sum.json; do
	check "identity: $f fits its schema" python3 "$V" --simulated --min 1 "$TMP/$f"
done
