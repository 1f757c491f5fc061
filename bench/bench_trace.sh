#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Does tdxhp-trace keep up with the simulator at full speed?  Events per
# second delivered and the share lost, measured in the same run.
set -u
OUT=${1:-build}
T=$(readlink -f "$OUT/tdxhp-trace")
DUR=${DUR:-10s}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "tdxhp-trace against the simulator at full speed (scenario convert), $DUR each"
echo
printf '%-34s %12s %12s %10s\n' "consumer" "events" "events/s" "lost"
run() { # label, args...
	local label=$1 secs
	shift
	"$T" --simulate=convert --sim-speed 1000 --duration "$DUR" "$@" >/dev/null 2>"$TMP/err"
	line=$(grep -o '[0-9]* events, [0-9]* printed, [0-9]* lost' "$TMP/err")
	ev=$(awk '{print $1}' <<<"$line")
	lost=$(awk '{print $5}' <<<"$line")
	secs=$(awk -v d="$DUR" 'BEGIN{sub(/s$/,"",d); print d}')
	printf '%-34s %12s %12.0f %9.3f%%\n' "$label" "$ev" "$(awk -v e="$ev" -v s="$secs" 'BEGIN{print e/s}')" \
		"$(awk -v e="$ev" -v l="$lost" 'BEGIN{t=e+l; print t ? 100*l/t : 0}')"
}
run "count only (-q)" -q
run "text lines to /dev/null" 
run "JSON lines to /dev/null" -j
run "recording to a file (-q -w)" -q -w "$TMP/rec"
echo
echo "lost: records the ring buffer dropped because the consumer fell behind"
