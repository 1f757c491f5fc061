#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Static checks of dashboards/: promtool on the rules and their unit tests,
# dashboards and rules generated, valid and complete, a runbook for every
# alert at an absolute URL, a description on every panel, annotations.
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
        ok &= url.startswith("https://") and "/docs/alerts.md#" in url
        ok &= ("## " + r["alert"]) in doc and anchor == r["alert"].lower()
sys.exit(0 if ok else 1)
PY

mkdir -p "$TMP/gen" "$TMP/wiki" "$TMP/env"
env -u TDXHP_RUNBOOK_BASE python3 "$D/generate.py" "$TMP/gen"
check "rules: dashboards and rules are up to date with generate.py" \
	bash -c "ls '$TMP'/gen/*.json '$TMP'/gen/tdxhp-rules.yml >/dev/null &&
		for f in '$TMP'/gen/*; do cmp -s \"\$f\" '$D'/\$(basename \"\$f\") || exit 1; done"
python3 "$D/generate.py" --runbook-base https://wiki.example.com/tdxhp/ "$TMP/wiki"
TDXHP_RUNBOOK_BASE='https://wiki.example.com/runbooks#' python3 "$D/generate.py" "$TMP/env"
check "rules: --runbook-base sets every runbook_url" bash -c \
	"for u in \$(python3 -c 'import sys, yaml
print(\" \".join(r[\"annotations\"][\"runbook_url\"] for g in yaml.safe_load(open(sys.argv[1]))[\"groups\"] for r in g[\"rules\"] if \"alert\" in r))' '$TMP/wiki/tdxhp-rules.yml'); do
		case \$u in https://wiki.example.com/tdxhp/tdxhp*) ;; *) exit 1 ;; esac; done"
check "rules: ... and promtool accepts them" bash -c "promtool check rules '$TMP/wiki/tdxhp-rules.yml' >/dev/null"
check "rules: TDXHP_RUNBOOK_BASE too" bash -c \
	"[ \"\$(grep -c 'runbook_url: \"https://wiki.example.com/runbooks#tdxhp' '$TMP/env/tdxhp-rules.yml')\" = \
	   \"\$(grep -c '^      - alert:' '$D/tdxhp-rules.yml')\" ]"
python3 "$D/generate.py" --runbook-base docs/alerts.md# "$TMP/env" 2>"$TMP/rel"
rc=$?
check "rules: a relative runbook base is refused, with one line" bash -c \
	"[ $rc != 0 ] && [ \$(wc -l <'$TMP/rel') = 1 ] && grep -q 'absolute URL' '$TMP/rel'"
check "rules: TdxhpSplitLatencyHigh is about boundary splits, TdxhpDemoteLatencyHigh about demotes" \
	python3 - "$D/tdxhp-rules.yml" <<'PY'
import sys, yaml
a = {r["alert"]: r for g in yaml.safe_load(open(sys.argv[1]))["groups"] for r in g["rules"] if "alert" in r}
s, d = a["TdxhpSplitLatencyHigh"], a["TdxhpDemoteLatencyHigh"]
ok = "boundary split" in s["annotations"]["description"] and "split_duration" in s["expr"]
ok &= "page_demote" in d["annotations"]["description"] and "demote_duration" in d["expr"]
sys.exit(0 if ok else 1)
PY
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
check "rules: dashboards: every panel has a description" \
	python3 - "$D"/tdxhp-*.json <<'PY'
import json, sys
bad = [(f, p["title"]) for f in sys.argv[1:] for p in json.load(open(f))["panels"]
       if p["type"] != "row" and len(p.get("description", "").strip()) < 20]
print("\n".join("    no description: %s: %s" % b for b in bad))
sys.exit(1 if bad else 0)
PY
check "rules: dashboards: annotations for TD created, TD destroyed and exporter restarts" \
	python3 - "$D"/tdxhp-*.json <<'PY'
import json, sys
ok = True
for f in sys.argv[1:]:
    a = {x["name"]: x for x in json.load(open(f))["annotations"]["list"] if "expr" in x}
    ok &= {"TD created", "TD destroyed", "Exporter restarted"} <= set(a)
    ok &= "process_start_time_seconds" in a.get("Exporter restarted", {}).get("expr", "")
sys.exit(0 if ok else 1)
PY
check "rules: panel titles say boundary split, never split alone for a demote" \
	python3 - "$D"/tdxhp-*.json <<'PY'
import json, re, sys
bad = []
for f in sys.argv[1:]:
    for p in json.load(open(f))["panels"]:
        t = p["title"]
        exprs = " ".join(x["expr"] for x in p.get("targets", []))
        if re.search(r"\bsplits?\b", t, re.I) and not re.search(r"boundary split", t, re.I):
            bad.append(t)
        if "demote" in exprs and "split" in t.lower() and "demote" not in t.lower() and "boundary" not in t.lower():
            bad.append(t)
print("\n".join("    " + b for b in bad))
sys.exit(1 if bad else 0)
PY
