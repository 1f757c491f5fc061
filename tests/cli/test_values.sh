#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# One rule for odd values in every tool (docs/values.md), on one frozen
# picture: after 10 simulated minutes of `steady` the partial TD (it joined
# mid-life, so its pid and hkid are unknown) has unmapped more 2M leaves
# than it mapped since first sight.  Every tool shows that gauge as
# measured (negative), the coverage as unknown, the pid and hkid as "-" in
# text, null in JSON and "unknown" in labels.
. "$(dirname "$0")/../exporter/lib.sh"
if ! can_bpf; then
	echo "skip values: needs root and BPF"
	exit 0
fi
SIM=(--simulate=steady --sim-ticks 60000)

"$OUT/tdxhp-trace" "${SIM[@]}" -s -q >"$TMP/trace.txt" 2>&1
line=$(grep -A1 '^TD .*partial' "$TMP/trace.txt" | tail -n1)
two_m=$(sed -n 's/.* 2M \(-\?[0-9]*\) .*/\1/p' <<<"$line")
check "values: the picture has a partial TD with a negative 2M gauge ($two_m)" \
	test "${two_m:-0}" -lt 0
check "values: trace text: unknown pid and hkid are '-'" \
	grep -Eq '^TD .*  pid -  hkid -  partial' "$TMP/trace.txt"
check "values: trace text: the gauge as measured, coverage '-'" \
	grep -Eq "^  pages 4K [0-9]+ 2M $two_m 1G 0  coverage -$" "$TMP/trace.txt"
"$OUT/tdxhp-trace" "${SIM[@]}" -s -q -j >"$TMP/trace.json" 2>/dev/null
json_check "values: trace JSON: pid and hkid left out of td, the gauge as measured" \
	"$TMP/trace.json" \
	"any('pid' not in t['td'] and 'hkid' not in t['td'] and t['partial'] and t['pages']['2M'] == $two_m and t['coverage'] is None for o in objs if 'tds' in o for t in o['tds'])"

"$OUT/tdxhp-top" "${SIM[@]}" -b -n 1 >"$TMP/top.txt" 2>&1
check "values: top text: '-' pid and hkid, a negative 2M, coverage '-'" \
	grep -Eq '^ ~sim-[a-z]+-[0-9]+ +- +- +[0-9]+ +[^ ]+ +~[0-9.]+[KMGT]?B? +~-[0-9.]+[KMGT]B? +- ' "$TMP/top.txt"
"$OUT/tdxhp-top" "${SIM[@]}" -j -n 1 >"$TMP/top.json" 2>/dev/null
json_check "values: top JSON: pid and hkid left out of td, the 2M bytes as measured, coverage null" \
	"$TMP/top.json" \
	"any('pid' not in t['td'] and 'hkid' not in t['td'] and t['partial'] and t['private_2m_bytes'] == $two_m * 2**21 and t['coverage'] is None for o in objs for t in o['tds'])"

"$OUT/tdxhp-hist" "${SIM[@]}" -j >"$TMP/hist.json" 2>/dev/null
json_check "values: hist JSON: pid and hkid left out of td" "$TMP/hist.json" \
	"any('pid' not in t['td'] and 'hkid' not in t['td'] and t['partial'] for o in objs for t in o.get('tds', []))"

port=$(free_port)
start_exporter values "$port" "${SIM[@]}"
curl -sf "http://127.0.0.1:$port/metrics" >"$TMP/m"
check "values: exporter: unknown pid and hkid are the label 'unknown', the slot keeps it unique" \
	grep -Eq '^tdxhp_td_info\{td="[^"/]*",pid="unknown",hkid="unknown",slot="[0-9]+",partial="true"\} 1$' "$TMP/m"
check "values: exporter: the 2M gauge as measured ($two_m)" \
	grep -Eq "^tdxhp_td_private_pages\\{td=\"[^\"]*\",pid=\"unknown\",hkid=\"unknown\",slot=\"[0-9]+\",level=\"2m\"\\} $two_m\$" "$TMP/m"
check "values: exporter: no coverage sample while it is unknown" \
	bash -c "! grep -q '^tdxhp_td_huge_coverage_ratio{[^}]*pid=\"unknown\"' '$TMP/m'"
check "values: exporter: promtool accepts the negative gauge" \
	bash -c "promtool check metrics <'$TMP/m' >/dev/null 2>&1"
