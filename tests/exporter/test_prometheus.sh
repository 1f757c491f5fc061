#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# A real Prometheus (Debian's) scrapes three simulated exporters every
# second with the recording and alerting rules loaded; every dashboard
# query, template variable and recording rule must return data.
. "$(dirname "$0")/lib.sh"
need_bpf "exporter: Prometheus tests"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v prometheus >/dev/null; then
	not_ok "prometheus: /usr/bin/prometheus is missing (scripts/install-deps.sh)"
	exit 0
fi

targets=()
for sc in steady convert storm; do
	port=$(free_port)
	extra=()
	# One exporter counts BPF runs so the BPF time panel has data.
	[ "$sc" = storm ] && extra=(--collector.bpf-stats)
	start_exporter "$sc" "$port" --simulate="$sc" --sim-speed 5 "${extra[@]}"
	check "prometheus: exporter $sc is up" answers "$port"
	targets+=("\"127.0.0.1:$port\"")
done

pport=$(free_port)
P=http://127.0.0.1:$pport
cat >"$TMP/prometheus.yml" <<EOF2
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
rule_files:
  - $ROOT/dashboards/tdxhp-rules.yml
scrape_configs:
  - job_name: tdxhp
    static_configs:
      - targets: [$(IFS=,; echo "${targets[*]}")]
EOF2
prometheus --config.file="$TMP/prometheus.yml" \
	--storage.tsdb.path="$TMP/tsdb" --web.listen-address="127.0.0.1:$pport" \
	--log.level=warn >"$TMP/prometheus.log" 2>&1 &
PIDS+=($!)
check "prometheus: ready" wait_for 30 curl -sf "$P/-/ready"

q() { curl -sf "$P/api/v1/query" --data-urlencode "query=$1"; }
all_up() { q 'count(up{job="tdxhp"} == 1) == 3' | grep -q '"result":\[{'; }
check "prometheus: all three exporters up" wait_for 30 all_up
check "prometheus: rules loaded without errors" bash -c \
	"curl -sf '$P/api/v1/rules' | jq -e '[.data.groups[].rules[] | select(.health == \"err\")] | length == 0 and (. as \$x | true)' >/dev/null"
check "prometheus: three simulated exporters" bash -c \
	"q() { curl -sf '$P/api/v1/query' --data-urlencode \"query=\$1\"; }; q 'sum(tdxhp_simulated)' | jq -e '.data.result[0].value[1] == \"3\"' >/dev/null"

python3 "$(dirname "$0")/promcheck.py" "$P" "$ROOT/dashboards/tdxhp-rules.yml" 60 \
	"$ROOT"/dashboards/tdxhp-*.json

# The storm exporter makes the storm alert pending (or firing), marked
# simulated, and only for the storm exporter.
storm_alert() {
	curl -sf "$P/api/v1/alerts" | jq -e '[.data.alerts[] |
		select(.labels.alertname == "TdxhpEptViolationStorm")] |
		length > 0 and all(.labels.simulated == "true")' >/dev/null
}
check "prometheus: storm alert pending for the storm exporter, simulated=true" \
	wait_for 30 storm_alert
# Federation: a global Prometheus pulls the same series unchanged.
curl -sf -G "$P/federate" --data-urlencode 'match[]={__name__=~"tdxhp_td_info|tdxhp_td_private_bytes|[a-z]+:tdxhp_.*"}' \
	>"$TMP/federate.txt"
check "prometheus: /federate returns the exporter's series" \
	bash -c "grep -q '^tdxhp_td_info{' '$TMP/federate.txt' && grep -q '^tdxhp_td_private_bytes{' '$TMP/federate.txt'"
check "prometheus: ... with their own labels unchanged, plus job and instance" \
	bash -c "grep '^tdxhp_td_info{' '$TMP/federate.txt' | head -n1 | grep -q 'td=\"' &&
		grep '^tdxhp_td_info{' '$TMP/federate.txt' | head -n1 | grep -q 'hkid=\"' &&
		grep '^tdxhp_td_info{' '$TMP/federate.txt' | head -n1 | grep -q 'instance=\"'"
check "prometheus: ... and the fleet roll-ups of the recording rules" \
	grep -qE '^(instance|job):tdxhp_' "$TMP/federate.txt"
check "prometheus: no scrape errors logged" \
	bash -c "! grep -qi 'error' '$TMP/prometheus.log'"
