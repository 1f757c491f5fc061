#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Ask a running Prometheus whether every dashboard query, template
variable, annotation and recording rule returns data.  Prints ok / not ok
lines, each named after the server (its NAME).

usage: promcheck.py NAME PROM_URL RULES_YML DEADLINE_SECONDS DASHBOARD.json...
"""
import json
import re
import sys
import time
import urllib.parse
import urllib.request

import yaml

name_, prom, rules_file, deadline = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
dashboards = sys.argv[5:]
end = time.time() + deadline

# Grafana variables: every template variable matches everything.
SUBST = {
    "$__rate_interval": "10s", "$__interval": "2s", "$__range": "30s",
    "$job": ".+", "$instance": ".+", "$td": ".+", "${datasource}": "",
}


def api(path, **params):
    url = prom + path + "?" + urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(url, timeout=5) as r:
        return json.load(r)


def subst(expr):
    for k in sorted(SUBST, key=len, reverse=True):
        expr = expr.replace(k, SUBST[k])
    return expr


def query_has_data(expr):
    d = api("/api/v1/query", query=expr)
    return d["status"] == "success" and len(d["data"]["result"]) > 0


def range_has_data(expr):
    """Grafana runs annotation queries over the dashboard's time range."""
    now = time.time()
    d = api("/api/v1/query_range", query=expr, start=now - 600, end=now,
            step="1s")
    return d["status"] == "success" and len(d["data"]["result"]) > 0


def poll(fn):
    """True as soon as fn() is, false at the deadline."""
    while True:
        try:
            if fn():
                return True
        except Exception:
            pass
        if time.time() > end:
            return False
        time.sleep(0.5)


def report(ok, name):
    name = name.replace("prometheus:", "prometheus (%s):" % name_, 1)
    print(("ok " if ok else "not ok ") + name, flush=True)


def exprs(board):
    for p in board["panels"]:
        for t in p.get("targets", []):
            yield p["title"], t["expr"]


for path in dashboards:
    board = json.load(open(path))
    name = board["uid"]
    for var in board["templating"]["list"]:
        if var["type"] != "query":
            continue
        q = subst(var["query"]["query"])
        m = re.fullmatch(r"label_values\((.+),\s*(\w+)\)", q)
        if not m:
            report(False, "prometheus: %s: variable %s: %s" % (name, var["name"], q))
            continue
        sel, label = m.group(1), m.group(2)
        report(poll(lambda: any(label in s for s in
                                api("/api/v1/series", **{"match[]": sel})["data"])),
               "prometheus: %s: variable $%s has values" % (name, var["name"]))
    for title, e in exprs(board):
        q = subst(e)
        report(poll(lambda: query_has_data(q)),
               "prometheus: %s: %s: %s" % (name, title, q[:100]))
    for a in board["annotations"]["list"]:
        if "expr" not in a:
            continue  # Grafana's built-in one
        q = subst(a["expr"])
        report(poll(lambda: range_has_data(q)),
               "prometheus: %s: annotation %s: %s" % (name, a["name"], q[:100]))

rules = yaml.safe_load(open(rules_file))
for g in rules["groups"]:
    for r in g["rules"]:
        if "record" in r:
            report(poll(lambda: query_has_data(r["record"])),
                   "prometheus: recording rule %s has data" % r["record"])
