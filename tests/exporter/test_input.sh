#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-exporter bad input: one line on stderr, nothing on stdout, non-zero.
. "$(dirname "$0")/lib.sh"

check "exporter: --help names the web flags" \
	bash -c "$X --help | grep -q -- --web.listen-address"
check "exporter: --help names the default port 9067" \
	bash -c "$X --help | grep -q ':9067'"
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
bad_input "exporter: missing web config" 1 "$X" --web.config.file "$TMP/none.yml"

# Bad web configs: each fails with one line naming the problem.
web_bad() { # web_bad NAME GREP YAML
	printf '%s\n' "$3" >"$TMP/web.yml"
	bad_input "exporter: web config: $1" 1 "$X" --web.config.file "$TMP/web.yml"
	check "exporter: web config: $1: says '$2'" grep -q -- "$2" "$TMP/err"
}
web_bad "invalid YAML" "line" "tls_server_config: [oops"
web_bad "unknown key" "'tls' is not supported" "tls: {}"
web_bad "missing key_file" "missing key_file" "tls_server_config: {cert_file: a.crt}"
web_bad "bad client_auth_type" "client_auth_type 'Maybe'" \
	"tls_server_config: {cert_file: a, key_file: b, client_auth_type: Maybe}"
web_bad "plain password" "not a bcrypt hash" "basic_auth_users: {alice: secret}"
web_bad "missing cert file" "cert_file" \
	"tls_server_config: {cert_file: /nonexistent/a.crt, key_file: /nonexistent/a.key}"
web_bad "CA without policy" "client_auth_type" \
	"tls_server_config: {cert_file: a, key_file: b, client_ca_file: c}"

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
bad_input "exporter: port in use" 1 "$X" --web.listen-address "127.0.0.1:$port"
