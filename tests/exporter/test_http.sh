#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-exporter over plain HTTP: the exposition passes promtool, the paths
# and methods, hostile clients, and the privileges left after start.
. "$(dirname "$0")/lib.sh"
need_bpf "exporter: HTTP tests"

# Without --simulate this kernel has no tracepoints: one error record, exit 1.
bad_runtime "exporter: no tracepoints says what to do" 1 "$X" \
	--web.listen-address "127.0.0.1:$(free_port)"

port=$(free_port)
U=http://127.0.0.1:$port
start_exporter steady "$port" --simulate --collector.min-interval 200ms
check "exporter: starts and serves" curl -sf -o /dev/null "$U/"
pid=$(cat "$TMP/steady.pid")

curl -sf "$U/metrics" >"$TMP/m1"
check "exporter: promtool check metrics says nothing" \
	bash -c "promtool check metrics <'$TMP/m1' >'$TMP/lint' 2>&1 && [ ! -s '$TMP/lint' ]"
check "exporter: marked simulated" grep -q '^tdxhp_simulated{scenario="steady",seed="1"} 1$' "$TMP/m1"
check "exporter: 4 live TDs" grep -q '^tdxhp_tds 4$' "$TMP/m1"
check "exporter: one TD is partial" \
	test "$(grep -c '^tdxhp_td_info{.*partial="true"} 1$' "$TMP/m1")" = 1
check "exporter: build_info" grep -q '^tdxhp_build_info{version="[^"]*"} 1$' "$TMP/m1"
check "exporter: host histograms for every op" \
	test "$(grep -c '^tdxhp_op_duration_seconds_count{op=' "$TMP/m1")" = 9
check "exporter: le bounds are exact powers of two in seconds" \
	grep -q '^tdxhp_op_duration_seconds_bucket{op="split",le="0.000001024"}' "$TMP/m1"
check "exporter: per-TD series stay few (< 60 per TD)" \
	test "$(grep -c '^tdxhp_td_' "$TMP/m1")" -lt $((60 * 4))
check "exporter: no kernel address or gfn anywhere" \
	bash -c "! grep -Eiq '0x[0-9a-f]{6,}|dead0|gfn' '$TMP/m1'"
check "exporter: buckets are cumulative and end at _count" python3 - "$TMP/m1" <<'PY'
import re, sys, collections
b = collections.defaultdict(list); c = {}
for l in open(sys.argv[1]):
    m = re.match(r'(\w+)_bucket\{(.*),le="([^"]+)"\} (\d+)$', l)
    if m: b[(m[1], m[2])].append(int(m[4]))
    m = re.match(r'(\w+)_count\{(.*)\} (\d+)$', l)
    if m: c[(m[1], m[2])] = int(m[3])
ok = b and all(v == sorted(v) and v[-1] == c[k] for k, v in b.items())
sys.exit(0 if ok else 1)
PY

# Metrics move: the paced simulator keeps feeding the BPF programs.
ev() { grep '^tdxhp_events_total{event="page_aug"}' "$1" | awk '{print $2}'; }
first=$(ev "$TMP/m1")
moved() { curl -sf "$U/metrics" >"$TMP/m2" && [ "$(ev "$TMP/m2")" -gt "$first" ]; }
check "exporter: simulated counters move (after caps are gone)" wait_for 10 moved

# gzip when asked, identical once decompressed.
check "exporter: gzip when accepted" bash -c \
	"curl -sf -H 'Accept-Encoding: gzip' -D '$TMP/h' -o '$TMP/gz' '$U/metrics' && grep -qi '^content-encoding: gzip' '$TMP/h' && gunzip -t <'$TMP/gz'"
check "exporter: no gzip unless accepted" bash -c \
	"curl -sf -D '$TMP/h' -o /dev/null '$U/metrics' && ! grep -qi '^content-encoding' '$TMP/h'"
