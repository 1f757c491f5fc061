#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The exporter's per-TD labels: td is the TD's name as resolved (never
# rewritten), uuid and machine where known, slot where the hkid is not,
# cgroup on tdxhp_td_info; label sets unique.  Then a real Prometheus
# joins them with a libvirt exporter's domain metrics, by uuid and by
# domain name, with the queries docs/exporter.md gives.
. "$(dirname "$0")/lib.sh"
need_bpf "exporter: identity labels"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

"$OUT/tdxhp-hist" --simulate -j >"$TMP/tds.json"
python3 "$ROOT/tests/cli/fake_identity.py" "$TMP/root" <"$TMP/tds.json" >"$TMP/want.json"
want() { python3 -c "import json,sys; print(json.load(open('$TMP/want.json'))[sys.argv[1]][sys.argv[2]])" "$@"; }

port=$(free_port)
TDXHP_ROOT=$TMP/root start_exporter ident "$port" --simulate --sim-ticks 300
check "identity: exporter up" answers "$port"
curl -sf "127.0.0.1:$port/metrics" >"$TMP/m"
check "identity: promtool check metrics says nothing" \
	bash -c "promtool check metrics <'$TMP/m' >'$TMP/lint' 2>&1 && [ ! -s '$TMP/lint' ]"
check "identity: labels as documented, names never rewritten" python3 - "$TMP/m" "$TMP/want.json" <<'PY'
import json, re, sys
want = json.load(open(sys.argv[2]))
series = {}
for line in open(sys.argv[1]):
    m = re.match(r'^(tdxhp_td_\w+)\{(.*)\} \S+$', line)
    if not m:
        continue
    labels = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group(2)))
    key = (m.group(1), tuple(sorted(labels.items())))
    assert key not in series, ("duplicate label set", key)
    series[key] = labels
info = {l["td"]: l for (n, _), l in series.items() if n == "tdxhp_td_info"}
assert sorted(info) == sorted(list(want) + ["sim-web-00"]), sorted(info)
for td, w in want.items():
    l = info[td]
    assert l["uuid"] == w["uuid"], (td, l)
    assert l.get("machine", "") == w["machine"], (td, l)
    # The exposition escapes the cgroup's backslashes.
    assert l["cgroup"].replace("\\\\", "\\") == w["cgroup"], (td, l["cgroup"])
    assert "slot" not in l, l
# The partial TD: no pid, no hkid, so its slot; no identity.
p = info["sim-web-00"]
assert p["hkid"] == "unknown" and "slot" in p and "uuid" not in p, p
assert not any("/slot" in l["td"] for l in series.values())
# Every per-TD series carries the same TD labels as tdxhp_td_info.
tdkeys = {"td", "pid", "hkid", "slot", "uuid", "machine"}
for (name, _), l in series.items():
    mine = {k: v for k, v in l.items() if k in tdkeys}
    ref = {k: v for k, v in info[l["td"]].items() if k in tdkeys}
    assert mine == ref, (name, mine, ref)
    if name != "tdxhp_td_info":
        assert "cgroup" not in l, name
PY
check "identity: no empty label values" bash -c "! grep -q '=\"\"' '$TMP/m'"

# Without a fake tree a simulation exports no identity at all.
port2=$(free_port)
start_exporter plain "$port2" --simulate --sim-ticks 300
curl -sf "127.0.0.1:$port2/metrics" >"$TMP/m2"
check "identity: without TDXHP_ROOT simulated TDs carry no uuid, machine or cgroup" \
	bash -c "grep -q '^tdxhp_td_info{' '$TMP/m2' && ! grep -qE '^tdxhp_td_.*(uuid|machine|cgroup)=' '$TMP/m2'"

if ! command -v prometheus >/dev/null; then
	not_ok "identity: /usr/bin/prometheus is missing (scripts/install-deps.sh)"
	exit 0
