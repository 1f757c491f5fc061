#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-exporter with 1,000 simulated TDs against nginx serving the same
# body as a static file, in the same run: /metrics p99 latency and
# throughput (wrk --latency on loopback) and the exporter's memory.
#
#   bench/bench_exporter.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
#
# Targets: p99 <= 5 ms, throughput >= 0.5 x nginx, VmHWM <= 20 MiB.
# A benchmark, not a test: it prints numbers and says which targets it met.
set -u
[ -n "${BENCH_TRACE:-}" ] && set -x
OUT=${1:-build}
DUR=${2:-5}
CONNS=${3:-4}
TDS=1000
ROOT=$(cd "$(dirname "$0")/.." && pwd)
X=$ROOT/$OUT/tdxhp-exporter
[ -x "$X" ] || X=$OUT/tdxhp-exporter
TMP=$(mktemp -d)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	sleep 0.3
	for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$TMP"
}
trap cleanup EXIT
die() { echo "bench_exporter: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "needs root (BPF)"
for c in wrk nginx curl cc; do
	command -v "$c" >/dev/null || die "$c is missing: scripts/install-deps.sh"
done
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
wait_for() { # SECONDS CMD...
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.1
	done
}

xport=$(free_port)
XU=http://127.0.0.1:$xport/metrics
"$X" --simulate --sim-tds "$TDS" --max-tds $((TDS + 100)) ${XARGS:-} \
	--web.listen-address "127.0.0.1:$xport" 2>"$TMP/x.err" &
xpid=$!
PIDS+=("$xpid")
wait_for 15 curl -sf -o /dev/null "$XU" || die "exporter did not start: $(cat "$TMP/x.err")"
has_tds() { [ "$(curl -sf "$XU" | awk '/^tdxhp_tds / {print $2}')" -ge "$TDS" ]; }
wait_for 30 has_tds || die "the exporter does not show $TDS TDs"
curl -sf "$XU" >"$TMP/body"
tds=$(awk '/^tdxhp_tds / {print $2}' "$TMP/body")
series=$(grep -vc '^#' "$TMP/body")
bytes=$(wc -c <"$TMP/body")
render=$(awk -F'} ' '/^tdxhp_exporter_collection_duration_seconds\{phase="render"/ {print $2}' "$TMP/body")
readt=$(awk -F'} ' '/^tdxhp_exporter_collection_duration_seconds\{phase="read"/ {print $2}' "$TMP/body")

# nginx serving the same body as a static file.
nport=$(free_port)
mkdir -p "$TMP/www" "$TMP/nginx"
# nginx workers run as www-data: they must reach the file.
chmod 0755 "$TMP" "$TMP/www"
install -m 0644 "$TMP/body" "$TMP/www/metrics"
# Prometheus asks for gzip: the same compressed bytes, served as they are.
curl -sf -H 'Accept-Encoding: gzip' "$XU" >"$TMP/body.gz"
install -m 0644 "$TMP/body.gz" "$TMP/www/metrics.gz"
cat >"$TMP/nginx.conf" <<NGINX
worker_processes auto;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 100000;
	client_body_temp_path $TMP/nginx;
	proxy_temp_path $TMP/nginx;
	fastcgi_temp_path $TMP/nginx;
	uwsgi_temp_path $TMP/nginx;
	scgi_temp_path $TMP/nginx;
	types { }
	default_type "text/plain; version=0.0.4";
	server {
		listen 127.0.0.1:$nport;
		root $TMP/www;
		location = /metrics.gz { add_header Content-Encoding gzip; }
	}
}
NGINX
nginx -c "$TMP/nginx.conf" -p "$TMP/nginx" -g 'daemon off;' 2>"$TMP/nginx.err" &
PIDS+=($!)
NU=http://127.0.0.1:$nport/metrics
wait_for 10 curl -sf -o /dev/null "$NU" || die "nginx did not start: $(cat "$TMP/nginx.err")"

