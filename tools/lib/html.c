// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hist.h"
#include "html.h"
#include "stats.h"
#include "util.h"

#define HTML_BINS 240		/* time columns; bins double in width to fit */
#define HTML_MAX_TDS 32		/* coverage lines drawn; more are counted */
#define HTML_MAX_STORMS 1000

/* The heatmaps: the ops a kernel engineer validates splits with. */
static const int heat_ops[] = {
	TDXHP_H_DEMOTE, TDXHP_H_DEMOTE_BLOCK, TDXHP_H_DEMOTE_TRACK,
	TDXHP_H_DEMOTE_DEMOTE, TDXHP_H_AUG_4K, TDXHP_H_AUG_2M,
	TDXHP_H_REMOVE, TDXHP_H_SPLIT,
};
#define NR_HEAT (int)(sizeof(heat_ops) / sizeof(heat_ops[0]))

struct html_td {
	uint64_t key;
	char name[64];
	uint64_t storms_seen;
	float cov[HTML_BINS];	/* coverage at the bin's end; -1: no sample */
};

struct html_storm {
	uint64_t ts_ns;
	uint64_t gfn;
	int td;			/* index into tds, -1 if not drawn */
};

struct tdxhp_html {
	uint64_t t0_ns;
	uint64_t bin_ns;
	int nbins;
	uint32_t heat[NR_HEAT][HTML_BINS][TDXHP_HIST_SLOTS];
	uint64_t busy_retries[HTML_BINS];	/* page_demote's BUSY retries */
	uint64_t busy_events[HTML_BINS];	/* seamcall_busy events */
	uint64_t ignored[HTML_BINS];		/* fault_split_ignored */
	struct html_td tds[HTML_MAX_TDS];
	int nr_tds;
	uint64_t tds_not_drawn;
	uint64_t not_drawn_keys[64];		/* to count each once */
	struct html_storm storms[HTML_MAX_STORMS];
	int nr_storms;
	uint64_t storms_not_drawn;
};

struct tdxhp_html *tdxhp_html_new(const struct tdxhp_replay *rp)
{
	struct tdxhp_html *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->bin_ns = 1000000; /* 1 ms, doubled as the recording grows */
	return h;
}

void tdxhp_html_free(struct tdxhp_html *h)
{
	free(h);
}

/* Halve the resolution: bin i becomes bins 2i and 2i+1 together. */
static void merge_bins(struct tdxhp_html *h)
{
	for (int i = 0; i < HTML_BINS / 2; i++) {
		int a = 2 * i, b = 2 * i + 1;

		for (int o = 0; o < NR_HEAT; o++)
			for (int s = 0; s < TDXHP_HIST_SLOTS; s++)
				h->heat[o][i][s] = h->heat[o][a][s] + h->heat[o][b][s];
		h->busy_retries[i] = h->busy_retries[a] + h->busy_retries[b];
		h->busy_events[i] = h->busy_events[a] + h->busy_events[b];
		h->ignored[i] = h->ignored[a] + h->ignored[b];
		for (int t = 0; t < h->nr_tds; t++)
			h->tds[t].cov[i] = h->tds[t].cov[b] >= 0 ? h->tds[t].cov[b] :
								   h->tds[t].cov[a];
	}
	for (int i = HTML_BINS / 2; i < HTML_BINS; i++) {
		for (int o = 0; o < NR_HEAT; o++)
			memset(h->heat[o][i], 0, sizeof(h->heat[o][i]));
		h->busy_retries[i] = h->busy_events[i] = h->ignored[i] = 0;
		for (int t = 0; t < h->nr_tds; t++)
			h->tds[t].cov[i] = -1;
	}
	h->bin_ns *= 2;
	h->nbins = (h->nbins + 1) / 2;
}

static int slot_of(uint64_t ns)
{
	int slot = 0;

	while (slot < TDXHP_HIST_SLOTS - 1 && (ns >> (slot + 1)))
		slot++;
	return slot;
}

static void heat(struct tdxhp_html *h, int bin, int hist, uint64_t ns)
{
	for (int o = 0; o < NR_HEAT; o++)
		if (heat_ops[o] == hist && ns)
			h->heat[o][bin][slot_of(ns)]++;
}

