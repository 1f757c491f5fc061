#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-exporter bad input: bad usage is one plain line on stderr and exit
# 2; a failure after that is one log record of level error and exit 1;
# nothing on stdout.  Every web config key of the exporter toolkit.
. "$(dirname "$0")/lib.sh"

check "exporter: --help names the web flags" \
	bash -c "$X --help | grep -q -- --web.listen-address"
check "exporter: --help names the default port 9067" \
	bash -c "$X --help | grep -q ':9067'"
check "exporter: --usage is one short form, from the same table" bash -c \
	"$X --usage | grep -q '^Usage: tdxhp-exporter \[--web.listen-address ADDR\]\.\.\. \[--web.systemd-socket\]' &&
	 $X --usage | grep -q -- '--log.level debug|info|warn|error'"
bad_input "exporter: unknown flag" 2 "$X" --frobnicate
bad_input "exporter: listen address without port" 2 "$X" --web.listen-address 127.0.0.1
bad_input "exporter: listen address with a bad port" 2 "$X" --web.listen-address 127.0.0.1:99999
bad_input "exporter: listen address not numeric" 2 "$X" --web.listen-address localhost:http
bad_input "exporter: telemetry path without /" 2 "$X" --web.telemetry-path metrics
bad_input "exporter: bad min interval" 2 "$X" --collector.min-interval soon
bad_input "exporter: zero threads" 2 "$X" --web.threads 0
bad_input "exporter: unknown scenario" 2 "$X" --simulate=bogus
bad_input "exporter: unknown runas user" 2 "$X" --runas no-such-user-tdxhp
bad_input "exporter: extra argument" 2 "$X" extra
bad_input "exporter: bad --log.level" 2 "$X" --log.level verbose
check "exporter: ... names the levels" grep -q 'debug|info|warn|error' "$TMP/err"
bad_input "exporter: bad --log.format" 2 "$X" --log.format xml
bad_input "exporter: --sim-ticks without --simulate" 2 "$X" --sim-ticks 10
many=()
for i in $(seq 17); do many+=(--web.listen-address "127.0.0.1:$((20000 + i))"); done
bad_input "exporter: more than 16 listen addresses" 2 "$X" "${many[@]}"
bad_runtime "exporter: missing web config" 1 "$X" --web.config.file "$TMP/none.yml"
bad_runtime "exporter: missing web config, as JSON" 1 "$X" --log.format json \
	--web.config.file "$TMP/none.yml"
check "exporter: ... a JSON record with sorted keys" python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).read())
sys.exit(0 if r["level"] == "error" and "none.yml" in r["msg"] and list(r) == sorted(r) else 1)' "$TMP/err"
bad_runtime "exporter: --web.systemd-socket without a socket" 1 "$X" --web.systemd-socket
check "exporter: ... says LISTEN_FDS is unset" grep -q 'LISTEN_FDS' "$TMP/err"
bad_runtime "exporter: --web.systemd-socket with another process's sockets" 1 \
	env LISTEN_PID=1 LISTEN_FDS=1 "$X" --web.systemd-socket
check "exporter: ... says they are not for this process" grep -q 'not to this one' "$TMP/err"

# Bad web configs: each fails with one error record naming the problem.
web_bad() { # web_bad NAME GREP YAML
	printf '%s\n' "$3" >"$TMP/web.yml"
	bad_runtime "exporter: web config: $1" 1 "$X" --web.config.file "$TMP/web.yml"
	check "exporter: web config: $1: says '$2'" grep -qF -- "$2" "$TMP/err"
}
TLS="tls_server_config: {cert_file: a.crt, key_file: a.key"
web_bad "invalid YAML" "line" "tls_server_config: [oops"
web_bad "unknown top-level key" "unknown key 'tls'" "tls: {}"
web_bad "unknown key in tls_server_config" "tls_server_config: unknown key 'cert_filse'" \
	"tls_server_config: {cert_filse: a.crt}"
