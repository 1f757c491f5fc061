#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Write the tdxhp Grafana dashboards (tdxhp-*.json) and the Prometheus
rules (tdxhp-rules.yml) from one description.

usage: generate.py [--runbook-base URL] [OUTDIR]

Run after editing; tests/exporter checks that the files are up to date and
that every query returns data from a real Prometheus.  Alerts link their
runbooks as --runbook-base (or $TDXHP_RUNBOOK_BASE) + the alert's name in
lower case; the default is the project's docs/alerts.md, whose sections
are named so.  For your own wiki, with a page or an anchor per alert:

  dashboards/generate.py --runbook-base https://wiki.example.com/tdxhp/ /etc/prometheus/tdxhp

Words follow docs/vocabulary.md: a "split" is a boundary split (KVM
splitting a 2M mapping because part of it changed: conversion to shared,
hole punch, accept), a "demote" one page_demote (the BLOCK, TRACK, DEMOTE
SEAMCALLs one huge leaf takes; a split causes one per edge leaf).
"""
import argparse
import json
import os
import sys

# Where the project publishes docs/; the one place to change it.
DOCS_URL = "https://tdxhp.example/docs/"
DEFAULT_RUNBOOK_BASE = DOCS_URL + "alerts.md#"
VOCABULARY = DOCS_URL + "vocabulary.md"

DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'job=~"$job",instance=~"$instance"'
TD_SEL = SEL + ',td=~"$td"'
RI = "$__rate_interval"

SPLIT = "A split is a boundary split: KVM splitting 2M mappings at a range's edges because part of them changed (conversion to shared, hole punch, accept)."
DEMOTE = "A demote is one page_demote: the BLOCK, TRACK, DEMOTE SEAMCALL sequence that turns one huge leaf into 512 smaller ones; a split causes one per edge leaf."
VOCAB_LINK = " Words: [vocabulary](%s)." % VOCABULARY


def quantile(q, metric, by, sel, window):
    """histogram_quantile over the native histogram if Prometheus ingested
    one (scraped as protobuf with native histograms on), else over the
    classic buckets: the same panel or rule works with both."""
    by_native = "sum by (%s) " % by if by else "sum "
    by_classic = "sum by (%s) " % (by + ", le" if by else "le")
    return ("histogram_quantile(%s, %s(rate(%s{%s}[%s])))\n  or\n"
            "histogram_quantile(%s, %s(rate(%s_bucket{%s}[%s])))"
            % (q, by_native, metric, sel, window,
               q, by_classic, metric, sel, window))


def one_line(expr):
    return " ".join(expr.split())


# ---------------------------------------------------------------- dashboards

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


def annotation(name, color, expr, title, text, tags):
    return {
        "name": name, "datasource": DS, "enable": True, "hide": False,
        "iconColor": color, "expr": expr, "step": "$__interval",
        "titleFormat": title, "textFormat": text, "tagKeys": tags,
        "useValueForTime": False,
    }


def annotations(with_td):
    """TD created and destroyed, exporter restarted: from metrics only."""
    builtin = {
        "builtIn": 1, "name": "Annotations & Alerts", "type": "dashboard",
        "datasource": {"type": "grafana", "uid": "-- Grafana --"},
        "enable": True, "hide": True, "iconColor": "rgba(0, 211, 255, 1)",
    }
    if with_td:
        # The TD's own info series appearing and disappearing names it.
        created = annotation(
            "TD created", "green",
            "tdxhp_td_info{%s} unless tdxhp_td_info{%s} offset $__interval"
            % (TD_SEL, TD_SEL),
            "TD created", "{{td}} (pid {{pid}}, hkid {{hkid}}) on {{instance}}",
            "instance,td")
        destroyed = annotation(
            "TD destroyed", "red",
            "tdxhp_td_info{%s} offset $__interval unless tdxhp_td_info{%s}"
            % (TD_SEL, TD_SEL),
            "TD destroyed", "{{td}} (pid {{pid}}, hkid {{hkid}}) on {{instance}}",
            "instance,td")
    else:
        created = annotation(
            "TD created", "green",
            'sum by (job, instance) (increase(tdxhp_events_total{%s,event="td_init"}[$__interval])) > 0'
            % SEL,
            "TDs created", "{{instance}}: {{value}} TD(s) created (td_init)",
            "instance")
        destroyed = annotation(
            "TD destroyed", "red",
            'sum by (job, instance) (increase(tdxhp_events_total{%s,event="td_teardown"}[$__interval])) > 0'
            % SEL,
            "TDs destroyed", "{{instance}}: {{value}} TD(s) torn down (td_teardown)",
            "instance")
    restarted = annotation(
        "Exporter restarted", "orange",
        "changes(process_start_time_seconds{%s}[$__interval]) > 0" % SEL,
        "tdxhp-exporter restarted",
        "{{instance}}: a new exporter process (process_start_time_seconds changed)",
        "instance")
    return [builtin, created, destroyed, restarted]


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

    def panel(self, kind, title, targets, description, w=12, h=8,
              unit="short", **extra):
        assert description, title  # every panel says what it shows
        p = {
            "id": len(self.panels) + 1, "type": kind, "title": title,
            "description": description, "datasource": DS,
            "gridPos": self._place(w, h),
            "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
            "options": {},
            "targets": [dict(datasource=DS, refId=chr(65 + i),
                             expr=one_line(t[0]), legendFormat=t[1],
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
            "annotations": {"list": annotations(self.with_td)},
            "links": [{"title": "tdxhp dashboards", "type": "dashboards",
                       "tags": ["tdxhp"], "asDropdown": True,
                       "includeVars": True, "keepTime": True},
                      {"title": "Vocabulary", "type": "link",
                       "url": VOCABULARY, "targetBlank": True}],
            "panels": self.panels,
        }


SIM_NOTE = ("1 where the exporter runs --simulate: those numbers come "
            "from the simulator, not a TDX host.")
COVERAGE = ("Share of TD private memory mapped with 2M (or 1G) leaves "
            "rather than 4K ones; higher is better (fewer TLB misses, "
            "smaller S-EPT).")
STORMS = ("EPT-violation storms: the fault path refused to split the "
          "same gfn's huge leaf --storm-hits times within --storm-window "
          "(fault_split_ignored), so the vCPU loops.")
IGNORED = ("Faults that wanted a smaller leaf and kept the existing huge "
           "one (fault_split_ignored): neither a split nor a demote "
           "happened. A steady stream on one gfn is a storm.")
BUSY = ("SEAMCALLs that returned TDX_OPERAND_BUSY: KVM kicks the TD's "
        "vCPUs and retries.")
DROPPED = ("Events the BPF programs could not account, by reason; should "
           "stay at 0 (runbook TdxhpExporterDroppingEvents).")
COLLECTION = ("What one collection of the exporter costs: reading the "
              "maps, rendering the body, gzipping it "
              "(tdxhp_exporter_collection_duration_seconds).")
MEMORY = ("Resident memory of tdxhp-exporter (process_resident_memory_bytes, "
          "the standard metric).")


def fleet():
    b = Board("tdxhp-fleet", "tdxhp / Fleet overview",
              "TDX huge page health across every host running "
              "tdxhp-exporter.")
    b.row("Fleet")
    b.panel("stat", "Hosts",
            [('count(count by (instance) (tdxhp_build_info{%s}))' % SEL,
              "hosts")],
            "Hosts whose tdxhp-exporter Prometheus scrapes.", w=4, h=4)
    b.panel("stat", "Live TDs",
            [('sum(tdxhp_tds{%s})' % SEL, "TDs")],
            "TDs running now on those hosts (tdxhp_tds).", w=4, h=4)
    b.panel("stat", "Fleet 2M coverage",
            [('job:tdxhp_huge_coverage:ratio{job=~"$job"}', "{{job}}")],
            COVERAGE + " All hosts of the job together.",
            w=4, h=4, unit="percentunit")
    b.panel("stat", "Fleet boundary splits/s",
            [('sum(job:tdxhp_boundary_splits:rate1m{job=~"$job"})',
              "splits/s")],
            SPLIT + " Splits per second, all hosts." + VOCAB_LINK,
            w=4, h=4, unit="ops")
    b.panel("stat", "Fleet boundary split p99",
            [('max(job:tdxhp_split_duration_seconds:p99_5m{job=~"$job"})',
              "p99")],
            SPLIT + " 99th percentile of one split's latency, every "
            "demote it causes included; alert at 10 ms "
            "(TdxhpSplitLatencyHigh)." + VOCAB_LINK, w=4, h=4, unit="s")
    b.panel("stat", "Simulated exporters",
            [('sum(tdxhp_simulated{%s})' % SEL, "simulated")], SIM_NOTE,
            w=4, h=4)
    b.row("Huge pages")
    b.panel("timeseries", "2M coverage by host",
            [('instance:tdxhp_huge_coverage:ratio{%s}' % SEL,
              "{{instance}}")], COVERAGE, unit="percentunit")
    b.panel("timeseries", "Boundary splits per second by host",
            [('sum by (instance) (rate(tdxhp_host_boundary_splits_total{%s}[%s]))'
              % (SEL, RI), "{{instance}}")],
            SPLIT + VOCAB_LINK, unit="ops")
    b.panel("heatmap", "Boundary split latency",
            [('sum by (le) (increase(tdxhp_op_duration_seconds_bucket{%s,op="split"}[%s]))'
              ' or sum(increase(tdxhp_op_duration_seconds{%s,op="split"}[%s]))'
              % (SEL, RI, SEL, RI), "{{le}}", "heatmap")],
            SPLIT + " How long splits take, all hosts: classic buckets, "
            "or the native histogram where Prometheus ingests it."
            + VOCAB_LINK, unit="s",
            options={"calculate": False, "yAxis": {"unit": "s"},
                     "cellGap": 1, "color": {"scheme": "Oranges"}})
    b.panel("timeseries", "Boundary split p99 by host",
            [('instance:tdxhp_split_duration_seconds:p99_5m{%s}' % SEL,
              "{{instance}}")],
            SPLIT + " 99th percentile over 5 minutes, per host." + VOCAB_LINK,
            unit="s")
    b.panel("timeseries", "Demote p99 by host",
            [('instance:tdxhp_demote_duration_seconds:p99_5m{%s}' % SEL,
              "{{instance}}")],
            DEMOTE + " 99th percentile over 5 minutes, per host; alert at "
            "5 ms (TdxhpDemoteLatencyHigh)." + VOCAB_LINK, unit="s")
    b.row("Trouble")
    b.panel("timeseries", "EPT-violation storms (TDs storming now)",
            [('sum by (instance) (tdxhp_td_storm_active{%s})' % SEL,
              "{{instance}}"),
             ('sum by (instance) (increase(tdxhp_host_storms_total{%s}[%s]))'
              % (SEL, RI), "{{instance}} windows")],
            STORMS + " TDs storming now, and storm windows.", w=8)
    b.panel("timeseries", "TDX_OPERAND_BUSY retries per second",
            [('sum by (instance) (rate(tdxhp_host_seamcall_busy_total{%s}[%s]))'
              % (SEL, RI), "{{instance}}")], BUSY, w=8, unit="ops")
    b.panel("timeseries", "Faults that kept a huge leaf per second",
            [('sum by (instance) (rate(tdxhp_host_fault_splits_ignored_total{%s}[%s]))'
              % (SEL, RI), "{{instance}}")], IGNORED, w=8, unit="ops")
    b.row("Exporter health")
    b.panel("timeseries", "Exporter up",
            [('up{%s}' % SEL, "{{instance}}")],
            "1 while Prometheus can scrape the exporter (runbook "
            "TdxhpExporterDown).", w=6)
    b.panel("timeseries", "Dropped events per second",
            [('sum by (instance, reason) (rate(tdxhp_dropped_total{%s}[%s]))'
              % (SEL, RI), "{{instance}} {{reason}}")], DROPPED, w=6,
            unit="ops")
    b.panel("timeseries", "Collection cost",
            [('tdxhp_exporter_collection_duration_seconds{%s}' % SEL,
              "{{instance}} {{phase}}")], COLLECTION, w=6, unit="s")
    b.panel("timeseries", "Exporter memory",
            [('process_resident_memory_bytes{%s}' % SEL,
              "{{instance}}")], MEMORY, w=6, unit="bytes")
    return b


def host():
    b = Board("tdxhp-host", "tdxhp / Host",
              "One host: TDs, S-EPT operations and their latency.")
    b.row("Host")
    b.panel("stat", "Live TDs", [('sum(tdxhp_tds{%s})' % SEL, "TDs")],
            "TDs running now on this host (tdxhp_tds).", w=4, h=4)
    b.panel("stat", "2M coverage",
            [('instance:tdxhp_huge_coverage:ratio{%s}' % SEL,
              "{{instance}}")], COVERAGE, w=4, h=4, unit="percentunit")
    b.panel("stat", "Private memory",
            [('sum(tdxhp_host_private_bytes{%s})' % SEL, "mapped")],
            "TD private memory mapped in the secure EPTs of all live TDs.",
            w=4, h=4, unit="bytes")
    b.panel("stat", "Simulated",
            [('max(tdxhp_simulated{%s})' % SEL, "simulated")], SIM_NOTE,
            w=4, h=4)
    b.panel("stat", "Events by source",
            [('count by (source) (tdxhp_event_source{%s})' % SEL, "{{source}}")],
            "How many of the nine events each source feeds: tracepoint "
            "(kernel-patches/), seamcall (fentry/fexit on the SEAMCALL "
            "wrappers of a stock kernel), missing, or simulated.", w=4, h=4)
    b.panel("stat", "TD table use",
            [('sum(tdxhp_tds{%s}) / sum(tdxhp_td_slots{%s})' % (SEL, SEL),
              "used")],
            "Live TDs over the in-kernel TD table's size (--max-tds x 2); "
            "when full, new TDs are not tracked (td_table_full drops).",
            w=4, h=4, unit="percentunit")
    b.row("Operations")
    b.panel("timeseries", "Private leaves by level",
            [('sum by (level) (tdxhp_host_private_pages{%s})' % SEL,
              "{{level}}")],
            "Mapped private leaves of all live TDs by level: 2M leaves "
            "turning into 4K ones are splits and demotes at work.")
    b.panel("timeseries", "Events per second",
            [('sum by (event) (rate(tdxhp_events_total{%s}[%s]))'
              % (SEL, RI), "{{event}}")],
            "Every traced event per second: boundary_split is a split, "
            "page_demote a demote." + VOCAB_LINK, unit="ops")
    b.panel("timeseries", "p99 latency by operation",
            [(quantile(0.99, "tdxhp_op_duration_seconds", "op", SEL, RI),
              "{{op}}")],
            "99th percentile by op: split = one boundary split, demote = "
            "one page_demote, demote-block/-track/-demote its SEAMCALL "
            "phases, and aug, add, remove." + VOCAB_LINK, unit="s")
    b.panel("timeseries", "Boundary splits per second by reason",
            [('sum by (reason) (rate(tdxhp_host_boundary_splits_total{%s}[%s]))'
              % (SEL, RI), "{{reason}}")],
            SPLIT + " By what changed: convert (to shared), punch_hole, "
            "accept." + VOCAB_LINK, unit="ops")
    b.panel("timeseries", "Errors per second by operation",
            [('sum by (op) (rate(tdxhp_host_errors_total{%s}[%s]))'
              % (SEL, RI), "{{op}}")],
            "Failed S-EPT operations: op split = a boundary split that "
            "failed, demote = a page_demote that failed." + VOCAB_LINK,
            unit="ops")
    b.panel("table", "TDs with the most boundary splits",
            [('topk(10, sum by (td, pid, hkid) (rate(tdxhp_td_boundary_splits_total{%s}[%s])))'
              % (SEL, RI), "{{td}}", "table")],
            SPLIT + " The ten TDs splitting most, per second." + VOCAB_LINK,
            unit="ops")
    b.row("Exporter")
    b.panel("timeseries", "Dropped events per second by reason",
            [('sum by (reason) (rate(tdxhp_dropped_total{%s}[%s]))'
              % (SEL, RI), "{{reason}}")], DROPPED, w=6, unit="ops")
    b.panel("timeseries", "Collection cost",
            [('tdxhp_exporter_collection_duration_seconds{%s}' % SEL,
              "{{phase}}")], COLLECTION, w=6, unit="s")
    b.panel("timeseries", "Exporter CPU",
            [('rate(process_cpu_seconds_total{%s}[%s])' % (SEL, RI),
              "{{instance}}")],
            "CPU time tdxhp-exporter uses per second (process_cpu_seconds_total, "
            "the simulator included when it runs).", w=6, unit="percentunit")
    b.panel("timeseries", "BPF program time (kernel.bpf_stats_enabled)",
            [('sum by (program) (rate(tdxhp_bpf_program_run_seconds_total{%s}[%s]))'
              % (SEL, RI), "{{program}}")],
            "Time spent in each tdxhp BPF program per second. Empty unless "
            "BPF stats are on (--collector.bpf-stats or the sysctl).",
            w=6, unit="s")
    return b


def td():
    b = Board("tdxhp-td", "tdxhp / TD",
              "One TD: its mappings, splits, demotes, retries and storms.",
              with_td=True)
    b.row("TD")
    b.panel("table", "TD",
            [('tdxhp_td_info{%s}' % TD_SEL, "{{td}}", "table")],
            "The TD's labels. partial=true: the TD was running before "
            "tdxhp started; its gauges count from then.", w=12, h=5)
    b.panel("stat", "2M coverage",
            [('tdxhp_td_huge_coverage_ratio{%s}' % TD_SEL, "{{td}}")],
            COVERAGE, w=6, h=5, unit="percentunit")
    b.panel("stat", "Storming now",
            [('max(tdxhp_td_storm_active{%s})' % TD_SEL, "storm")],
            "1 if the TD had an EPT-violation storm within "
            "--collector.storm-active (runbook TdxhpEptViolationStorm).",
            w=6, h=5)
    b.row("Memory")
    b.panel("timeseries", "Private leaves by level",
            [('sum by (td, level) (tdxhp_td_private_pages{%s})' % TD_SEL,
              "{{td}} {{level}}")],
            "The TD's mapped private leaves by level.")
    b.panel("timeseries", "Private memory",
            [('tdxhp_td_private_bytes{%s}' % TD_SEL, "{{td}}")],
            "The TD's private memory mapped in its secure EPT.",
            unit="bytes")
    b.row("Boundary splits and demotes")
    b.panel("timeseries", "Boundary split latency p50 / p99",
            [(quantile(0.5, "tdxhp_td_split_duration_seconds", "td", TD_SEL,
                       RI), "{{td}} p50"),
             (quantile(0.99, "tdxhp_td_split_duration_seconds", "td",
                       TD_SEL, RI), "{{td}} p99")],
            SPLIT + " Latency of one split, every demote it causes "
            "included." + VOCAB_LINK, unit="s")
    b.panel("timeseries", "Demote latency p99",
            [(quantile(0.99, "tdxhp_td_demote_duration_seconds", "td",
                       TD_SEL, RI), "{{td}}")],
            DEMOTE + VOCAB_LINK, unit="s")
    b.panel("timeseries", "Boundary splits per second by reason",
            [('sum by (td, reason) (rate(tdxhp_td_boundary_splits_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} {{reason}}")],
            SPLIT + VOCAB_LINK, unit="ops")
    b.panel("timeseries", "Demotes and BUSY retries per second",
            [('sum by (td) (rate(tdxhp_td_demotes_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} demotes"),
             ('sum by (td) (rate(tdxhp_td_busy_retries_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} BUSY retries"),
             ('sum by (td) (rate(tdxhp_td_seamcall_busy_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} SEAMCALL BUSY")],
            DEMOTE + " With the TDX_OPERAND_BUSY retries inside demotes "
            "and every BUSY SEAMCALL of the TD." + VOCAB_LINK, unit="ops")
    b.row("Faults")
    b.panel("timeseries", "Faults that kept a huge leaf, and storms",
            [('sum by (td) (rate(tdxhp_td_fault_splits_ignored_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} kept/s"),
             ('sum by (td) (increase(tdxhp_td_storms_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} storm windows")],
            IGNORED + " " + STORMS)
    b.panel("timeseries", "Errors per second by operation",
            [('sum by (td, op) (rate(tdxhp_td_errors_total{%s}[%s]))'
              % (TD_SEL, RI), "{{td}} {{op}}")],
            "The TD's failed S-EPT operations: op split = a failed boundary "
            "split, demote = a failed page_demote." + VOCAB_LINK,
            unit="ops")
    return b


# -------------------------------------------------------------------- rules

SIMULATED_JOIN = """
  * on (job, instance) group_left (simulated)
    instance:tdxhp_simulated:info"""

RECORDING = [
    ("1 per exporter, labelled simulated=\"true\" or \"false\".",
     "instance:tdxhp_simulated:info",
     """max by (job, instance, simulated) (
  label_replace(tdxhp_simulated == 1, "simulated", "true", "", "")
  or
  label_replace(tdxhp_simulated == 0, "simulated", "false", "", "") + 1
)"""),
    ("Share of the host's mapped private memory in 2M/1G leaves.",
     "instance:tdxhp_huge_coverage:ratio",
     """1 - sum by (job, instance) (tdxhp_host_private_pages{level="4k"}) * 4096
  / sum by (job, instance) (tdxhp_host_private_bytes > 0)"""),
    (None, "job:tdxhp_huge_coverage:ratio",
     """1 - sum by (job) (tdxhp_host_private_pages{level="4k"}) * 4096
  / sum by (job) (tdxhp_host_private_bytes > 0)"""),
    (None, "job:tdxhp_tds:sum", "sum by (job) (tdxhp_tds)"),
    ("Splits (boundary splits) per second.",
     "instance:tdxhp_boundary_splits:rate1m",
     "sum by (job, instance) (rate(tdxhp_host_boundary_splits_total[1m]))"),
    (None, "job:tdxhp_boundary_splits:rate1m",
     "sum by (job) (rate(tdxhp_host_boundary_splits_total[1m]))"),
    ("p99 of one split (boundary split), every demote it causes included:\n"
     "      # the native histogram where ingested, else the classic buckets.",
     "instance:tdxhp_split_duration_seconds:p99_5m",
     quantile(0.99, "tdxhp_op_duration_seconds", "job, instance",
              'op="split"', "5m")),
    (None, "job:tdxhp_split_duration_seconds:p99_5m",
     quantile(0.99, "tdxhp_op_duration_seconds", "job", 'op="split"', "5m")),
    ("p99 of one demote (page_demote: BLOCK, TRACK, DEMOTE).",
     "instance:tdxhp_demote_duration_seconds:p99_5m",
     quantile(0.99, "tdxhp_op_duration_seconds", "job, instance",
              'op="demote"', "5m")),
    (None, "instance:tdxhp_seamcall_busy:rate5m",
     "sum by (job, instance) (rate(tdxhp_host_seamcall_busy_total[5m]))"),
    (None, "instance:tdxhp_seamcall_busy:rate1h",
     "sum by (job, instance) (rate(tdxhp_host_seamcall_busy_total[1h]))"),
    (None, "instance:tdxhp_storms:increase5m",
     "sum by (job, instance) (increase(tdxhp_host_storms_total[5m]))"),
    (None, "instance:tdxhp_dropped:increase10m",
     "sum by (job, instance, reason) (increase(tdxhp_dropped_total[10m]))"),
]

ALERTS = [
    {"alert": "TdxhpEptViolationStorm",
     "expr": "(increase(tdxhp_td_storms_total[5m]) > 0)" + SIMULATED_JOIN,
     "for": "1m", "severity": "warning",
     "summary": "EPT-violation storm in TD {{ $labels.td }} on {{ $labels.instance }}",
     "description": "TD {{ $labels.td }} (pid {{ $labels.pid }}, hkid {{ $labels.hkid }}) had {{ $value | printf \"%.0f\" }} storm windows in 5 minutes: the fault path keeps refusing to split the same gfn, so the vCPU loops on EPT violations (simulated: {{ $labels.simulated }})."},
    {"alert": "TdxhpHugeCoverageFalling",
     "expr": "(delta(instance:tdxhp_huge_coverage:ratio[30m]) < -0.10)" + SIMULATED_JOIN,
     "for": "10m", "severity": "warning",
     "summary": "2M coverage on {{ $labels.instance }} changed by {{ $value | humanizePercentage }} in 30m",
     "description": "The share of TD private memory mapped with huge leaves on {{ $labels.instance }} dropped by more than 10 points in 30 minutes (simulated: {{ $labels.simulated }}).  TDs are running on 4K mappings: more TLB misses and S-EPT memory."},
    {"alert": "TdxhpSplitLatencyHigh",
     "expr": "(instance:tdxhp_split_duration_seconds:p99_5m > 0.010)" + SIMULATED_JOIN,
     "for": "10m", "severity": "warning",
     "summary": "Boundary split p99 on {{ $labels.instance }} is {{ $value | humanizeDuration }}",
     "description": "The 99th percentile of boundary splits (KVM splitting 2M mappings at the edges of a converted, punched or accepted range, every demote it causes included) on {{ $labels.instance }} has been above 10 ms for 10 minutes (simulated: {{ $labels.simulated }}).  Conversions and hole punches stall the guest that long."},
    {"alert": "TdxhpDemoteLatencyHigh",
     "expr": "(instance:tdxhp_demote_duration_seconds:p99_5m > 0.005)" + SIMULATED_JOIN,
     "for": "10m", "severity": "warning",
     "summary": "Demote p99 on {{ $labels.instance }} is {{ $value | humanizeDuration }}",
     "description": "The 99th percentile of demotes (page_demote: the BLOCK, TRACK, DEMOTE SEAMCALLs that turn one huge leaf into 512 smaller ones) on {{ $labels.instance }} has been above 5 ms for 10 minutes (simulated: {{ $labels.simulated }}).  The TD's vCPUs are kicked out for TRACK each time."},
    {"alert": "TdxhpBusyRetriesSurging",
     "expr": """(
  instance:tdxhp_seamcall_busy:rate5m > 5
  and
  instance:tdxhp_seamcall_busy:rate5m > 3 * instance:tdxhp_seamcall_busy:rate1h
)""" + SIMULATED_JOIN,
     "for": "5m", "severity": "warning",
     "summary": "TDX_OPERAND_BUSY retries surging on {{ $labels.instance }}",
     "description": "SEAMCALLs on {{ $labels.instance }} hit TDX_OPERAND_BUSY {{ $value | printf \"%.1f\" }} times per second, more than 3x the last hour's rate (simulated: {{ $labels.simulated }}).  Every retry kicks vCPUs out of the TD."},
    {"alert": "TdxhpExporterDown",
     "expr": 'up{job=~"tdxhp.*"} == 0', "for": "2m", "severity": "critical",
     "summary": "tdxhp-exporter {{ $labels.instance }} is down",
     "description": "Prometheus could not scrape {{ $labels.instance }} (job {{ $labels.job }}) for 2 minutes: TDX huge page metrics and the other tdxhp alerts of this host are blind."},
    {"alert": "TdxhpExporterDroppingEvents",
     "expr": "(instance:tdxhp_dropped:increase10m > 0)" + SIMULATED_JOIN,
     "for": "0m", "severity": "warning",
     "summary": "tdxhp on {{ $labels.instance }} is losing events ({{ $labels.reason }})",
     "description": "{{ $value | printf \"%.0f\" }} events on {{ $labels.instance }} were not fully accounted in 10 minutes, reason {{ $labels.reason }} (simulated: {{ $labels.simulated }}).  Per-TD numbers are incomplete until the cause is fixed."},
]


def yaml_str(s):
    """A double-quoted YAML scalar (JSON's escapes are YAML's)."""
    return json.dumps(s, ensure_ascii=False)


def block(key, s, indent):
    """key: s, as a literal block if it has more than one line."""
    pad = " " * indent
    if "\n" not in s:
        plain = key.lstrip("- ") in ("expr", "record", "alert")
        return ["%s%s: %s" % (pad, key, s if plain else yaml_str(s))]
    return ["%s%s: |" % (pad, key)] + \
        ["%s  %s" % (pad, line) for line in s.split("\n")]


def rules_yaml(runbook_base):
    out = [
        "# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)",
        "# Prometheus recording and alerting rules for tdxhp-exporter.",
        "# Generated by dashboards/generate.py: edit that, not this file.",
        "# Runbooks: %s<alert name in lower case>." % runbook_base,
        "# Every alert but TdxhpExporterDown carries simulated=\"true|false\"",
        "# (from tdxhp_simulated) so simulated exporters can be routed away.",
        "# A split is a boundary split, a demote one page_demote",
        "# (%s)." % VOCABULARY,
        "groups:",
        "  - name: tdxhp-recording",
        "    rules:",
    ]
    for comment, record, expr in RECORDING:
        if comment:
            out.append("      # " + comment)
        out += block("- record", record, 6)
        out += block("expr", expr, 8)
    out += ["", "  - name: tdxhp-alerts", "    rules:"]
    for a in ALERTS:
        out += block("- alert", a["alert"], 6)
        out += block("expr", a["expr"], 8)
        out += ["        for: %s" % a["for"], "        labels:",
                "          severity: %s" % a["severity"],
                "        annotations:"]
        out += block("summary", a["summary"], 10)
        out += block("description", a["description"], 10)
        out += block("runbook_url", runbook_base + a["alert"].lower(), 10)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runbook-base",
                    default=os.environ.get("TDXHP_RUNBOOK_BASE",
                                           DEFAULT_RUNBOOK_BASE),
                    help="runbook_url of an alert: this + its name in lower "
                    "case (default: $TDXHP_RUNBOOK_BASE, else %s)"
                    % DEFAULT_RUNBOOK_BASE)
    ap.add_argument("outdir", nargs="?", default=here,
                    help="where to write (default: next to this script)")
    a = ap.parse_args()
    if "://" not in a.runbook_base:
        sys.exit("generate.py: --runbook-base wants an absolute URL "
                 "(https://...), not '%s': Alertmanager links it as is"
                 % a.runbook_base)
    for board, name in ((fleet(), "tdxhp-fleet.json"),
                        (host(), "tdxhp-host.json"),
                        (td(), "tdxhp-td.json")):
        with open(os.path.join(a.outdir, name), "w") as f:
            json.dump(board.json(), f, indent=2, sort_keys=True)
            f.write("\n")
    with open(os.path.join(a.outdir, "tdxhp-rules.yml"), "w") as f:
        f.write(rules_yaml(a.runbook_base))


if __name__ == "__main__":
    main()