# wrk: "Requests/sec: N" and the "99%" latency line (us, ms or s).
run_wrk() { # URL OUTFILE [HEADER]
	wrk -t2 -c"$CONNS" -d"${DUR}s" --latency ${3:+-H "$3"} "$1" >"$2" 2>&1
}
rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
p99_ms() {
	awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
		if (u == "us") v /= 1000; else if (u == "s") v *= 1000; print v }' "$1"
}
run_wrk "$XU" "$TMP/wrk.x"
rss_plain=$(awk '/^VmRSS:/ {print $2}' "/proc/$xpid/status")
run_wrk "$NU" "$TMP/wrk.n"
run_wrk "$XU" "$TMP/wrk.xz" "Accept-Encoding: gzip"
# Steady state of a Prometheus-scraped exporter: a few gzip-only intervals.
for _ in 1 2 3; do sleep 1.1; curl -sf -H 'Accept-Encoding: gzip' -o /dev/null "$XU"; done
rss_gz=$(awk '/^VmRSS:/ {print $2}' "/proc/$xpid/status")
run_wrk "${NU}.gz" "$TMP/wrk.nz"
x_rps=$(rps "$TMP/wrk.x")
n_rps=$(rps "$TMP/wrk.n")
x_p99=$(p99_ms "$TMP/wrk.x")
n_p99=$(p99_ms "$TMP/wrk.n")
xz_rps=$(rps "$TMP/wrk.xz")
nz_rps=$(rps "$TMP/wrk.nz")
xz_p99=$(p99_ms "$TMP/wrk.xz")
nz_p99=$(p99_ms "$TMP/wrk.nz")
[ -n "$x_rps" ] && [ -n "$n_rps" ] && [ -n "$xz_rps" ] && [ -n "$nz_rps" ] ||
	die "wrk failed: $(tail -3 "$TMP/wrk.x")"
rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$xpid/status")
hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$xpid/status")
gz=$(curl -sf -H 'Accept-Encoding: gzip' "$XU" | wc -c)

verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }
ratio=$(awk "BEGIN { printf \"%.2f\", $x_rps / $n_rps }")
zratio=$(awk "BEGIN { printf \"%.2f\", $xz_rps / $nz_rps }")
echo "tdxhp-exporter benchmark${XARGS:+ ($XARGS)}: $tds live TDs (simulated), $series series, body $bytes bytes ($gz gzipped)"
echo "  collection: map read ${readt}s, render ${render}s (once per --collector.min-interval, 1s)"
echo "  wrk -t2 -c$CONNS -d${DUR}s --latency, loopback, $(nproc) CPUs, same run"
printf '  %-20s %14s %14s %8s\n' "" "tdxhp-exporter" "nginx static" "ratio"
printf '  %-20s %14s %14s %8s\n' "requests/s" "$x_rps" "$n_rps" "$ratio"
printf '  %-20s %14s %14s %8s\n' "p99 latency (ms)" "$x_p99" "$n_p99" \
	"$(awk "BEGIN { printf \"%.2f\", $x_p99 / ($n_p99 > 0 ? $n_p99 : 1) }")"
echo "  gzip, as Prometheus scrapes (Accept-Encoding: gzip; nginx serves the same gzipped bytes):"
printf '  %-20s %14s %14s %8s\n' "requests/s" "$xz_rps" "$nz_rps" "$zratio"
printf '  %-20s %14s %14s %8s\n' "p99 latency (ms)" "$xz_p99" "$nz_p99" \
	"$(awk "BEGIN { printf \"%.2f\", $xz_p99 / ($nz_p99 > 0 ? $nz_p99 : 1) }")"
printf '  %-20s %14s\n' "VmRSS, plain (KiB)" "$rss_plain"
printf '  %-20s %14s\n' "VmRSS, gzip (KiB)" "$rss_gz"
printf '  %-20s %14s  (includes parsing the kernel BTF at load)\n' "VmHWM (KiB)" "$hwm"
echo "targets (plain / gzip):"
echo "  p99 <= 5 ms:               $(verdict "$x_p99 <= 5") ($x_p99 ms) / $(verdict "$xz_p99 <= 5") ($xz_p99 ms)"
echo "  throughput >= 0.5 x nginx: $(verdict "$x_rps >= 0.5 * $n_rps") (${ratio}x) / $(verdict "$xz_rps >= 0.5 * $nz_rps") (${zratio}x)"
echo "  resident <= 20 MiB:        $(verdict "$rss_plain <= 20480") ($((rss_plain / 1024)) MiB) / $(verdict "$rss_gz <= 20480") ($((rss_gz / 1024)) MiB)"