static int td_index(struct tdxhp_html *h, const struct tdxhp_replay *rp,
		    const struct tdxhp_rec_event *ev)
{
	uint64_t key = tdxhp_agg_slot_key(ev->slot, ev->gen);
	struct html_td *td;

	for (int i = 0; i < h->nr_tds; i++)
		if (h->tds[i].key == key)
			return i;
	if (h->nr_tds == HTML_MAX_TDS) {
		for (uint64_t i = 0; i < h->tds_not_drawn && i < 64; i++)
			if (h->not_drawn_keys[i] == key)
				return -1;
		if (h->tds_not_drawn < 64)
			h->not_drawn_keys[h->tds_not_drawn] = key;
		h->tds_not_drawn++;
		return -1;
	}
	td = &h->tds[h->nr_tds];
	td->key = key;
	snprintf(td->name, sizeof(td->name), "%s",
		 tdxhp_replay_name(rp, ev->slot, ev->gen));
	for (int i = 0; i < HTML_BINS; i++)
		td->cov[i] = -1;
	return h->nr_tds++;
}

int tdxhp_html_add(struct tdxhp_html *h, const struct tdxhp_replay *rp,
		   const struct tdxhp_rec_event *ev)
{
	double cov;
	const struct tdxhp_agg_td *atd;
	uint64_t rel;
	int bin, t;

	if (!h->nbins)
		h->t0_ns = ev->ts_ns;
	rel = ev->ts_ns > h->t0_ns ? ev->ts_ns - h->t0_ns : 0;
	while (rel / h->bin_ns >= HTML_BINS)
		merge_bins(h);
	bin = (int)(rel / h->bin_ns);
	if (bin + 1 > h->nbins)
		h->nbins = bin + 1;

	switch (ev->type) {
	case TDXHP_EV_PAGE_AUG:
		heat(h, bin, ev->level == TDXHP_LEVEL_2M ? TDXHP_H_AUG_2M :
			     ev->level == TDXHP_LEVEL_4K ? TDXHP_H_AUG_4K : -1,
		     ev->duration_ns);
		break;
	case TDXHP_EV_PAGE_REMOVE:
		heat(h, bin, TDXHP_H_REMOVE, ev->duration_ns);
		break;
	case TDXHP_EV_PAGE_DEMOTE:
		heat(h, bin, TDXHP_H_DEMOTE, ev->block_ns + ev->track_ns + ev->demote_ns);
		heat(h, bin, TDXHP_H_DEMOTE_BLOCK, ev->block_ns);
		heat(h, bin, TDXHP_H_DEMOTE_TRACK, ev->track_ns);
		heat(h, bin, TDXHP_H_DEMOTE_DEMOTE, ev->demote_ns);
		h->busy_retries[bin] += ev->busy_retries;
		break;
	case TDXHP_EV_BOUNDARY_SPLIT:
		heat(h, bin, TDXHP_H_SPLIT, ev->duration_ns);
		break;
	case TDXHP_EV_SEAMCALL_BUSY:
		h->busy_events[bin]++;
		break;
	case TDXHP_EV_FAULT_SPLIT_IGNORED:
		h->ignored[bin]++;
		break;
	}
	if (ev->type == TDXHP_EV_TD_TEARDOWN)
		return 0;
	atd = tdxhp_agg_find(&rp->agg, tdxhp_agg_slot_key(ev->slot, ev->gen));
	t = td_index(h, rp, ev);
	if (!atd || t < 0)
		return 0;
	cov = tdxhp_huge_coverage(&atd->st);
	if (cov >= 0) /* unknown coverage is no point on the line */
		h->tds[t].cov[bin] = (float)cov;
	if (atd->st.counters[TDXHP_C_STORM] > h->tds[t].storms_seen) {
		h->tds[t].storms_seen = atd->st.counters[TDXHP_C_STORM];
		if (h->nr_storms < HTML_MAX_STORMS) {
			h->storms[h->nr_storms].ts_ns = ev->ts_ns;
			h->storms[h->nr_storms].gfn = ev->gfn;
			h->storms[h->nr_storms++].td = t;
		} else {
			h->storms_not_drawn++;
		}
	}
	return 0;
}

