#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Fuzz the exporter's request, Basic auth and web config parsers for
# SECONDS, from a few valid seeds.  Prints "ok"/"not ok" for run-all.sh.
set -u
OUT=${1:-build}
SECONDS_TO_RUN=${2:-20}
BIN=$OUT/fuzz/fuzz_http
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/corpus" "$WORK/crashes"

# The first byte picks the parser: 0 request, 1 Basic auth, 2 web config.
printf '\0GET /metrics?x=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Basic YWxpY2U6cHc=\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\nGET / HTTP/1.0\r\n\r\n' \
	>"$WORK/corpus/request"
printf '\0HEAD / HTTP/1.0\r\nConnection: close\r\n\r\n' >"$WORK/corpus/head"
printf '\0GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8,text/plain;version=0.0.4;q=0.5,*/*;q=0.1\r\n\r\n' \
	>"$WORK/corpus/accept"
printf '\1Basic YWxpY2U6czNjcmV0IHBhc3M=' >"$WORK/corpus/auth"
printf '\2tls_server_config:\n  cert_file: s.crt\n  key_file: s.key\n  client_ca_file: ca.crt\n  client_auth_type: RequireAndVerifyClientCert\n  min_version: TLS13\nbasic_auth_users:\n  alice: $2y$10$lLATui6PASjEjHHTFIKw/OjL5BaotkgZcgZOl5K6xuel0Hpq9JMFW\n' \
	>"$WORK/corpus/config"
printf '\2tls_server_config:\n  cert: "x"\n  key: "y"\n  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256]\n  curve_preferences: [X25519, CurveP256]\n  prefer_server_cipher_suites: false\n  max_version: TLS12\n  client_auth_type: RequireAnyClientCert\n  client_allowed_sans: [a, 10.0.0.1]\nhttp_server_config:\n  http2: true\n  headers:\n    X-Frame-Options: deny\n    Content-Security-Policy: "default-src self"\nrate_limit:\n  interval: 1m30.5s\n  burst: 20\n' \
	>"$WORK/corpus/config2"

"$BIN" -max_total_time="$SECONDS_TO_RUN" -max_len=8192 -timeout=10 \
	-artifact_prefix="$WORK/crashes/" "$WORK/corpus" >"$WORK/log" 2>&1
rc=$?
runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$WORK/log" | awk '{print $2}')
[ -n "$runs" ] || runs=$(grep -oE 'Done [0-9]+ runs' "$WORK/log" | awk '{print $2}')
if [ "$rc" = 0 ] && [ -z "$(ls -A "$WORK/crashes")" ]; then
	echo "ok fuzz: exporter request, auth and web config parsers survived ${runs:-?} inputs in ${SECONDS_TO_RUN}s"
else
	echo "not ok fuzz: exporter parsers (rc=$rc)"
	tail -n 40 "$WORK/log"
	for c in "$WORK"/crashes/*; do
		[ -f "$c" ] && echo "# crash input: $(od -A x -t x1z -N 128 "$c" | head -n 8)"
	done
fi
