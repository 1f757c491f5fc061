#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Static checks of dashboards/: promtool on the rules and their unit tests,
# dashboards generated, valid and complete, a runbook for every alert.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
D=$ROOT/dashboards

check "rules: promtool check rules" \
	bash -c "promtool check rules '$D/tdxhp-rules.yml' >/dev/null"
(cd "$D/tests" && promtool test rules tdxhp-rules.test.yml) >"$TMP/unit" 2>&1
check "rules: promtool test rules (every alert firing and not)" grep -q SUCCESS "$TMP/unit"
check "rules: every alert has a unit test, firing and not firing" python3 - "$D" <<'PY'
import sys, yaml
d = sys.argv[1]
alerts = {r["alert"] for g in yaml.safe_load(open(d + "/tdxhp-rules.yml"))["groups"]
          for r in g["rules"] if "alert" in r}
fire, quiet = set(), set()
for t in yaml.safe_load(open(d + "/tests/tdxhp-rules.test.yml"))["tests"]:
    for a in t.get("alert_rule_test", []):
        (fire if a.get("exp_alerts") else quiet).add(a["alertname"])
sys.exit(0 if alerts and alerts <= fire and alerts <= quiet else 1)
PY
check "rules: every alert has summary, description and a runbook in docs/alerts.md" \
	python3 - "$D" "$ROOT/docs/alerts.md" <<'PY'
import sys, yaml
rules = yaml.safe_load(open(sys.argv[1] + "/tdxhp-rules.yml"))
doc = open(sys.argv[2]).read()
ok = True
for g in rules["groups"]:
    for r in g["rules"]:
        if "alert" not in r:
            continue
        a = r.get("annotations", {})
        url = a.get("runbook_url", "")
        anchor = url.split("#")[-1]
        ok &= bool(a.get("summary")) and bool(a.get("description"))
        ok &= url.startswith("docs/alerts.md#") and ("## " + r["alert"]) in doc
        ok &= anchor == r["alert"].lower()
sys.exit(0 if ok else 1)
PY

mkdir -p "$TMP/gen"
python3 "$D/generate.py" "$TMP/gen"
check "rules: dashboards are up to date with generate.py" \
	bash -c "for f in '$TMP'/gen/*.json; do cmp -s \"\$f\" '$D'/\$(basename \"\$f\") || exit 1; done"
check "rules: dashboards: valid JSON, stable distinct uids, every panel queries Prometheus" \
	python3 - "$D"/tdxhp-*.json <<'PY'
import json, sys
uids = set(); ok = True
for f in sys.argv[1:]:
    b = json.load(open(f))
    uids.add(b["uid"])
    names = {v["name"] for v in b["templating"]["list"]}
    ok &= {"datasource", "job", "instance", "td"} <= names
    for p in b["panels"]:
        if p["type"] == "row":
            continue
        ok &= bool(p.get("targets")) and all(t.get("expr") for t in p["targets"])
        ok &= p["datasource"]["uid"] == "${datasource}"
sys.exit(0 if ok and len(uids) == len(sys.argv) - 1 else 1)
PY