check "exporter: content type 0.0.4" grep -qi 'content-type: text/plain; version=0.0.4' "$TMP/h"

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
check "exporter: landing page links the metrics" bash -c "curl -sf '$U/' | grep -q 'href=\"/metrics\"'"
check "exporter: landing page says simulated" bash -c "curl -sf '$U/' | grep -q 'SIMULATED'"
check "exporter: 404 elsewhere" test "$(code "$U/nope")" = 404
check "exporter: 405 for POST" test "$(code -X POST -d x=1 "$U/metrics")" = 405
check "exporter: 405 for DELETE" test "$(code -X DELETE "$U/metrics")" = 405
check "exporter: HEAD works" test "$(code -I "$U/metrics")" = 200
check "exporter: oversized URL refused" test "$(code "$U/$(head -c 40000 /dev/zero | tr '\0' a)")" = 414
check "exporter: oversized header refused" \
	test "$(code -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' b)" "$U/metrics")" = 431

# Raw hostile clients: garbage, a truncated request, a huge body, and ten
# slow-loris connections that send one header byte at a time.
python3 - "$port" <<'PY' >"$TMP/hostile" 2>&1 &
import socket, sys, time
port = int(sys.argv[1])
def conn():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    return s
for payload in (b"\x00\xff garbage\r\n\r\n", b"GET /metrics HTTP/1.1\r\nHost",
                b"GET /metrics HTTP/9.9\r\n\r\n",
                b"POST /metrics HTTP/1.1\r\nContent-Length: 100000000\r\n\r\n" + b"x" * 65536):
    try:
        s = conn(); s.sendall(payload); s.recv(100); s.close()
    except OSError:
        pass
slow = [conn() for _ in range(10)]
for s in slow:
    s.sendall(b"GET /metrics HTTP/1.1\r\n")
end = time.time() + 6
while time.time() < end:
    for s in slow:
        try:
            s.sendall(b"X")
        except OSError:
            pass
    time.sleep(0.5)
PY
hostile=$!
PIDS+=("$hostile")
sleep 1
t0=$(date +%s%N)
check "exporter: answers during a slow-loris attack" curl -sf -m 3 -o /dev/null "$U/metrics"
t1=$(date +%s%N)
check "exporter: ... within a second" test $(((t1 - t0) / 1000000)) -lt 1000
wait "$hostile"
check "exporter: still alive after hostile clients" kill -0 "$pid"
check "exporter: still serves after hostile clients" curl -sf -m 3 -o /dev/null "$U/metrics"

# Many concurrent clients share one collection (min-interval 200ms).
before=$(curl -sf "$U/metrics" | awk '/^tdxhp_exporter_collections_total/ {print $2}')
curls=()
for _ in $(seq 20); do
	curl -sf -m 5 -o /dev/null "$U/metrics" &
	curls+=($!)
done
wait "${curls[@]}"
after=$(curl -sf "$U/metrics" | awk '/^tdxhp_exporter_collections_total/ {print $2}')
check "exporter: 20 quick scrapes share collections ($before -> $after)" \
	test $((after - before)) -le 10