web_bad "unknown key in http_server_config" "http_server_config: unknown key 'http3'" \
	"http_server_config: {http3: true}"
web_bad "unknown key in rate_limit" "rate_limit: unknown key 'every'" \
	"rate_limit: {every: 1s}"
web_bad "a key twice" "'cert_file' appears twice" \
	"$TLS, cert_file: b.crt}"
web_bad "missing key_file" "missing one of key or key_file" "tls_server_config: {cert_file: a.crt}"
web_bad "missing cert_file" "missing one of cert or cert_file" "tls_server_config: {key_file: a.key}"
web_bad "bad client_auth_type" "client_auth_type 'Maybe'" "$TLS, client_auth_type: Maybe}"
web_bad "plain password" "not a bcrypt hash" "basic_auth_users: {alice: secret}"
web_bad "missing cert file" "cert_file" \
	"tls_server_config: {cert_file: /nonexistent/a.crt, key_file: /nonexistent/a.key}"
web_bad "CA without policy" "client_auth_type" "$TLS, client_ca_file: c}"
web_bad "unknown cipher" "unknown cipher 'TLS_FOO'" "$TLS, cipher_suites: [TLS_FOO]}"
web_bad "an insecure cipher" "unknown cipher 'TLS_RSA_WITH_RC4_128_SHA'" \
	"$TLS, cipher_suites: [TLS_RSA_WITH_RC4_128_SHA]}"
web_bad "OpenSSL cipher names are not Go's" "unknown cipher 'ECDHE-RSA-AES128-GCM-SHA256'" \
	"$TLS, cipher_suites: [ECDHE-RSA-AES128-GCM-SHA256]}"
web_bad "unknown curve" "unknown curve 'P256'" "$TLS, curve_preferences: [P256]}"
web_bad "unknown TLS version" "min_version 'TLS111'" "$TLS, min_version: TLS111}"
web_bad "min_version above max_version" "min_version TLS13 is above max_version TLS12" \
	"$TLS, min_version: TLS13, max_version: TLS12}"
web_bad "prefer_server_cipher_suites not a boolean" "prefer_server_cipher_suites wants true or false" \
	"$TLS, prefer_server_cipher_suites: maybe}"
web_bad "client_allowed_sans without a client certificate" "client_allowed_sans needs" \
	"$TLS, client_allowed_sans: [prometheus]}"
web_bad "a header that can not be set" "HTTP header 'Server' can not be configured" \
	"http_server_config: {headers: {Server: tdxhp}}"
web_bad "a bad X-Frame-Options" "invalid value for X-Frame-Options" \
	"http_server_config: {headers: {X-Frame-Options: allow}}"
web_bad "a control character in a header" "a control character" \
	'http_server_config: {headers: {Content-Security-Policy: "a\r\nX-Evil: 1"}}'
web_bad "http2 not a boolean" "http2 wants true or false" "http_server_config: {http2: 2}"
web_bad "bad rate_limit interval" "rate_limit: interval" "rate_limit: {interval: soon, burst: 1}"
web_bad "bad rate_limit burst" "rate_limit: burst" "rate_limit: {interval: 1s, burst: -1}"

# An empty web config is valid (plain HTTP, no auth), as in the toolkit; it
# fails later only for BPF, or not at all as root.
: >"$TMP/empty.yml"
"$X" --web.config.file "$TMP/empty.yml" --web.listen-address 127.0.0.1:1 \
	>/dev/null 2>"$TMP/err"
check "exporter: empty web config is accepted" \
	bash -c "! grep -q 'web config' '$TMP/err'"

# The port is taken: one line, exit 1.
port=$(free_port)
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(5)' "$port" &
PIDS+=($!)
wait_for 5 bash -c "ss -ltn | grep -q ':$port '"
bad_runtime "exporter: port in use" 1 "$X" --web.listen-address "127.0.0.1:$port"
