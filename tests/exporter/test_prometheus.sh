#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Real Prometheus servers (Debian's) scrape simulated exporters every
# second with the recording and alerting rules loaded: one as shipped
# (text exposition, classic histograms), one with
# --enable-feature=native-histograms (protobuf exposition, native
# histograms).  On both, every dashboard query, template variable,
# annotation and recording rule must return data.  A frozen exporter
# scraped by both compares histogram_quantile over the native and the
# classic series, and counts the series per TD.
. "$(dirname "$0")/lib.sh"
need_bpf "exporter: Prometheus tests"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if ! command -v prometheus >/dev/null; then
	not_ok "prometheus: /usr/bin/prometheus is missing (scripts/install-deps.sh)"
	exit 0
fi
echo "# $(prometheus --version 2>&1 | head -n1)"

targets=()
for sc in steady convert storm churn; do
	port=$(free_port)
	extra=()
	# One exporter counts BPF runs so the BPF time panel has data.
	[ "$sc" = storm ] && extra=(--collector.bpf-stats)
	start_exporter "$sc" "$port" --simulate="$sc" --sim-speed 5 "${extra[@]}"
	check "prometheus: exporter $sc is up" answers "$port"
	targets+=("\"127.0.0.1:$port\"")
	eval "port_$sc=$port"
done
# A frozen picture: both servers see exactly the same histograms.
fport=$(free_port)
start_exporter frozen "$fport" --simulate=convert --sim-tds 6 --sim-ticks 6000
check "prometheus: the frozen exporter is up" answers "$fport"

# prom NAME EXTRA-FLAGS...: a server scraping every exporter; URL in $P_NAME.
prom() {
	local name=$1 pport
	shift
	pport=$(free_port)
	cat >"$TMP/$name.yml" <<EOF2
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
  - job_name: tdxhp-frozen
    static_configs:
      - targets: ["127.0.0.1:$fport"]
EOF2
	prometheus --config.file="$TMP/$name.yml" --storage.tsdb.path="$TMP/tsdb-$name" \
		--web.listen-address="127.0.0.1:$pport" --log.level=warn "$@" \
		>"$TMP/prometheus-$name.log" 2>&1 &
	PIDS+=($!)
	eval "P_$name=http://127.0.0.1:$pport"
	check "prometheus ($name): ready" wait_for 30 curl -sf "http://127.0.0.1:$pport/-/ready"
}
prom classic
prom native --enable-feature=native-histograms
P=$P_classic
N=$P_native

q() { curl -sf "$1/api/v1/query" --data-urlencode "query=$2"; }
val() { q "$1" "$2" | jq -r '.data.result[0].value[1] // empty'; }
all_up() { q "$1" 'count(up{job=~"tdxhp.*"} == 1) == 5' | grep -q '"result":\[{'; }
for s in "$P" "$N"; do
	name=$([ "$s" = "$P" ] && echo classic || echo native)
	check "prometheus ($name): all five exporters up" wait_for 30 all_up "$s"
	check "prometheus ($name): rules loaded without errors" bash -c \
		"curl -sf '$s/api/v1/rules' | jq -e '[.data.groups[].rules[] | select(.health == \"err\")] | length == 0' >/dev/null"
done
check "prometheus: four simulated exporters and the frozen one" \
	test "$(val "$P" 'sum(tdxhp_simulated)')" = 5

# The native server negotiated protobuf; the shipped one text.
check "prometheus (native): scrapes the protobuf exposition" \
	wait_for 10 bash -c "[ \"\$(curl -sf '$N/api/v1/query' --data-urlencode 'query=sum(tdxhp_exporter_requests_total{job=\"tdxhp-frozen\",format=\"protobuf\"})' | jq -r '.data.result[0].value[1]')\" -gt 0 ]"
