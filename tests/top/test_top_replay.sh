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
check "top -r -b: doc-a's memory as written (515 4K, 9 2M leaves)" \
	grep -qE '^  doc-a +4242 +7 +2\.0M +18\.0M +89\.9' "$TMP/last.txt"
check "top -r -b: doc-b storming and partial" grep -qE '^!~doc-b +5151 +9 ' "$TMP/last.txt"
check "top -r -b: torn-down doc-c is gone" bash -c "! grep -q 'doc-c' <(tail -n 10 '$TMP/b.txt')"
check "top -r -b: says KVM pages are not in recordings" grep -q '^KVM pages: not in recordings' "$TMP/b.txt"

"$TOP" -r "$F" -j --step -d 0.1 >"$TMP/j.json"
json_check "top -r -j: replay position and end, no simulation" "$TMP/j.json" \
	'len(objs) == 4 and objs[-1]["replay"]["end"] and not objs[0]["replay"]["end"] and not any(o["simulated"] for o in objs)'
json_check "top -r -j: rates over recorded time (10 2M augs in the first 0.1 s)" "$TMP/j.json" \
	'[t["aug_2m_per_s"] for t in objs[0]["tds"] if t["td"]["name"] == "doc-a"] == [100]'

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
trap 'tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
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
