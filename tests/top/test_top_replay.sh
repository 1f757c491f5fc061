#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-top -r: a recording replayed in batch mode, as JSON and in tmux,
# stepped and at recorded speed.  The file is the independent writer's
# (tests/trace/make_doc_recording.py), so the numbers are known.
. "$(dirname "$0")/../cli/lib.sh"
TOP=$(readlink -f "$OUT/tdxhp-top")
python3 "$(dirname "$0")/../trace/make_doc_recording.py" "$TMP"
F=$TMP/doc.tdxhp

bad_input "top -r: --speed without -r" 2 "$TOP" -b --speed 2
bad_input "top -r: bad speed" 2 "$TOP" -b -r "$F" --speed 0
bad_input "top -r: missing file" 1 "$TOP" -b -r "$TMP/nope"

"$TOP" -r "$F" -b --step -d 0.1 >"$TMP/b.txt" 2>"$TMP/b.err"
check "top -r -b --step: runs to the end (exit 0)" test $? = 0
# 302 ms of events in 0.1 s intervals: 4 tables, the last at the end.
check "top -r -b: one table per recorded interval" test "$(grep -c '^tdxhp-top - ' "$TMP/b.txt")" = 4
check "top -r -b: the last says end" bash -c "tail -n 12 '$TMP/b.txt' | grep -q 'at 0.4 s of the recording, 1x, end'"
awk '/^tdxhp-top - /{buf=""} {buf=buf $0 "\n"} END{printf "%s", buf}' "$TMP/b.txt" >"$TMP/last.txt"
check "top -r -b: doc-a's memory as written (515 4K, 9 2M leaves), scored on its coverage" \
	grep -qE '^  doc-a +4242 +7 +10 +2M% +2\.0M +18\.0M +89\.9' "$TMP/last.txt"
check "top -r -b: the storming doc-b first, scored 1000 for it" \
	grep -qE '^!~doc-b +5151 +9 +1000 +storm ' <(grep -A1 '^  TD ' "$TMP/last.txt")
check "top -r -b: doc-b storming and partial" grep -qE '^!~doc-b +5151 +9 ' "$TMP/last.txt"
check "top -r -b: torn-down doc-c is gone" bash -c "! grep -q 'doc-c' <(tail -n 10 '$TMP/b.txt')"
check "top -r -b: says KVM pages are not in recordings" grep -q '^KVM pages: not in recordings' "$TMP/b.txt"

"$TOP" -r "$F" -j --step -d 0.1 >"$TMP/j.json"
json_check "top -r -j: replay position and end, no simulation" "$TMP/j.json" \
	'len(objs) == 4 and objs[-1]["replay"]["end"] and not objs[0]["replay"]["end"] and not any(o["simulated"] for o in objs)'
json_check "top -r -j: rates over recorded time (10 2M augs in the first 0.1 s)" "$TMP/j.json" \
	'[t["aug_2m_per_s"] for t in objs[0]["tds"] if t["td"]["name"] == "doc-a"] == [100.0]'
# By hand from the recording: in the first 0.1 s doc-a has 2 failures (an
# aug, a boundary split), 2 seamcall_busy, 1 demote and 1 boundary split of one 2M leaf; 515 4K and
# 9 2M leaves make its coverage 18M / (18M + 515 x 4K).
json_check "top -r -j: doc-a's rates and score, worked out by hand" "$TMP/j.json" '(
[(t["errors_per_s"], t["busy_retries_per_s"], t["demotes_per_s"], t["split_leaves_per_s"],
  round(t["score"], 6)) for t in objs[0]["tds"] if t["td"]["name"] == "doc-a"] ==
[(20.0, 20.0, 10.0, 10.0, round(20 + 20 + 100 * 515 * 4096 / (9 * 2**21 + 515 * 4096), 6))])'

# Recorded speed: 4 intervals of 0.1 s take at least 0.4 s; 10x at least 0.04 s.
start=$(date +%s%N)
"$TOP" -r "$F" -b -d 0.1 >/dev/null
el=$(($(date +%s%N) - start))
check "top -r: at recorded speed, waits the recorded time (>= 0.4 s)" test "$el" -ge 400000000
"$TOP" -r "$F" -b -d 0.1 --speed 1000 >"$TMP/fast.txt"
check "top -r --speed: the same tables faster" test "$(grep -c '^tdxhp-top - ' "$TMP/fast.txt")" = 4

if ! command -v tmux >/dev/null; then
	echo "not ok top -r: tmux is not installed"
	exit 0
fi
SOCK=$TMP/tmux.sock
tm() { tmux -S "$SOCK" "$@"; }
trap 'for s in "$TMP"/tmux*.sock; do tmux -S "$s" kill-server 2>/dev/null; done; rm -rf "$TMP"' EXIT
screen() { tm capture-pane -t top -p; }
wait_for() {
	for _ in $(seq 1 50); do
		screen | grep -qE "$1" && return 0
		sleep 0.1
	done
	return 1
}
tm new-session -d -s top -x 160 -y 40 \
	"TERM=xterm-256color $TOP -r $F --step -d 0.1; echo EXITED rc=\$?; sleep 60"
