#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# --web.systemd-socket for real: systemd-socket-activate (Debian's systemd)
# holds the sockets, waits for the first connection, and execs the exporter
# with LISTEN_FDS and LISTEN_PID, as tdxhp-exporter.socket does.  The
# service's own ExecStart line is what runs.
. "$(dirname "$0")/lib.sh"
need_bpf "exporter: socket activation tests"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
UNIT=$ROOT/packaging/systemd/tdxhp-exporter.service
SOCK=$ROOT/packaging/systemd/tdxhp-exporter.socket
if ! command -v systemd-socket-activate >/dev/null; then
	not_ok "socket: systemd-socket-activate is missing (the systemd package, scripts/install-deps.sh)"
	exit 0
fi

check "socket: the unit listens on 9067" grep -qx 'ListenStream=9067' "$SOCK"
check "socket: the service needs the socket and passes --web.systemd-socket" bash -c \
	"grep -qx 'Requires=tdxhp-exporter.socket' '$UNIT' &&
	 grep -q '^ExecStart=.* --web.systemd-socket ' '$UNIT'"
check "socket: systemd-analyze verify (no error but the uninstalled binary)" bash -c \
	"systemd-analyze verify '$SOCK' '$UNIT' 2>&1 |
	 grep -v 'is not executable: No such file or directory' | grep -v 'man tdxhp-exporter(8)' | grep -q . && exit 1 || exit 0"

# The service's ExecStart, from the build tree, as user nobody.
cmd=$(sed -n 's/^ExecStart=//p' "$UNIT")
cmd=${cmd/\/usr\/local\/sbin\/tdxhp-exporter/$X}
cmd=${cmd/--runas tdxhp/--runas nobody}
cmd=${cmd/\$ARGS/--simulate --sim-ticks 20}

port=$(free_port)
# shellcheck disable=SC2086 # the unit's words
systemd-socket-activate -l "127.0.0.1:$port" $cmd >"$TMP/sa.out" 2>"$TMP/sa.err" &
sa=$!
PIDS+=("$sa")
# The first connection waits in the socket's queue while the exporter loads.
check "socket: the first scrape is answered by the exporter it started" bash -c \
	"curl -sf -m 20 'http://127.0.0.1:$port/metrics' -o '$TMP/m' && grep -q '^tdxhp_simulated{' '$TMP/m'"
check "socket: systemd-socket-activate exec'd the exporter (same pid)" \
	bash -c "tr '\0' ' ' </proc/$sa/cmdline | grep -q -- '--web.systemd-socket'"
check "socket: LISTEN_PID was this process" \
	bash -c "tr '\0' '\n' </proc/$sa/environ | grep -qx 'LISTEN_PID=$sa'"
check "socket: the exporter serves on fd 3, the socket it was given" bash -c \
	"ss -ltnpH 'sport = :$port' | grep -q 'pid=$sa,fd=3)'"
check "socket: no socket of its own" bash -c \
	"[ \$(ss -ltnpH | grep -c 'pid=$sa,') = 1 ]"
check "socket: logged as promlog does" \
	grep -q 'level=info msg="Listening on systemd activated listeners instead of port listeners."' "$TMP/sa.err"
check "socket: ... and the address" grep -q "msg=\"Listening on\" address=127.0.0.1:$port" "$TMP/sa.err"
check "socket: runs as nobody, without capabilities" bash -c \
	"grep -Eq '^Uid:\s+$(id -u nobody)\s' /proc/$sa/status && grep -Eq '^CapEff:\s+0+$' /proc/$sa/status"
for _ in 1 2 3; do curl -sf -o /dev/null "http://127.0.0.1:$port/metrics"; done
check "socket: keeps serving" curl -sf -o /dev/null "http://127.0.0.1:$port/"

# Two ListenStream= sockets: both are served; --web.listen-address is
# ignored, and said so.
p1=$(free_port)
p2=$(free_port)
systemd-socket-activate -l "127.0.0.1:$p1" -l "127.0.0.1:$p2" "$X" --web.systemd-socket \
	--web.listen-address 127.0.0.1:1 --simulate --sim-ticks 10 \
	>"$TMP/sa2.out" 2>"$TMP/sa2.err" &
PIDS+=($!)
check "socket: the first of two sockets serves" curl -sf -m 20 -o /dev/null "http://127.0.0.1:$p1/metrics"
check "socket: the second too" curl -sf -m 5 -o /dev/null "http://127.0.0.1:$p2/metrics"
check "socket: --web.listen-address is ignored, with a warning" \
	grep -q 'level=warn msg="--web.listen-address is ignored with --web.systemd-socket' "$TMP/sa2.err"
