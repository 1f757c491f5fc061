#!/usr/bin/env bash
# Fuzz the recording reader for SECONDS, starting from recordings the real
# tool makes.  Prints "ok"/"not ok" for tests/run-all.sh.
set -u
OUT=${1:-build}
SECONDS_TO_RUN=${2:-20}
BIN=$OUT/fuzz/fuzz_record
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/corpus" "$WORK/crashes"

# Seeds: a real recording (when BPF is available), cut and uncut.
if [ "$(id -u)" = 0 ] && "$OUT/tdxhp-trace" --simulate=storm --sim-ticks 20 -q \
	-w "$WORK/seed.rec" >/dev/null 2>&1; then
	head -c 4096 "$WORK/seed.rec" >"$WORK/corpus/head"
	head -c 600 "$WORK/seed.rec" >"$WORK/corpus/short"
	tail -c 300 "$WORK/seed.rec" >"$WORK/corpus/tail"
	cp "$WORK/seed.rec" "$WORK/corpus/whole"
fi
printf 'TDXHPREC' >"$WORK/corpus/magic"
# A version 1 file: the old layout must stay as safe to read.
head -c 8192 "$(dirname "$0")/../trace/data/v1-convert.tdxhp" >"$WORK/corpus/v1"

"$BIN" -max_total_time="$SECONDS_TO_RUN" -max_len=65536 -timeout=10 \
	-artifact_prefix="$WORK/crashes/" "$WORK/corpus" >"$WORK/log" 2>&1
rc=$?
runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$WORK/log" | awk '{print $2}')
[ -n "$runs" ] || runs=$(grep -oE '#[0-9]+' "$WORK/log" | tail -n1 | tr -d '#')
if [ "$rc" = 0 ] && [ -z "$(ls -A "$WORK/crashes")" ]; then
	echo "ok fuzz: recording reader survived ${runs:-?} inputs in ${SECONDS_TO_RUN}s"
else
	echo "not ok fuzz: recording reader (rc=$rc)"
	tail -n 40 "$WORK/log"
	for c in "$WORK"/crashes/*; do
		[ -f "$c" ] && echo "# crash input: $(od -A x -t x1z -N 128 "$c" | head -n 8)"
	done
fi
