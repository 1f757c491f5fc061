#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# TLS and basic auth from an exporter-toolkit web config: a self-signed
# certificate (openssl) and a bcrypt hash (htpasswd -B).
. "$(dirname "$0")/lib.sh"
need_bpf "exporter: TLS tests"

cd "$TMP" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout server.key -out server.crt \
	>/dev/null 2>&1
check "tls: openssl made a certificate" test -s server.crt
hash=$(htpasswd -nbBC 10 alice 's3cret pass' | cut -d: -f2-)
# Paths relative to the config file, as in the exporter toolkit.
cat >web.yml <<EOF2
tls_server_config:
  cert_file: server.crt
  key_file: server.key
basic_auth_users:
  alice: '$hash'
EOF2
cd - >/dev/null || exit 1

port=$(free_port)
U=https://127.0.0.1:$port
start_exporter tls "$port" --simulate --web.config.file "$TMP/web.yml"
C=(curl -s --cacert "$TMP/server.crt" -m 5)
code() { "${C[@]}" -o "$TMP/body" -w '%{http_code}' "$@"; }

check "tls: right credentials get metrics" \
	bash -c "[ \"\$(${C[*]} -u 'alice:s3cret pass' -o '$TMP/m' -w '%{http_code}' '$U/metrics')\" = 200 ] && grep -q '^tdxhp_simulated' '$TMP/m'"
check "tls: ... twice (cached check)" test "$(code -u 'alice:s3cret pass' "$U/metrics")" = 200
check "tls: wrong password gets 401" test "$(code -u 'alice:wrong' "$U/metrics")" = 401
check "tls: ... and no metrics" bash -c "! grep -q tdxhp_ '$TMP/body'"
check "tls: ... and a basic auth challenge" bash -c \
	"${C[*]} -D - -o /dev/null -u alice:wrong '$U/metrics' | grep -qi '^www-authenticate: basic'"
check "tls: unknown user gets 401" test "$(code -u 'bob:s3cret pass' "$U/metrics")" = 401
check "tls: no credentials get 401" test "$(code "$U/metrics")" = 401
check "tls: the landing page needs auth too" test "$(code "$U/")" = 401
check "tls: certificate verifies against itself" \
	test "$(code -u 'alice:s3cret pass' "$U/")" = 200
check "tls: two scrapes share one connection (one handshake)" test \
	"$("${C[@]}" -u 'alice:s3cret pass' -o /dev/null -o /dev/null -w '%{num_connects} ' "$U/metrics" "$U/metrics")" = "1 0 "
check "tls: plain HTTP to the TLS port fails" \
	bash -c "! curl -sf -m 3 -o /dev/null 'http://127.0.0.1:$port/metrics'"
check "tls: still alive after plain HTTP" \
	test "$(code -u 'alice:s3cret pass' "$U/metrics")" = 200

# min_version TLS13 refuses TLS 1.2 clients.
sed 's/^  key_file: .*/&\n  min_version: TLS13/' "$TMP/web.yml" >"$TMP/web13.yml"
port2=$(free_port)
start_exporter tls13 "$port2" --simulate --web.config.file "$TMP/web13.yml"
check "tls: min_version TLS13 refuses TLS 1.2" bash -c \
	"! ${C[*]} -f --tls-max 1.2 -u 'alice:s3cret pass' -o /dev/null 'https://127.0.0.1:$port2/metrics'"
check "tls: min_version TLS13 serves TLS 1.3" test \
	"$("${C[@]}" -o /dev/null -w '%{http_code}' --tlsv1.3 -u 'alice:s3cret pass' "https://127.0.0.1:$port2/metrics")" = 200

# Client certificates: RequireAndVerifyClientCert with our own CA.
cd "$TMP" || exit 1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=tdxhp-test-ca \
	-keyout ca.key -out ca.crt >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -subj /CN=prometheus -keyout client.key \
	-out client.csr >/dev/null 2>&1
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
	-days 2 -out client.crt >/dev/null 2>&1
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=intruder \
	-keyout bad.key -out bad.crt >/dev/null 2>&1
cat >mtls.yml <<EOF2
tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_ca_file: ca.crt
  client_auth_type: RequireAndVerifyClientCert
EOF2
cd - >/dev/null || exit 1
port3=$(free_port)
start_exporter mtls "$port3" --simulate --web.config.file "$TMP/mtls.yml"
M=https://127.0.0.1:$port3/metrics
check "tls: client cert signed by the CA gets metrics" test \
	"$(code --cert "$TMP/client.crt" --key "$TMP/client.key" "$M")" = 200
check "tls: no client cert is refused" bash -c \
	"[ \"\$(${C[*]} -o /dev/null -w '%{http_code}' '$M')\" != 200 ]"
check "tls: a client cert from another CA is refused" bash -c \
	"[ \"\$(${C[*]} --cert '$TMP/bad.crt' --key '$TMP/bad.key' -o /dev/null -w '%{http_code}' '$M')\" != 200 ]"
