#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Write the tdxhp Grafana dashboards (tdxhp-*.json) from one description.

Run after editing: python3 dashboards/generate.py [OUTDIR].  tests/exporter checks
that the JSON files are up to date and that every query returns data.
"""
import json
import os
import sys

DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'job=~"$job",instance=~"$instance"'
TD_SEL = SEL + ',td=~"$td"'
RI = "$__rate_interval"


def variables(with_td):
    def query_var(name, label, query, multi=True):
        return {
            "name": name, "label": label, "type": "query",
            "datasource": DS, "query": {"query": query, "refId": name},
            "definition": query, "refresh": 2, "sort": 1,
            "includeAll": multi, "multi": multi,
            "allValue": ".+" if multi else None,
            "current": {}, "options": [], "hide": 0,
        }
    v = [{
        "name": "datasource", "label": "Data source", "type": "datasource",
        "query": "prometheus", "current": {}, "hide": 0, "options": [],
        "refresh": 1, "regex": "",
    },
        query_var("job", "Job", "label_values(tdxhp_build_info, job)"),
        query_var("instance", "Host",
                  'label_values(tdxhp_build_info{job=~"$job"}, instance)'),
    ]
    td = query_var("td", "TD",
                   'label_values(tdxhp_td_info{%s}, td)' % SEL)
    if not with_td:
        td["hide"] = 2  # kept so links can pass it along
    v.append(td)
    return v


class Board:
    def __init__(self, uid, title, description, with_td=False):
        self.uid, self.title, self.description = uid, title, description
        self.with_td = with_td
        self.panels = []
        self.x = self.y = 0
        self.row_h = 0

    def _place(self, w, h):
        if self.x + w > 24:
            self.x = 0
            self.y += self.row_h
            self.row_h = 0
        pos = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self.row_h = max(self.row_h, h)
        return pos

    def row(self, title):
        if self.x:
            self.x = 0
            self.y += self.row_h
            self.row_h = 0
        self.panels.append({
            "type": "row", "title": title, "collapsed": False,
            "id": len(self.panels) + 1, "panels": [],
            "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1},
        })
        self.y += 1

    def panel(self, kind, title, targets, w=12, h=8, unit="short",
              description="", **extra):
        p = {
            "id": len(self.panels) + 1, "type": kind, "title": title,
            "description": description, "datasource": DS,
            "gridPos": self._place(w, h),
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {},
            "targets": [dict(datasource=DS, refId=chr(65 + i),
                             expr=t[0], legendFormat=t[1],
                             **({"format": t[2]} if len(t) > 2 else {}))
                        for i, t in enumerate(targets)],
        }
        p.update(extra)
        self.panels.append(p)

    def json(self):
        return {
            "uid": self.uid, "title": self.title,
            "description": self.description,
            "tags": ["tdxhp", "tdx", "kvm"], "timezone": "browser",
            "editable": True, "schemaVersion": 38, "version": 1,
            "refresh": "30s", "time": {"from": "now-1h", "to": "now"},
            "templating": {"list": variables(self.with_td)},
            "annotations": {"list": []},
            "links": [{"title": "tdxhp dashboards", "type": "dashboards",
                       "tags": ["tdxhp"], "asDropdown": True,
                       "includeVars": True, "keepTime": True}],
            "panels": self.panels,
        }


SIM_NOTE = ("1 where the exporter runs --simulate: those numbers come "
            "from the simulator, not a TDX host.")


def fleet():
    b = Board("tdxhp-fleet", "tdxhp / Fleet overview",
              "TDX huge page health across every host running "
              "tdxhp-exporter.")
    b.row("Fleet")
    b.panel("stat", "Hosts",
            [('count(count by (instance) (tdxhp_build_info{%s}))' % SEL,
              "hosts")], w=4, h=4)
    b.panel("stat", "Live TDs",
            [('sum(tdxhp_tds{%s})' % SEL, "TDs")], w=4, h=4)
    b.panel("stat", "Fleet 2M coverage",
            [('job:tdxhp_huge_coverage:ratio{job=~"$job"}', "{{job}}")],
            w=4, h=4, unit="percentunit")
    b.panel("stat", "Fleet splits/s",
            [('sum(job:tdxhp_boundary_splits:rate1m{job=~"$job"})',
              "splits/s")], w=4, h=4, unit="ops")
    b.panel("stat", "Fleet split p99",
            [('max(job:tdxhp_split_duration_seconds:p99_5m{job=~"$job"})',
              "p99")], w=4, h=4, unit="s")
    b.panel("stat", "Simulated exporters",
            [('sum(tdxhp_simulated{%s})' % SEL, "simulated")], w=4, h=4,
            description=SIM_NOTE)
    b.row("Huge pages")
    b.panel("timeseries", "2M coverage by host",
            [('instance:tdxhp_huge_coverage:ratio{%s}' % SEL,
              "{{instance}}")], unit="percentunit",
            description="Share of TD private memory in 2M/1G leaves.")
    b.panel("timeseries", "Boundary splits per second by host",
            [('sum by (instance) (rate(tdxhp_host_boundary_splits_total{%s}[%s]))'
              % (SEL, RI), "{{instance}}")], unit="ops")
    b.panel("heatmap", "Boundary split latency",
            [('sum by (le) (increase(tdxhp_op_duration_seconds_bucket{%s,op="split"}[%s]))'
              % (SEL, RI), "{{le}}", "heatmap")], unit="s",
            options={"calculate": False, "yAxis": {"unit": "s"},
                     "cellGap": 1, "color": {"scheme": "Oranges"}})
    b.panel("timeseries", "Split p99 by host",
            [('instance:tdxhp_split_duration_seconds:p99_5m{%s}' % SEL,
              "{{instance}}")], unit="s")
    b.row("Trouble")
    b.panel("timeseries", "EPT-violation storms (TDs storming now)",
            [('sum by (instance) (tdxhp_td_storm_active{%s})' % SEL,
              "{{instance}}"),
             ('sum by (instance) (increase(tdxhp_host_storms_total{%s}[%s]))'
              % (SEL, RI), "{{instance}} windows")], w=8)
    b.panel("timeseries", "TDX_OPERAND_BUSY retries per second",
            [('sum by (instance) (rate(tdxhp_host_seamcall_busy_total{%s}[%s]))'
              % (SEL, RI), "{{instance}}")], w=8, unit="ops")
    b.panel("timeseries", "Ignored fault-path splits per second",
            [('sum by (instance) (rate(tdxhp_host_fault_splits_ignored_total{%s}[%s]))'
              % (SEL, RI), "{{instance}}")], w=8, unit="ops")
    b.row("Exporter health")
    b.panel("timeseries", "Exporter up",
            [('up{%s}' % SEL, "{{instance}}")], w=6)
    b.panel("timeseries", "Dropped events per second",
            [('sum by (instance, reason) (rate(tdxhp_dropped_total{%s}[%s]))'
              % (SEL, RI), "{{instance}} {{reason}}")], w=6, unit="ops")
    b.panel("timeseries", "Collection cost",
            [('tdxhp_scrape_duration_seconds{%s}' % SEL,
              "{{instance}} {{phase}}")], w=6, unit="s")
    b.panel("timeseries", "Exporter memory",
            [('tdxhp_process_resident_memory_bytes{%s}' % SEL,
              "{{instance}}")], w=6, unit="bytes")
    return b


def host():
    b = Board("tdxhp-host", "tdxhp / Host",
              "One host: TDs, S-EPT operations and their latency.")
    b.row("Host")
    b.panel("stat", "Live TDs", [('sum(tdxhp_tds{%s})' % SEL, "TDs")],
            w=4, h=4)
    b.panel("stat", "2M coverage",
            [('instance:tdxhp_huge_coverage:ratio{%s}' % SEL,
              "{{instance}}")], w=4, h=4, unit="percentunit")
    b.panel("stat", "Private memory",
            [('sum(tdxhp_host_private_bytes{%s})' % SEL, "mapped")],
            w=4, h=4, unit="bytes")
    b.panel("stat", "Simulated",
            [('max(tdxhp_simulated{%s})' % SEL, "simulated")], w=4, h=4,
            description=SIM_NOTE)
    b.panel("stat", "Events by source",
            [('count by (source) (tdxhp_event_source{%s})' % SEL, "{{source}}")],
            w=4, h=4,
            description="How many of the nine events each source feeds: tracepoint (kernel-patches/), seamcall (fentry/fexit on the SEAMCALL wrappers of a stock kernel), missing, or simulated.")
    b.panel("stat", "TD table use",
            [('sum(tdxhp_tds{%s}) / sum(tdxhp_td_slots{%s})' % (SEL, SEL),
              "used")], w=4, h=4, unit="percentunit")
    b.row("Operations")
    b.panel("timeseries", "Private leaves by level",
            [('sum by (level) (tdxhp_host_private_pages{%s})' % SEL,
              "{{level}}")])
    b.panel("timeseries", "Events per second",
            [('sum by (event) (rate(tdxhp_events_total{%s}[%s]))'
              % (SEL, RI), "{{event}}")], unit="ops")
    b.panel("timeseries", "p99 latency by operation",
            [('histogram_quantile(0.99, sum by (op, le) (rate(tdxhp_op_duration_seconds_bucket{%s}[%s])))'
              % (SEL, RI), "{{op}}")], unit="s")
    b.panel("timeseries", "Boundary splits per second by reason",
            [('sum by (reason) (rate(tdxhp_host_boundary_splits_total{%s}[%s]))'
              % (SEL, RI), "{{reason}}")], unit="ops")
    b.panel("timeseries", "Errors per second by operation",
            [('sum by (op) (rate(tdxhp_host_errors_total{%s}[%s]))'
              % (SEL, RI), "{{op}}")], unit="ops")
    b.panel("table", "TDs with the most boundary splits",
            [('topk(10, sum by (td, pid, hkid) (rate(tdxhp_td_boundary_splits_total{%s}[%s])))'
              % (SEL, RI), "{{td}}", "table")], unit="ops")
    b.row("Exporter")
    b.panel("timeseries", "Dropped events per second by reason",
            [('sum by (reason) (rate(tdxhp_dropped_total{%s}[%s]))'
              % (SEL, RI), "{{reason}}")], w=8, unit="ops")
    b.panel("timeseries", "Collection cost",
            [('tdxhp_scrape_duration_seconds{%s}' % SEL, "{{phase}}")],
            w=8, unit="s")
    b.panel("timeseries", "BPF program time (kernel.bpf_stats_enabled)",
            [('sum by (program) (rate(tdxhp_bpf_program_run_seconds_total{%s}[%s]))'
              % (SEL, RI), "{{program}}")], w=8, unit="s",
            description="Empty unless BPF stats are on "
                        "(--collector.bpf-stats or the sysctl).")
    return b


def td():
    b = Board("tdxhp-td", "tdxhp / TD",
              "One TD: its mappings, splits, retries and storms.",
              with_td=True)
    b.row("TD")
    b.panel("table", "TD",
            [('tdxhp_td_info{%s}' % TD_SEL, "{{td}}", "table")], w=12,
            h=5, description="partial=true: the TD was running before "
                             "tdxhp started; its gauges count from then.")
    b.panel("stat", "2M coverage",
            [('tdxhp_td_huge_coverage_ratio{%s}' % TD_SEL, "{{td}}")],
            w=6, h=5, unit="percentunit")
    b.panel("stat", "Storming now",
            [('max(tdxhp_td_storm_active{%s})' % TD_SEL, "storm")], w=6,
            h=5)
    b.row("Memory")
    b.panel("timeseries", "Private leaves by level",
            [('sum by (td, level) (tdxhp_td_private_pages{%s})' % TD_SEL,
              "{{td}} {{level}}")])
    b.panel("timeseries", "Private memory",
            [('tdxhp_td_private_bytes{%s}' % TD_SEL, "{{td}}")],
            unit="bytes")
    b.row("Splits")
    b.panel("timeseries", "Split latency p50 / p99",
            [('histogram_quantile(0.5, sum by (td, le) (rate(tdxhp_td_split_duration_seconds_bucket{%s}[%s])))'
              % (TD_SEL, RI), "{{td}} p50"),
             ('histogram_quantile(0.99, sum by (td, le) (rate(tdxhp_td_split_duration_seconds_bucket{%s}[%s])))'
              % (TD_SEL, RI), "{{td}} p99")], unit="s")
    b.panel("timeseries", "Demote latency p99",
            [('histogram_quantile(0.99, sum by (td, le) (rate(tdxhp_td_demote_duration_seconds_bucket{%s}[%s])))'
              % (TD_SEL, RI), "{{td}}")], unit="s")
    b.panel("timeseries", "Boundary splits per second by reason",
            [('sum by (td, reason) (rate(tdxhp_td_boundary_splits_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} {{reason}}")], unit="ops")
    b.panel("timeseries", "Demotes and BUSY retries per second",
            [('sum by (td) (rate(tdxhp_td_demotes_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} demotes"),
             ('sum by (td) (rate(tdxhp_td_busy_retries_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} BUSY retries"),
             ('sum by (td) (rate(tdxhp_td_seamcall_busy_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} SEAMCALL BUSY")], unit="ops")
    b.row("Faults")
    b.panel("timeseries", "Ignored fault-path splits and storms",
            [('sum by (td) (rate(tdxhp_td_fault_splits_ignored_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} ignored/s"),
             ('sum by (td) (increase(tdxhp_td_storms_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} storm windows")])
    b.panel("timeseries", "Errors per second by operation",
            [('sum by (td, op) (rate(tdxhp_td_errors_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} {{op}}")], unit="ops")
    return b


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    if len(sys.argv) > 1:  # tests write elsewhere and compare
        here = sys.argv[1]
    for board, name in ((fleet(), "tdxhp-fleet.json"),
                        (host(), "tdxhp-host.json"),
                        (td(), "tdxhp-td.json")):
        with open(os.path.join(here, name), "w") as f:
            json.dump(board.json(), f, indent=2, sort_keys=True)
            f.write("\n")


if __name__ == "__main__":
    main()
