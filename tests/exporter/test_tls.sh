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

# A client certificate with SANs, for client_allowed_sans.
cd "$TMP" || exit 1
openssl req -newkey rsa:2048 -nodes -subj /CN=scraper -keyout san.key \
	-out san.csr >/dev/null 2>&1
printf 'subjectAltName=DNS:prometheus.example,IP:10.0.0.7\n' >san.ext
openssl x509 -req -in san.csr -CA ca.crt -CAkey ca.key -CAcreateserial \
	-days 2 -extfile san.ext -out san.crt >/dev/null 2>&1
cd - >/dev/null || exit 1

# web CONFIG-BODY: write $TMP/NAME.yml with the server certificate, start
# an exporter on it; its URL in $U.
web() { # web NAME YAML-LINES
	local name=$1 port
	printf '%s\n' "$2" >"$TMP/$name.yml"
	port=$(free_port)
	start_exporter "$name" "$port" --simulate --sim-ticks 10 \
		--web.config.file "$TMP/$name.yml"
	U=https://127.0.0.1:$port
	HP=127.0.0.1:$port
}
status() { "${C[@]}" -o /dev/null -w '%{http_code}' "$@"; }
# ossl HOST:PORT ARGS...: the cipher openssl s_client negotiated, or "none".
ossl() {
	local hp=$1
	shift
	openssl s_client -connect "$hp" -CAfile "$TMP/server.crt" "$@" \
		</dev/null 2>/dev/null | sed -n 's/^New, [^,]*, Cipher is \(.*\)/\1/p' |
		grep -v '(NONE)' | head -n1 | grep . || echo none
}

# The exporter-toolkit's documented web config, every field, as a
# node_exporter web.yml: it works unchanged.
web toolkit "tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: VerifyClientCertIfGiven
  client_ca_file: ca.crt
  min_version: TLS12
  max_version: TLS13
  cipher_suites:
    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    - TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
  prefer_server_cipher_suites: true
  curve_preferences:
    - X25519
    - CurveP256
http_server_config:
  http2: true
  headers:
    Content-Security-Policy: \"default-src 'self'\"
    X-Frame-Options: deny
    X-Content-Type-Options: nosniff
    X-XSS-Protection: 1; mode=block
    Strict-Transport-Security: max-age=31536000; includeSubDomains
basic_auth_users:
  alice: '$hash'
rate_limit:
  interval: 100ms
  burst: 50"
check "web config: the toolkit's documented fields all load and serve" \
	test "$(status -u 'alice:s3cret pass' "$U/metrics")" = 200
"${C[@]}" -u 'alice:s3cret pass' -D "$TMP/h" -o /dev/null "$U/metrics"
check "web config: every header of http_server_config is sent" bash -c "
	grep -qi '^Content-Security-Policy: default-src .self.' '$TMP/h' &&
	grep -qi '^X-Frame-Options: deny' '$TMP/h' &&
	grep -qi '^X-Content-Type-Options: nosniff' '$TMP/h' &&
	grep -qi '^X-XSS-Protection: 1; mode=block' '$TMP/h' &&
	grep -qi '^Strict-Transport-Security: max-age=31536000; includeSubDomains' '$TMP/h'"
"${C[@]}" -D "$TMP/h401" -o /dev/null "$U/metrics"
check "web config: ... on a 401 too" grep -qi '^X-Frame-Options: deny' "$TMP/h401"
check "web config: http2: true is accepted and logged as not supported" \
	grep -q 'level=warn msg="http_server_config: http2 is not supported' "$TMP/toolkit.err"
check "web config: curl over HTTP/2 falls back to HTTP/1.1" bash -c \
	"[ \"\$(${C[*]} --http2 -u 'alice:s3cret pass' -o /dev/null -w '%{http_version}' '$U/metrics')\" = 1.1 ]"

# cipher_suites: exactly the listed suites below TLS 1.3, none of their
# mixtures, in the server's order unless prefer_server_cipher_suites is off.
SUITES="tls_server_config:
  cert_file: server.crt
  key_file: server.key
  max_version: TLS12
  cipher_suites:
    - TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256
    - TLS_RSA_WITH_AES_256_GCM_SHA384
    - TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"
web suites "$SUITES"
check "cipher_suites: a listed suite is negotiated" \
	test "$(ossl "$HP" -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256)" = ECDHE-RSA-AES128-GCM-SHA256
check "cipher_suites: a suite not listed is refused" \
	test "$(ossl "$HP" -tls1_2 -cipher ECDHE-RSA-AES128-SHA)" = none