# Privileges: every set empty, in every thread, no_new_privs set.
caps_empty() {
	local f ok=0
	for f in /proc/"$pid"/task/*/status; do
		grep -Eq '^CapEff:\s+0+$' "$f" && grep -Eq '^CapPrm:\s+0+$' "$f" &&
			grep -Eq '^CapBnd:\s+0+$' "$f" && grep -Eq '^CapAmb:\s+0+$' "$f" &&
			grep -Eq '^NoNewPrivs:\s+1$' "$f" || ok=1
	done
	return $ok
}
check "exporter: no capabilities in any thread after attach" caps_empty
check "exporter: startup record on stderr says simulated" grep -q 'level=warn msg="SIMULATED DATA' "$TMP/steady.err"

# --runas: a plain user keeps serving from the open fds and mmaps.
port2=$(free_port)
start_exporter runas "$port2" --simulate=convert --runas nobody
pid=$(cat "$TMP/runas.pid")
check "exporter: --runas nobody serves" curl -sf -o "$TMP/m3" "http://127.0.0.1:$port2/metrics"
check "exporter: --runas nobody runs as nobody" \
	grep -Eq "^Uid:\s+$(id -u nobody)\s" "/proc/$pid/status"
check "exporter: --runas nobody has no capabilities" caps_empty
first=$(ev "$TMP/m3")
moved2() { curl -sf "http://127.0.0.1:$port2/metrics" >"$TMP/m4" && [ "$(ev "$TMP/m4")" -gt "$first" ]; }
check "exporter: --runas nobody: the simulator still feeds BPF" wait_for 10 moved2

# Only gzip asked for: later bodies keep only the gzip form; a plain client
# still gets the same exposition, inflated for it.
U=http://127.0.0.1:$port/metrics
for _ in 1 2 3; do
	curl -sf -H 'Accept-Encoding: gzip' -o /dev/null "$U"
	sleep 0.3
done
curl -sf -H 'Accept-Encoding: gzip' "$U" | gunzip >"$TMP/gz.txt"
curl -sf "$U" >"$TMP/plain.txt"
check "exporter: a plain scrape after gzip-only ones is complete" \
	bash -c "promtool check metrics <'$TMP/plain.txt' >/dev/null 2>&1 && test \$(grep -c '^tdxhp_td_info' '$TMP/plain.txt') -ge 4"
check "exporter: ... and has the series the gzip scrape had" \
	bash -c "diff <(grep -o '^[a-z_]*{[^}]*}' '$TMP/gz.txt' | sort -u) <(grep -o '^[a-z_]*{[^}]*}' '$TMP/plain.txt' | sort -u) >/dev/null"

# The protobuf exposition, as Prometheus with native histograms asks for
# it: decoded by a decoder of its own and checked against the text of the
# same frozen collection.
port3=$(free_port)
start_exporter pb "$port3" --simulate=convert --sim-ticks 500 --collector.min-interval 10m
PB=http://127.0.0.1:$port3/metrics
ACCEPT='application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5,*/*;q=0.1'
curl -sf -H "Accept: $ACCEPT" -D "$TMP/pbh" -o "$TMP/body.pb" "$PB"
curl -sf -o "$TMP/body.txt" "$PB"
check "protobuf: the content type Prometheus asked for" \
	grep -qi '^content-type: application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited' "$TMP/pbh"
check "protobuf: Vary: Accept" grep -qi '^vary: accept, accept-encoding' "$TMP/pbh"
python3 "$(dirname "$0")/pbdecode.py" "$TMP/body.pb" "$TMP/body.txt"
# Now one body holds both formats (the text request asked for the second).
curl -sf -H "Accept: $ACCEPT" -o "$TMP/body2.pb" "$PB"
check "protobuf: gzipped, the same bytes" bash -c \
	"curl -sf -H 'Accept: $ACCEPT' -H 'Accept-Encoding: gzip' '$PB' | gunzip | cmp -s - '$TMP/body2.pb'"
ctype() { curl -sf -o /dev/null -w '%{content_type}' -H "Accept: $1" "$PB"; }
check "negotiation: no Accept header: text" \
	bash -c "curl -sf -o /dev/null -w '%{content_type}' '$PB' | grep -q '^text/plain; version=0.0.4'"
check "negotiation: protobuf without encoding=delimited: text" bash -c \
	"[ \"\$(curl -sf -o /dev/null -w '%{content_type}' -H 'Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily' '$PB')\" = 'text/plain; version=0.0.4; charset=utf-8' ]"
check "negotiation: text ranked above protobuf: text" \
	test "$(ctype 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.3,text/plain;q=0.9')" = 'text/plain; version=0.0.4; charset=utf-8'
check "negotiation: protobuf at q=0: text" \
	test "$(ctype 'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0')" = 'text/plain; version=0.0.4; charset=utf-8'
check "negotiation: quoted parameters and spaces: protobuf" \
	bash -c "[ \"\$(curl -sf -o /dev/null -w '%{content_type}' -H 'Accept: text/plain;q=0.5, application/vnd.google.protobuf; proto=\"io.prometheus.client.MetricFamily\"; encoding=\"delimited\"' '$PB')\" != 'text/plain; version=0.0.4; charset=utf-8' ]"
check "negotiation: the landing page stays HTML" bash -c \
	"curl -sf -H 'Accept: $ACCEPT' -o /dev/null -w '%{content_type}' 'http://127.0.0.1:$port3/' | grep -q '^text/html'"
curl -sf -o "$TMP/after.txt" "$PB"
check "tdxhp_exporter_requests_total counts each format" bash -c \
	"grep -q '^tdxhp_exporter_requests_total{format=\"protobuf\"} [1-9]' '$TMP/after.txt' &&
	 grep -q '^tdxhp_exporter_requests_total{format=\"text\"} [1-9]' '$TMP/after.txt'"

# process_* as client_golang defines them, from /proc/self; with --runas
# nobody too (the $port2 exporter), where /proc/self/fd is still ours.
pm() { curl -sf "$1" | awk -v m="$2" '$1 == m {print $2}'; }
for u in "http://127.0.0.1:$port/metrics" "http://127.0.0.1:$port2/metrics"; do
	who=$([ "$u" = "http://127.0.0.1:$port/metrics" ] && echo root || echo nobody)
	p=$(cat "$TMP/$([ $who = root ] && echo steady || echo runas).pid")
	curl -sf "$u" >"$TMP/self"
	check "process_* ($who): all seven, no tdxhp_process_*" bash -c "
		for m in process_cpu_seconds_total process_open_fds process_max_fds process_virtual_memory_bytes \
			process_virtual_memory_max_bytes process_resident_memory_bytes process_start_time_seconds; do
			grep -q \"^# TYPE \$m \" '$TMP/self' && grep -q \"^\$m \" '$TMP/self' || exit 1; done
		! grep -q '^tdxhp_process_' '$TMP/self'"
	fds=$(awk '$1 == "process_open_fds" {print $2}' "$TMP/self")
	real=$(ls "/proc/$p/fd" | wc -l)
	check "process_open_fds ($who): $fds, /proc says $real" test $((fds - real)) -le 2 -a $((real - fds)) -le 2
	check "process_max_fds ($who) is the soft limit" test "$(awk '$1 == "process_max_fds" {print $2}' "$TMP/self")" = \
		"$(awk '/^Max open files/ {print $4}' "/proc/$p/limits")"
	start=$(awk '$1 == "process_start_time_seconds" {print $2}' "$TMP/self")
	ref=$(python3 -c "import os,sys
hz = os.sysconf('SC_CLK_TCK'); st = open('/proc/%s/stat' % sys.argv[1]).read().rsplit(')', 1)[1].split()
bt = [int(l.split()[1]) for l in open('/proc/stat') if l.startswith('btime')][0]
print(bt + int(st[19]) / hz)" "$p")
	check "process_start_time_seconds ($who): $start = btime + starttime ($ref)" \
		python3 -c "import sys; sys.exit(abs(float(sys.argv[1]) - float(sys.argv[2])) > 0.02)" "$start" "$ref"
	check "process_resident_memory_bytes ($who) is VmRSS" python3 -c "
import sys
rss = float(sys.argv[1]); vm = [int(l.split()[1]) * 1024 for l in open('/proc/%s/status' % sys.argv[2]) if l.startswith('VmRSS')][0]
sys.exit(abs(rss - vm) > 0.2 * vm)" "$(awk '$1 == "process_resident_memory_bytes" {print $2}' "$TMP/self")" "$p"
done