fi
# A libvirt exporter as Debian's prometheus-libvirt-exporter (kumina's
# libvirt_exporter) labels domains: domain (the libvirt name) and uuid.
lport=$(free_port)
{
	echo '# TYPE libvirt_domain_info_maximum_memory_bytes gauge'
	for td in sim-db-01 sim-cache-02; do
		echo "libvirt_domain_info_maximum_memory_bytes{domain=\"$td\",uuid=\"$(want $td uuid)\"} 4294967296"
	done
	echo 'libvirt_domain_info_maximum_memory_bytes{domain="not-a-td",uuid="0b4c3a0e-9b0c-4d5f-9a59-1f3cde6e7a21"} 1073741824'
} >"$TMP/libvirt.prom"
python3 - "$lport" "$TMP/libvirt.prom" >"$TMP/libvirt.log" 2>&1 <<'PY' &
import http.server, sys
body = open(sys.argv[2], "rb").read()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
PIDS+=($!)
pport=$(free_port)
P=http://127.0.0.1:$pport
cat >"$TMP/prometheus.yml" <<EOF2
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
scrape_configs:
  - job_name: tdxhp
    static_configs:
      - targets: ["127.0.0.1:$port"]
  - job_name: libvirt
    static_configs:
      - targets: ["127.0.0.1:$lport"]
EOF2
prometheus --config.file="$TMP/prometheus.yml" \
	--storage.tsdb.path="$TMP/tsdb" --web.listen-address="127.0.0.1:$pport" \
	--log.level=warn >"$TMP/prometheus.log" 2>&1 &
PIDS+=($!)
check "identity: prometheus ready" wait_for 30 curl -sf "$P/-/ready"
q() { curl -sf "$P/api/v1/query" --data-urlencode "query=$1"; }
both_up() { q 'count(up == 1) == 2' | grep -q '"result":\[{'; }
check "identity: prometheus scrapes tdxhp and libvirt" wait_for 30 both_up

# The two joins of docs/exporter.md, copied here verbatim.
BY_UUID='tdxhp_td_private_bytes
  / on (uuid) group_left (domain)
libvirt_domain_info_maximum_memory_bytes'
BY_NAME='label_replace(label_replace(tdxhp_td_private_bytes, "domain", "$1", "td", "(.+)"),
    "host", "$1", "instance", "(.+):[0-9]+")
  / on (host, domain) group_left
label_replace(libvirt_domain_info_maximum_memory_bytes, "host", "$1", "instance", "(.+):[0-9]+")'
ENRICH='libvirt_domain_info_maximum_memory_bytes
  * on (uuid) group_left (td, machine)
tdxhp_td_info{uuid!=""}'
check "identity: docs/exporter.md has the three queries verbatim" python3 - "$ROOT/docs/exporter.md" "$BY_UUID" "$BY_NAME" "$ENRICH" <<'PY'
import sys
doc = open(sys.argv[1]).read()
sys.exit(not all(q in doc for q in sys.argv[2:]))
PY
joined() { # joined QUERY: the "td=domain" pairs it returns
	q "$1" | jq -r '.data.result[] | "\(.metric.td // .metric.domain)=\(.metric.domain)"' |
		sort | tr '\n' ' '
}
joins() { [ "$(joined "$1")" = "sim-cache-02=sim-cache-02 sim-db-01=sim-db-01 " ]; }
check "identity: join by uuid: each libvirt TD with its domain" wait_for 20 joins "$BY_UUID"
check "identity: join by domain name (exporters without uuid)" joins "$BY_NAME"
enriched() {
	q "$ENRICH" | jq -e --arg m "$(want sim-db-01 machine)" '[.data.result[] |
		select(.metric.domain == "sim-db-01" and .metric.td == "sim-db-01" and
		       .metric.machine == $m)] | length == 1' >/dev/null
}
check "identity: libvirt's series get td and machine from tdxhp_td_info" enriched
shares() {
	q "$BY_UUID" | jq -e '[.data.result[].value[1] | tonumber | select(. > 0 and . < 1)] |
		length == 2' >/dev/null
}
check "identity: the join's value is the TD's share of its domain's memory" shares
check "identity: no query errors logged" bash -c "! grep -qi 'error' '$TMP/prometheus.log'"