check "cipher_suites: a mixture of two listed ones (ECDHE-RSA + AES-256-GCM) is refused" \
	test "$(ossl "$HP" -tls1_2 -cipher ECDHE-RSA-AES256-GCM-SHA384)" = none
check "cipher_suites: RSA key exchange with AES-256-GCM, listed, is served" \
	test "$(ossl "$HP" -tls1_2 -cipher AES256-GCM-SHA384)" = AES256-GCM-SHA384
check "cipher_suites: the server's order wins by default" \
	test "$(ossl "$HP" -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256)" = ECDHE-RSA-AES128-GCM-SHA256
check "cipher_suites: max_version TLS12 refuses a TLS 1.3 client" \
	test "$(ossl "$HP" -tls1_3)" = none
web suites_client "$SUITES
  prefer_server_cipher_suites: false"
check "cipher_suites: prefer_server_cipher_suites: false takes the client's order" \
	test "$(ossl "$HP" -tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256)" = ECDHE-RSA-CHACHA20-POLY1305
web suites13 "tls_server_config:
  cert_file: server.crt
  key_file: server.key
  cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]"
check "cipher_suites: TLS 1.3 is not restricted by them (as in Go)" \
	test "$(ossl "$HP" -tls1_3)" = TLS_AES_256_GCM_SHA384

# curve_preferences: only the listed groups.
web curves "tls_server_config:
  cert_file: server.crt
  key_file: server.key
  curve_preferences: [CurveP384]"
check "curve_preferences: a listed curve is used" \
	test "$(ossl "$HP" -tls1_3 -groups P-384)" != none
check "curve_preferences: another curve is refused" \
	test "$(ossl "$HP" -tls1_3 -groups X25519)" = none

# client_auth_type: each of the five policies.
GOOD=(--cert "$TMP/client.crt" --key "$TMP/client.key")
BAD=(--cert "$TMP/bad.crt" --key "$TMP/bad.key")
auth_case() { # auth_case POLICY CA? NONE-WANT BAD-WANT GOOD-WANT
	local ca=
	[ "$2" = ca ] && ca="
  client_ca_file: ca.crt"
	web "auth_$1" "tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: $1$ca"
	check "client_auth_type $1: no certificate: $3" test "$(status "$U/metrics")" = "$3"
	check "client_auth_type $1: an unknown certificate: $4" \
		test "$(status "${BAD[@]}" "$U/metrics")" = "$4"
	check "client_auth_type $1: a certificate of the CA: $5" \
		test "$(status "${GOOD[@]}" "$U/metrics")" = "$5"
}
auth_case NoClientCert - 200 200 200
auth_case RequestClientCert ca 200 200 200
auth_case RequireAnyClientCert - 000 200 200
auth_case RequireClientCert - 000 200 200
auth_case VerifyClientCertIfGiven ca 200 403 200
auth_case RequireAndVerifyClientCert ca 000 403 200

# client_allowed_sans: a verified certificate must also carry one of them.
web sans "tls_server_config:
  cert_file: server.crt
  key_file: server.key
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: ca.crt
  client_allowed_sans: [prometheus.example, 10.0.0.99]"
check "client_allowed_sans: a certificate with an allowed DNS SAN gets in" \
	test "$(status --cert "$TMP/san.crt" --key "$TMP/san.key" "$U/metrics")" = 200
check "client_allowed_sans: one of the CA without an allowed SAN is refused" \
	test "$(status "${GOOD[@]}" "$U/metrics")" = 403

# Inline PEM (cert, key, client_ca) instead of files.
indent() { sed 's/^/    /' "$1"; }
web inline "tls_server_config:
  cert: |
$(indent "$TMP/server.crt")
  key: |
$(indent "$TMP/server.key")
  client_ca: |
$(indent "$TMP/ca.crt")
  client_auth_type: RequireAndVerifyClientCert"
check "inline cert, key and client_ca work as the files" \
	test "$(status "${GOOD[@]}" "$U/metrics")" = 200

# rate_limit: a bucket of burst requests, one more per interval, else 429.
web rate "rate_limit:
  interval: 10s
  burst: 3"
U=${U/https:/http:}
# start_exporter's readiness probe took the first token.
codes=$(for _ in 1 2 3 4 5; do curl -s -o /dev/null -w '%{http_code} ' "$U/metrics"; done)
check "rate_limit: burst 3 (one taken by the readiness probe), then 429 ($codes)" \
	test "$codes" = "200 200 429 429 429 "