check "prometheus (native): ingests native histograms, no classic buckets" bash -c "
	curl -sf '$N/api/v1/query' --data-urlencode 'query=tdxhp_op_duration_seconds{job=\"tdxhp-frozen\",op=\"demote\"}' |
		jq -e '.data.result[0].histogram != null' >/dev/null &&
	[ \"\$(curl -sf '$N/api/v1/query' --data-urlencode 'query=count(tdxhp_op_duration_seconds_bucket{job=\"tdxhp-frozen\"})' | jq '.data.result | length')\" = 0 ]"
check "prometheus (classic): classic buckets from the text exposition" \
	test "$(val "$P" 'count(tdxhp_op_duration_seconds_bucket{job="tdxhp-frozen",op="demote"})')" = 23

# An exporter restart, for the restart annotation: same port, new process.
kill "$(cat "$TMP/steady.pid")"
wait_for 10 bash -c "! curl -s -o /dev/null 127.0.0.1:$port_steady"
start_exporter steady "$port_steady" --simulate=steady --sim-speed 5
check "prometheus: the steady exporter restarted on its port" answers "$port_steady"

for s in classic native; do
	eval "url=\$P_$s"
	python3 "$(dirname "$0")/promcheck.py" "$s" "$url" "$ROOT/dashboards/tdxhp-rules.yml" 60 \
		"$ROOT"/dashboards/tdxhp-*.json
done

# Native against classic on the frozen picture: for every op and every TD,
# p50, p90 and p99 are finite and within one classic bucket of each other.
python3 - "$P" "$N" "$TMP/compare.txt" <<'PY'
import json, math, sys, urllib.parse, urllib.request
classic, native, out = sys.argv[1], sys.argv[2], sys.argv[3]

def query(url, expr):
    u = url + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(u, timeout=5) as r:
        return json.load(r)["data"]["result"]

def by_key(res, key):
    return {tuple(r["metric"].get(k, "") for k in key): float(r["value"][1]) for r in res}

def bucket(v, les):
    """Index of the classic bucket (le bounds) that holds v."""
    return next((i for i, le in enumerate(les) if v <= le * (1 + 1e-9)), len(les))

lines, bad, checked = [], [], 0
for metric, key, sel in (("tdxhp_op_duration_seconds", ("op",), ""),
                         ("tdxhp_td_split_duration_seconds", ("td",), ""),
                         ("tdxhp_td_demote_duration_seconds", ("td",), "")):
    job = 'job="tdxhp-frozen"'
    counts = by_key(query(classic, "%s_count{%s}" % (metric, job)), key)
    les = sorted({float(r["metric"]["le"]) for r in query(classic, "%s_bucket{%s}" % (metric, job))
                  if r["metric"]["le"] != "+Inf"})
    for qq in (0.5, 0.9, 0.99):
        c = by_key(query(classic, "histogram_quantile(%s, %s_bucket{%s})" % (qq, metric, job)), key)
        n = by_key(query(native, "histogram_quantile(%s, %s{%s})" % (qq, metric, job)), key)
        for k, cnt in counts.items():
            if not cnt:
                continue
            checked += 1
            cv, nv = c.get(k, float("nan")), n.get(k, float("nan"))
            ok = math.isfinite(nv) and math.isfinite(cv) and \
                abs(bucket(nv, les) - bucket(cv, les)) <= 1
            lines.append("%s %s p%g: classic %.9g s, native %.9g s (native/classic %.3f)%s"
                         % (metric, "/".join(k), qq * 100, cv, nv,
                            nv / cv if cv else float("nan"), "" if ok else "  <-- apart"))
            if not ok:
                bad.append(lines[-1])
open(out, "w").write("\n".join(lines) + "\n")
print(("ok" if checked and not bad else "not ok") +
      " prometheus: native and classic histogram_quantile agree within one bucket (%d quantiles of ops and TDs)" % checked)
for b in bad[:5]:
    print("    " + b)
PY
sed 's/^/# /' "$TMP/compare.txt" | grep -E 'op_duration_seconds (split|demote) p99|td_split.* p99' | head -n 6

# Series per TD, with and without native histograms.
per_td() { val "$1" 'count({job="tdxhp-frozen",td!=""}) / count(tdxhp_td_info{job="tdxhp-frozen"})'; }
c=$(per_td "$P")
n=$(per_td "$N")
check "prometheus: series per TD: $c classic, $n with native histograms" \
	bash -c "[ '$c' = 57 ] && [ '$n' = 31 ]"
h=$(val "$P" 'count({job="tdxhp-frozen",td=""})')
hn=$(val "$N" 'count({job="tdxhp-frozen",td=""})')
echo "# host-wide series of one exporter: $h classic, $hn native"

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
for s in classic native; do
	check "prometheus ($s): no scrape errors logged" \
		bash -c "! grep -qi 'error' '$TMP/prometheus-$s.log'"
done
