# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Helpers for tdxhp-exporter tests, on top of tests/cli/lib.sh: start
# exporters on free loopback ports, wait with deadlines, clean up on exit.
. "$(dirname "${BASH_SOURCE[0]}")/../cli/lib.sh"
X=$OUT/tdxhp-exporter
PIDS=()

cleanup() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		# Bounded: give each process 5 s, then SIGKILL.
		for _ in $(seq 50); do
			kill -0 "$p" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$TMP"
}
trap cleanup EXIT

# A free TCP port on 127.0.0.1 (the kernel picks it).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# wait_for SECONDS CMD...: run CMD every 0.1 s until it succeeds.
wait_for() {
	local deadline=$((SECONDS + $1))
	shift
	while [ "$SECONDS" -lt "$deadline" ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# start_exporter NAME PORT ARGS...: start in the background, wait until it
# serves; the pid goes to $TMP/NAME.pid and PIDS, stderr to $TMP/NAME.err.
start_exporter() {
	local name=$1 port=$2
	shift 2
	"$X" --web.listen-address "127.0.0.1:$port" "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.err" &
	local pid=$!
	PIDS+=("$pid")
	echo "$pid" >"$TMP/$name.pid"
	wait_for 15 answers "$port"
}

# answers PORT: something speaks HTTP or HTTPS there (any status).
answers() {
	local scheme code
	for scheme in http https; do
		code=$(curl -sk -m 1 -o /dev/null -w '%{http_code}' \
			"$scheme://127.0.0.1:$1/")
		[ "$code" != 000 ] && return 0
	done
	return 1
}

need_bpf() {
	if ! can_bpf; then
		echo "skip $1: needs root and BPF"
		exit 0
	fi
}

# bad_runtime NAME EXPECTED_RC CMD...: a failure after the options were
# parsed: the exporter logs it as one record of level error (logfmt or
# JSON, as --log.format says), every stderr line is a log record, and
# nothing goes to stdout.  The error text goes to $TMP/err for greps.
bad_runtime() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/log"
	rc=$?
	if [ "$rc" = "$want" ] && [ ! -s "$TMP/out" ] &&
		[ "$(grep -cE '(^|[ ,{])"?level"?[=:]"?error' "$TMP/log")" = 1 ] &&
		! grep -qvE '^(ts=|\{)' "$TMP/log"; then
		ok "$name"
	else
		not_ok "$name (rc=$rc, stderr: $(tail -c 300 "$TMP/log"))"
	fi
	grep -E '(^|[ ,{])"?level"?[=:]"?error' "$TMP/log" >"$TMP/err"
}