static void write_meta(struct tdxhp_json *w, const struct tdxhp_replay *rp)
{
	const struct tdxhp_rec_header *hd = &rp->rd.h;
	static const char na[] = "not recorded (version 1)";
	bool v2 = hd->version >= 2;
	char buf[64];

	tdxhp_json_name(w, "meta");
	tdxhp_json_object_start(w);
	tdxhp_json_kv_string(w, "file", rp->path);
	tdxhp_json_kv_string(w, "source", hd->source);
	tdxhp_json_kv_bool(w, "simulated", hd->flags & TDXHP_REC_F_SIMULATED);
	tdxhp_json_kv_u64(w, "format_version", hd->version);
	if (v2) {
		tdxhp_json_kv_string(w, "started", hd->start_time);
	} else {
		tdxhp_rec_utc(hd, hd->start_mono_ns, buf, sizeof(buf));
		tdxhp_json_kv_string(w, "started", buf);
	}
	tdxhp_json_kv_string(w, "kernel", v2 ? hd->kernel_release : na);
	tdxhp_json_kv_string(w, "host", v2 ? hd->hostname : na);
	tdxhp_json_kv_string(w, "tdxhp_version", v2 ? hd->tdxhp_version : na);
	tdxhp_json_kv_string(w, "command", v2 ? hd->command_line : na);
	tdxhp_json_kv_u64(w, "storm_hits", rp->agg.storm_hits);
	tdxhp_json_kv_u64(w, "storm_window_ns", rp->agg.storm_window_ns);
	tdxhp_json_name(w, "event_sources");
	tdxhp_json_object_start(w);
	for (int ev = 0; ev < TDXHP_NR_EVENTS; ev++)
		tdxhp_json_kv_string(w, tdxhp_event_name(ev),
				     tdxhp_rec_event_source(hd, ev));
	tdxhp_json_object_end(w);
	tdxhp_json_kv_u64(w, "events", rp->rd.events);
	tdxhp_json_kv_u64(w, "lost", rp->lost);
	tdxhp_json_kv_decimal(w, "span_s", tdxhp_replay_span_s(rp), 6);
	tdxhp_json_kv_string(w, "complete",
			     !rp->status ? "yes" :
			     rp->rd.damage == TDXHP_REC_CUT ? "no: cut short" :
							      "no: corrupt");
	if (rp->status)
		tdxhp_json_kv_string(w, "damage", rp->rd.err);
	tdxhp_json_object_end(w);
}

/* Host-wide histograms per op, for the comparison table. */
static void write_totals(struct tdxhp_json *w, const struct tdxhp_replay *rp)
{
	struct tdxhp_td_stats tot = rp->agg.retired;
	struct tdxhp_minmax mm[TDXHP_NR_HISTS];

	for (unsigned int i = 0; i < rp->agg.nr_tds; i++)
		if (rp->agg.tds[i].alive)
			tdxhp_td_stats_add(&tot, &rp->agg.tds[i].st);
	tdxhp_replay_host_minmax(rp, mm);
	tdxhp_json_name(w, "totals");
	tdxhp_json_object_start(w);
	for (int h = 0; h < TDXHP_NR_HISTS; h++) {
		struct tdxhp_hist_extremes x;

		if (!tdxhp_hist_count(&tot.hist[h]))
			continue;
		tdxhp_hist_extremes(&tot.hist[h], true, mm[h].min_ns,
				    mm[h].max_ns, &x);
		tdxhp_json_name(w, tdxhp_hist_name(h));
		tdxhp_hist_json(w, &tot.hist[h], &x);
	}
	tdxhp_json_object_end(w);
}

static void write_bins(struct tdxhp_json *w, const char *name,
		       const uint64_t *v, int n)
{
	tdxhp_json_name(w, name);
	tdxhp_json_array_start(w);
	for (int b = 0; b < n; b++)
		tdxhp_json_u64(w, v[b]);
	tdxhp_json_array_end(w);
}