check "top -r tmux: the replay is on screen, stepped" wait_for 'REPLAY: .*doc.tdxhp at 0.1 s.*\(n: next\)'
check "top -r tmux: ... it waits for a key" bash -c "sleep 0.5; tmux -S '$SOCK' capture-pane -t top -p | grep -q 'at 0.1 s of the recording'"
for _ in 1 2 3; do tm send-keys -t top n; sleep 0.2; done
check "top -r tmux: n steps to the end of the recording" wait_for 'end of recording'
check "top -r tmux: doc-b is marked storming" wait_for '^!~doc-b '
tm send-keys -t top n
check "top -r tmux: n past the end says so" wait_for '^end of recording'
tm send-keys -t top /
sleep 0.2
tm send-keys -t top d o c - a Enter
sleep 0.3
tm send-keys -t top Enter
check "top -r tmux: the detail view of a replayed TD" wait_for 'TD detail +REPLAY'
check "top -r tmux: ... with exact min and max" \
	wait_for '^aug-2m +11 +900ns +[0-9.]+us +[0-9.]+us +10\.0us +5\.1us'
tm send-keys -t top q
tm send-keys -t top q
check "top -r tmux: q quits cleanly" wait_for 'EXITED rc=0'

# UTF-8 names draw whole and keep the columns aligned (ncursesw and
# setlocale), a control character in a name never reaches the terminal,
# and a C locale draws '?' for what it cannot show, aligned all the same.
python3 - "$TMP/names.tdxhp" <<'PY'
import os, sys
sys.path.insert(0, os.path.join(os.getcwd(), "tests/trace"))
import tdxhp_rec as R
T0 = 5 * 10**9
fr = []
for slot, name in ((1, "vm-zürich"), (2, "数据库-01"), (3, "plain-vm"), (4, "evil\x1b[31m")):
    fr.append(R.td(slot, 1, name, pid=1000 + slot, hkid=slot))
    fr.append(R.event(T0 + slot, "td_init", slot, 1, pid=1000 + slot, hkid=slot))
    fr.append(R.event(T0 + 10 + slot, "page_aug", slot, 1, pid=1000 + slot,
                      hkid=slot, gfn=0x200, level=2, duration_ns=1000))
open(sys.argv[1], "wb").write(R.header(start_mono_ns=T0 - 1) + b"".join(fr) + R.end(8))
PY
# aligned FILE: each name drawn as expected, its PID's last digit under the
# PID title's last letter, counting display columns.
aligned() {
	python3 - "$@" <<'PY'
import re, sys, unicodedata
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()
names = sys.argv[2:]
def cols(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)
head = [l for l in lines if re.match(r"^  TD ", l)][0]
end = head.index("PID") + 3
for name in names:
    row = [l for l in lines if l[2:].startswith(name + " ")]
    if not row:
        sys.exit("no row for %r" % name)
    m = re.match(r"^(..%s +)(\d+)" % re.escape(name), row[0])
    if cols(m.group(1)) + len(m.group(2)) != end:
        sys.exit("%r: PID ends at %d, title at %d" % (name, cols(m.group(1)) + len(m.group(2)), end))
PY
}
SOCK=$TMP/tmux-utf8.sock
tm -u new-session -d -s top -x 100 -y 20 \
	"env LC_ALL=C.UTF-8 TERM=xterm-256color $TOP -r $TMP/names.tdxhp --step -d 0.1; echo EXITED rc=\$?; sleep 60"
wait_for '^  TD '
screen >"$TMP/u8"
check "top UTF-8: names draw whole, columns aligned" aligned "$TMP/u8" vm-zürich 数据库-01 plain-vm
check "top UTF-8: a control character in a name is drawn as ?" aligned "$TMP/u8" 'evil?[31m'
check "top UTF-8: no escape from a name reached the terminal" \
	bash -c "! tmux -S '$SOCK' capture-pane -e -t top -p | grep -q $'\e\\\\[31m'"
tm send-keys -t top q
SOCK=$TMP/tmux-c.sock
tm -u new-session -d -s top -x 100 -y 20 \
	"env LC_ALL=C TERM=xterm-256color $TOP -r $TMP/names.tdxhp --step -d 0.1; echo EXITED rc=\$?; sleep 60"
wait_for '^  TD '
screen >"$TMP/c"
check "top C locale: what it cannot draw is ?, aligned" aligned "$TMP/c" 'vm-z??rich' '?????????-01' plain-vm
tm send-keys -t top q
LC_ALL=C.UTF-8 "$TOP" -r "$TMP/names.tdxhp" -b --step -d 0.1 | tail -n 6 >"$TMP/u8b"
check "top -b UTF-8: names as written, columns aligned" aligned "$TMP/u8b" vm-zürich 数据库-01 plain-vm
LC_ALL=C "$TOP" -r "$TMP/names.tdxhp" -b --step -d 0.1 | tail -n 6 >"$TMP/cb"
check "top -b C locale: the bytes as written (for pipes), a byte a column" \
	grep -q '^  vm-zürich  ' "$TMP/cb"
