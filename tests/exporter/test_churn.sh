#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# TD churn: a torn-down TD's series vanish from the next scrape, host-wide
# counters keep growing (retired TDs included).
. "$(dirname "$0")/lib.sh"
need_bpf "exporter: churn tests"

port=$(free_port)
U=http://127.0.0.1:$port/metrics
start_exporter churn "$port" --simulate=churn --collector.min-interval 100ms
curl -sf "$U" >"$TMP/a"
tds() { sed -n 's/^tdxhp_td_info{td="\([^"]*\)".*/\1/p' "$1" | sort; }
tds "$TMP/a" >"$TMP/a.tds"
check "churn: TDs at the start" test -s "$TMP/a.tds"

# Poll until a TD of the first scrape is gone (TDs live 1 to 6 s).
gone() {
	curl -sf "$U" >"$TMP/b" || return 1
	tds "$TMP/b" >"$TMP/b.tds"
	[ -n "$(comm -23 "$TMP/a.tds" "$TMP/b.tds")" ]
}
check "churn: a torn-down TD leaves tdxhp_td_info" wait_for 20 gone
victim=$(comm -23 "$TMP/a.tds" "$TMP/b.tds" | head -n1)
check "churn: ... and every other tdxhp_td_ series ($victim)" \
	bash -c "! grep -q 'td=\"$victim\"' '$TMP/b'"
check "churn: tdxhp_tds matches the tdxhp_td_info series" \
	test "$(awk '/^tdxhp_tds / {print $2}' "$TMP/b")" = "$(grep -c '^tdxhp_td_info{' "$TMP/b")"
check "churn: teardowns were seen" \
	bash -c "[ \"\$(awk -F'} ' '/^tdxhp_events_total\\{event=\"td_teardown\"/ {print \$2}' '$TMP/b')\" -gt 0 ]"
check "churn: host-wide counters never go down" python3 - "$TMP/a" "$TMP/b" <<'PY'
import re, sys
def host(f):
    return {m[1]: float(m[2]) for l in open(f)
            if (m := re.match(r'(tdxhp_(?:host_\w+_total|op_duration_seconds_(?:count|sum|bucket))\S*) (\S+)$', l))}
a, b = host(sys.argv[1]), host(sys.argv[2])
sys.exit(0 if a and all(b.get(k, -1) >= v for k, v in a.items()) else 1)
PY
check "churn: promtool check metrics says nothing" \
	bash -c "promtool check metrics <'$TMP/b' >'$TMP/lint' 2>&1 && [ ! -s '$TMP/lint' ]"