static void write_run(struct tdxhp_json *w, const struct tdxhp_html *h,
		      const struct tdxhp_replay *rp)
{
	tdxhp_json_object_start(w);
	write_meta(w, rp);
	tdxhp_json_kv_u64(w, "bin_ns", h->bin_ns);
	tdxhp_json_kv_s64(w, "nbins", h->nbins);
	tdxhp_json_kv_u64(w, "tds_not_drawn", h->tds_not_drawn);
	tdxhp_json_kv_u64(w, "storms_not_drawn", h->storms_not_drawn);
	tdxhp_json_name(w, "coverage");
	tdxhp_json_array_start(w);
	for (int t = 0; t < h->nr_tds; t++) {
		tdxhp_json_object_start(w);
		tdxhp_json_kv_string(w, "td", h->tds[t].name);
		tdxhp_json_name(w, "v");
		tdxhp_json_array_start(w);
		for (int b = 0; b < h->nbins; b++) {
			if (h->tds[t].cov[b] < 0)
				tdxhp_json_null(w);
			else
				tdxhp_json_decimal(w, h->tds[t].cov[b], 4);
		}
		tdxhp_json_array_end(w);
		tdxhp_json_object_end(w);
	}
	tdxhp_json_array_end(w);
	tdxhp_json_name(w, "heat");
	tdxhp_json_object_start(w);
	for (int o = 0; o < NR_HEAT; o++) {
		tdxhp_json_name(w, tdxhp_hist_name(heat_ops[o]));
		tdxhp_json_array_start(w);
		for (int b = 0; b < h->nbins; b++)
			for (int s = 0; s < TDXHP_HIST_SLOTS; s++) {
				if (!h->heat[o][b][s])
					continue;
				tdxhp_json_array_start(w);
				tdxhp_json_s64(w, b);
				tdxhp_json_s64(w, s);
				tdxhp_json_u64(w, h->heat[o][b][s]);
				tdxhp_json_array_end(w);
			}
		tdxhp_json_array_end(w);
	}
	tdxhp_json_object_end(w);
	write_bins(w, "busy_retries", h->busy_retries, h->nbins);
	write_bins(w, "busy_events", h->busy_events, h->nbins);
	write_bins(w, "ignored", h->ignored, h->nbins);
	tdxhp_json_name(w, "storms");
	tdxhp_json_array_start(w);
	for (int i = 0; i < h->nr_storms; i++) {
		const struct html_storm *st = &h->storms[i];

		tdxhp_json_object_start(w);
		tdxhp_json_kv_decimal(w, "t_s",
				      (double)(st->ts_ns - h->t0_ns) / 1e9, 6);
		tdxhp_json_kv_u64(w, "gfn", st->gfn);
		tdxhp_json_kv_string(w, "td",
				     st->td >= 0 ? h->tds[st->td].name : "?");
		tdxhp_json_object_end(w);
	}
	tdxhp_json_array_end(w);
	write_totals(w, rp);
	tdxhp_json_object_end(w);
}

/*
 * The data as JSON that is safe inside <script>: "</" never appears
 * ('<' is only ever inside strings, where \u003c means the same).
 */
static int write_data(FILE *f, struct tdxhp_html *const *runs,
		      const struct tdxhp_replay *const *rps, int n)
{
	struct tdxhp_json w;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return -ENOMEM;
	tdxhp_json_init(&w, m, false);
	tdxhp_json_object_start(&w);
	tdxhp_json_name(&w, "runs");
	tdxhp_json_array_start(&w);
	for (int i = 0; i < n; i++)
		write_run(&w, runs[i], rps[i]);
	tdxhp_json_array_end(&w);
	tdxhp_json_object_end(&w);
	if (fclose(m)) {
		free(buf);
		return -ENOMEM;
	}
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '<')
			fputs("\\u003c", f);
		else
			fputc(buf[i], f);
	}
	free(buf);
	return 0;
}

