#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The HTTP/1.1 server: persistent connections and pipelining, strict
# header checks, the head deadline, and eviction when every slot is taken.
. "$(dirname "$0")/lib.sh"
need_bpf "exporter: keep-alive tests"

port=$(free_port)
start_exporter ka "$port" --simulate --sim-ticks 20 \
	--web.read-header-timeout 1s --web.connection-timeout 2 \
	--web.max-connections 8
pid=$(cat "$TMP/ka.pid")
U=http://127.0.0.1:$port

# raw PYTHON-BYTES: send them on one connection, print what comes back.
raw() {
	python3 - "$port" "$1" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(eval(sys.argv[2]))
data = b""
try:
    while True:
        chunk = s.recv(1 << 20)
        if not chunk:
            break
        data += chunk
except socket.timeout:
    pass
sys.stdout.buffer.write(data)
PY
}

check "keepalive: two requests, one connection" test \
	"$(curl -s -o /dev/null -o /dev/null -w '%{num_connects} ' "$U/metrics" "$U/metrics")" = "1 0 "
n=$(raw 'b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 99 + b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"' |
	grep -ac '^HTTP/1.1 200 OK')
check "keepalive: 100 pipelined GETs get 100 answers ($n)" test "$n" = 100
says_close() {
	raw 'b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"' | grep -aqi '^connection: close'
}
check "keepalive: Connection: close is answered with close" says_close
check "keepalive: HTTP/1.0 closes after the answer" bash -c \
	"curl -s -0 -D - -o /dev/null '$U/' | grep -qi '^connection: close'"
n=$(raw 'b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n" * 2 + b"GET / HTTP/1.0\r\n\r\n"' |
	grep -aci '^connection: keep-alive')
check "keepalive: HTTP/1.0 with Connection: keep-alive is kept ($n)" test "$n" = 2
check "keepalive: a small request body is skipped, the next request answered" test \
	"$(raw 'b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"' | grep -aoc '^HTTP/1.1 [0-9]*')" = 2

code() { raw "$1" | head -n1 | cut -d' ' -f2; }
check "strict: NUL in a header value is 400" test \
	"$(code 'b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n"')" = 400
check "strict: a control byte in a header value is 400" test \
	"$(code 'b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n"')" = 400
check "strict: obs-fold is 400" test \
	"$(code 'b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"')" = 400
check "strict: a bare LF is 400" test \
	"$(code 'b"GET /metrics HTTP/1.1\nHost: x\r\n\r\n"')" = 400
check "strict: HTTP/1.1 without Host is 400" test \
	"$(code 'b"GET /metrics HTTP/1.1\r\n\r\n"')" = 400
check "strict: chunked bodies are 501" test \
	"$(code 'b"GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"')" = 501
check "strict: HTTP/2.0 on this port is 505" test \
	"$(code 'b"GET /metrics HTTP/2.0\r\nHost: x\r\n\r\n"')" = 505

# A head that trickles in (a byte every 0.3 s) is cut at the 1 s deadline.
check "deadline: a trickling head is closed after the deadline" python3 - "$port" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
t0 = time.monotonic()
try:
    for b in b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 100:
        s.send(bytes([b]))
        time.sleep(0.3)
        if time.monotonic() - t0 > 10:
            sys.exit(1)
except OSError:
    pass
# Closed: either send failed or recv sees EOF.
s.settimeout(3)
try:
    sys.exit(0 if s.recv(100) == b"" else 1)
except OSError:
    sys.exit(0)
PY
check "deadline: an idle kept-alive connection is closed after 2 s" python3 - "$port" <<'PY'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=6)
s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
s.recv(65536)
t0 = time.monotonic()
while s.recv(65536):
    pass
sys.exit(0 if 1 < time.monotonic() - t0 < 5 else 1)
PY

# Every slot (8) held by idle connections: a new client still gets in.
python3 - "$port" <<'PY' &
import socket, sys, time
held = [socket.create_connection(("127.0.0.1", int(sys.argv[1])),
                                 source_address=("127.0.0.%d" % (2 + i % 4), 0))
        for i in range(12)]
time.sleep(4)
PY
holder=$!
PIDS+=("$holder")
sleep 0.5
check "eviction: a scrape gets in while idle connections fill every slot" \
	curl -sf -m 3 -o /dev/null "$U/metrics"
wait "$holder"
check "keepalive: still alive" kill -0 "$pid"