/* The page around the data: styles and the script that draws it. */
static const char page_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<title>tdxhp recording</title>\n<style>\n"
	"body{font:13px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fff}\n"
	"h1{font-size:18px;margin:0 0 8px}h2{font-size:15px;margin:18px 0 4px}\n"
	"table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left;font-variant-numeric:tabular-nums}\n"
	".sim{background:#b00;color:#fff;padding:4px 8px;font-weight:bold;display:inline-block}\n"
	".runs{display:flex;gap:24px;flex-wrap:wrap}.run{flex:1;min-width:560px}\n"
	".heats{display:flex;flex-wrap:wrap;gap:8px}\n"
	"svg{background:#fafafa;border:1px solid #ccc}text{font-size:10px;fill:#444}\n"
	".worse{color:#b00}.better{color:#070}.noise{color:#888}\n"
	"</style></head><body>\n";

static const char page_script[] =
	"<script>\n"
	"(function(){\n"
	"var NS='http://www.w3.org/2000/svg';\n"
	"var data=JSON.parse(document.getElementById('tdxhp-data').textContent);\n"
	"function el(tag,attrs,parent,text){var e=document.createElementNS(NS,tag);"
	"for(var k in attrs)e.setAttribute(k,attrs[k]);if(text!==undefined)e.textContent=text;"
	"if(parent)parent.appendChild(e);return e;}\n"
	"function h(tag,parent,text,attrs){var e=document.createElement(tag);"
	"if(text!==undefined)e.textContent=text;for(var k in attrs||{})e.setAttribute(k,attrs[k]);"
	"parent.appendChild(e);return e;}\n"
	"function fmtns(ns){if(!(ns>0))return '-';if(ns>=1e9)return (ns/1e9).toFixed(2)+'s';"
	"if(ns>=1e6)return (ns/1e6).toFixed(2)+'ms';if(ns>=1e3)return (ns/1e3).toFixed(1)+'us';"
	"return Math.round(ns)+'ns';}\n"
	"var COLORS=['#1f77b4','#ff7f0e','#2ca02c','#d62728','#9467bd','#8c564b','#e377c2','#7f7f7f','#bcbd22','#17becf'];\n"
	"var W=560,L=44,R=8;\n"
	"function xaxis(svg,run,y){var span=run.nbins*run.bin_ns/1e9;"
	"el('line',{x1:L,x2:W-R,y1:y,y2:y,stroke:'#999'},svg);"
	"for(var i=0;i<=4;i++){var x=L+(W-L-R)*i/4;el('text',{x:x,y:y+12,'text-anchor':i==0?'start':i==4?'end':'middle'},svg,(span*i/4).toFixed(span<10?2:0)+'s');}}\n"
	"function xOf(run,b){return L+(W-L-R)*b/Math.max(run.nbins,1);}\n"
	"function coverage(run,ri,parent){var H=180,svg=el('svg',{id:'coverage-'+ri,width:W,height:H+20,"
	"'data-series':run.coverage.length},parent);"
	"for(var p=0;p<=4;p++){var y=10+(H-20)*(1-p/4);el('text',{x:4,y:y+3},svg,(p*25)+'%');"
	"el('line',{x1:L,x2:W-R,y1:y,y2:y,stroke:'#eee'},svg);}\n"
	"run.coverage.forEach(function(td,i){var pts=[],last=null;for(var b=0;b<run.nbins;b++){"
	"var v=td.v[b];if(v===null||v===undefined)v=last;if(v===null)continue;last=v;"
	"pts.push(xOf(run,b+1).toFixed(1)+','+(10+(H-20)*(1-v)).toFixed(1));}"
	"var pl=el('polyline',{id:'cov-'+ri+'-'+i,'class':'cov-series','data-td':td.td,points:pts.join(' '),"
	"fill:'none',stroke:COLORS[i%COLORS.length],'stroke-width':1.5},svg);"
	"el('title',{},pl,td.td);"
	"el('text',{x:W-R-120,y:14+11*i,style:'fill:'+COLORS[i%COLORS.length]},svg,td.td);});\n"
	"xaxis(svg,run,H-10);"
	"if(run.tds_not_drawn)h('p',parent,run.tds_not_drawn+' more TDs not drawn');}\n"
	"function heatmap(run,ri,op,parent){var cells=run.heat[op]||[];var H=150;"
	"var lo=32,hi=0;cells.forEach(function(c){lo=Math.min(lo,c[1]);hi=Math.max(hi,c[1]);});"
	"if(!cells.length){lo=10;hi=20;}var rows=hi-lo+1,rh=(H-20)/rows,max=1;"
	"cells.forEach(function(c){max=Math.max(max,c[2]);});"
	"var box=h('div',parent);h('div',box,op+' ('+cells.reduce(function(a,c){return a+c[2];},0)+' samples)');"
	"var svg=el('svg',{id:'heat-'+op+'-'+ri,'class':'heat','data-op':op,'data-cells':cells.length,width:W/2+40,height:H+10},box);"
	"var cw=(W/2+40-L-R)/Math.max(run.nbins,1);"
	"cells.forEach(function(c){var t=Math.log(1+c[2])/Math.log(1+max);"
	"var r=el('rect',{x:L+c[0]*cw,y:10+(hi-c[1])*rh,width:Math.max(cw,1),height:rh,"
	"fill:'rgb('+Math.round(255-t*200)+','+Math.round(255-t*120)+','+Math.round(255-t*30)+')'},svg);"
	"el('title',{},r,c[2]+' in ['+fmtns(Math.pow(2,c[1]))+', '+fmtns(Math.pow(2,c[1]+1))+')');});"
	"for(var s=lo;s<=hi;s+=Math.max(1,Math.ceil(rows/5)))"
	"el('text',{x:2,y:10+(hi-s+0.7)*rh},svg,fmtns(Math.pow(2,s)));}\n"
	"function timeline(run,ri,parent){var H=120,svg=el('svg',{id:'timeline-'+ri,width:W,height:H+20},parent);"
	"var max=1;for(var b=0;b<run.nbins;b++)max=Math.max(max,run.busy_retries[b]+run.busy_events[b],run.ignored[b]);"
	"var g=el('g',{id:'busy-'+ri,'data-total':run.busy_retries.reduce(function(a,v){return a+v;},0)+"
	"run.busy_events.reduce(function(a,v){return a+v;},0)},svg);"
	"var bw=(W-L-R)/Math.max(run.nbins,1);"
	"for(var b=0;b<run.nbins;b++){var v=run.busy_retries[b]+run.busy_events[b];if(!v)continue;"
	"el('rect',{x:xOf(run,b),y:10+(H-20)*(1-v/max),width:Math.max(bw,1),height:(H-20)*v/max,fill:'#e08030'},g);}"
	"var pts=[];for(var b=0;b<run.nbins;b++)pts.push(xOf(run,b+0.5).toFixed(1)+','+(10+(H-20)*(1-run.ignored[b]/max)).toFixed(1));"
	"el('polyline',{id:'ignored-'+ri,points:pts.join(' '),fill:'none',stroke:'#555','stroke-dasharray':'3,2'},svg);"
	"var sg=el('g',{id:'storms-'+ri,'data-count':run.storms.length},svg);"
	"var span=run.nbins*run.bin_ns/1e9||1;"
	"run.storms.forEach(function(s){var x=L+(W-L-R)*s.t_s/span;"
	"var c=el('circle',{'class':'storm',cx:x,cy:14,r:4,fill:'#c00','data-td':s.td,'data-gfn':s.gfn},sg);"
	"el('title',{},c,'storm: '+s.td+' gfn 0x'+s.gfn.toString(16));});"
	"el('text',{x:L,y:H+18},svg,'bars: BUSY retries + seamcall_busy per bin; dashed: ignored fault splits; red dots: storms');"
	"xaxis(svg,run,H-10);}\n"
	"function metaTable(run,ri,parent){var t=h('table',parent,undefined,{id:'meta-'+ri});var m=run.meta;"
	"[['file',m.file],['simulated',m.simulated?'yes':'no'],['source',m.source],['started (UTC)',m.started],"
	"['kernel',m.kernel],['host',m.host],['tdxhp version',m.tdxhp_version],['command',m.command],"
	"['events',m.events+' over '+m.span_s.toFixed(3)+' s, '+m.lost+' lost'],['complete',m.complete+(m.damage?' ('+m.damage+')':'')],"
	"['storm detector',m.storm_hits+' hits in '+fmtns(m.storm_window_ns)],"
	"['event sources',Object.keys(m.event_sources).map(function(k){return k+'='+m.event_sources[k];}).join(' ')]]"
	".forEach(function(r){var tr=h('tr',t);h('th',tr,r[0]);h('td',tr,String(r[1]));});}\n"
	"function q(hist,qq){var n=hist.count;if(!n)return 0;return qq==0.5?hist.p50_ns:hist.p99_ns;}\n"
	"function diffTable(a,b,parent){h('h2',parent,'Before and after (host-wide)');"
	"var t=h('table',parent,undefined,{id:'diff'});var hr=h('tr',t);"
	"['op','stat','before','after','change'].forEach(function(x){h('th',hr,x);});"
	"var ops={};Object.keys(a.totals).concat(Object.keys(b.totals)).forEach(function(k){ops[k]=1;});"
	"Object.keys(ops).forEach(function(op){var x=a.totals[op]||{count:0},y=b.totals[op]||{count:0};"
	"[['count','count',false],['min','min_ns',true],['p50','p50_ns',true],['p99','p99_ns',true],['max','max_ns',true],['avg','avg_ns',true]]"
	".forEach(function(s){var va=x[s[1]]||0,vb=y[s[1]]||0;var tr=h('tr',t,undefined,{'data-op':op,'data-stat':s[0]});"
	"h('td',tr,op);h('td',tr,s[0]);h('td',tr,s[2]?fmtns(va):String(va));h('td',tr,s[2]?fmtns(vb):String(vb));"
	"var ch=va?((vb-va)/va*100):0;h('td',tr,va?((ch>=0?'+':'')+ch.toFixed(1)+'%'):'-',"
	"{'class':(x.count<20||y.count<20)?'noise':(ch>0&&s[2]?'worse':'better')});});});"
	"h('p',parent,'Grey: fewer than 20 samples on a side; see tdxhp-hist --diff for the significance of each change.');}\n"
	"var root=document.getElementById('runs');\n"
	"data.runs.forEach(function(run,ri){var d=h('div',root,undefined,{'class':'run',id:'run-'+ri});"
	"h('h1',d,(data.runs.length>1?(ri?'After: ':'Before: '):'tdxhp recording: ')+run.meta.file);"
	"if(run.meta.simulated)h('div',d,'SIMULATED DATA ('+run.meta.source+'): no TDX host was traced',{'class':'sim'});"
	"metaTable(run,ri,d);"
	"h('h2',d,'2M coverage per TD over time');coverage(run,ri,d);"
	"h('h2',d,'Latency heatmaps over time (rows: log2 ns buckets; darker: more)');"
	"var hs=h('div',d,undefined,{'class':'heats'});"
	"['demote','demote-block','demote-track','demote-demote','aug-4k','aug-2m','remove','split'].forEach(function(op){heatmap(run,ri,op,hs);});"
	"h('h2',d,'BUSY retries, ignored fault splits and storms');timeline(run,ri,d);});\n"
	"if(data.runs.length==2)diffTable(data.runs[0],data.runs[1],document.getElementById('compare'));\n"
	"document.body.setAttribute('data-rendered','yes');\n"
	"})();\n</script>\n";

int tdxhp_html_write(const char *path, struct tdxhp_html *const *runs,
		     const struct tdxhp_replay *const *rps, int n)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	fputs(page_head, f);
	fputs("<div id=\"compare\"></div><div class=\"runs\" id=\"runs\"></div>\n", f);
	fputs("<script type=\"application/json\" id=\"tdxhp-data\">", f);
	err = write_data(f, runs, rps, n);
	fputs("</script>\n", f);
	fputs(page_script, f);
	fputs("</body></html>\n", f);
	errno = 0;
	if (!err && (fflush(f) || ferror(f)))
		err = errno ? -errno : -EIO;
	if (fclose(f) && !err)
		err = errno ? -errno : -EIO;
	return err;
}
