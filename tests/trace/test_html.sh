#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# tdxhp-trace --html and tdxhp-hist --diff --html in a real browser:
# headless Chromium loads each page from disk with networking off, the DOM
# it rendered must hold the expected series, and a screenshot is taken
# (kept in $OUT/test-artifacts/ for people to look at).
. "$(dirname "$0")/../cli/lib.sh"
T=$OUT/tdxhp-trace
H=$OUT/tdxhp-hist
D=$(dirname "$0")
ART=$OUT/test-artifacts
mkdir -p "$ART"
python3 "$D/make_doc_recording.py" "$TMP"

if ! command -v chromium >/dev/null; then
	echo "not ok html: chromium is not installed (scripts/install-deps.sh)"
	exit 0
fi
# chrome PAGE MODE OUT: a fresh profile each time, nothing from the network.
chrome() {
	local prof
	prof=$(mktemp -d "$TMP/chrome.XXXXXX")
	timeout 90 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --disable-extensions \
		--user-data-dir="$prof" --hide-scrollbars --window-size=1300,1900 \
		"$2" "file://$1" >"$3" 2>"$TMP/chrome.err"
}

"$T" -r "$TMP/doc.tdxhp" -q --html "$TMP/doc.html" 2>/dev/null
check "html: --html writes the page" test -s "$TMP/doc.html"
check "html: self-contained: no external script, style, font or link" python3 - "$TMP/doc.html" <<'PY'
import re, sys
page = open(sys.argv[1]).read()
assert not re.search(r'<script[^>]+src|<link|<img|<iframe|@import|url\(|@font-face', page, re.I)
# the only URL is the SVG namespace name, which is never fetched
assert set(re.findall(r'https?://[^\'" ]+', page)) <= {"http://www.w3.org/2000/svg"}
PY
chrome "$TMP/doc.html" --dump-dom "$TMP/doc.dom"
check "html: Chromium ran the page's script" grep -q 'data-rendered="yes"' "$TMP/doc.dom"
check "html: the DOM has the expected series" python3 - "$TMP/doc.dom" <<'PY'
import re, sys
dom = open(sys.argv[1]).read()
def attr(id_, name):
    m = re.search(r'<[^>]*\bid="%s"[^>]*>' % re.escape(id_), dom)
    assert m, id_
    v = re.search(r'\b%s="([^"]*)"' % name, m.group(0))
    return v.group(1) if v else None
# per-TD 2M coverage: one line per TD that mapped memory, named
tds = set(re.findall(r'class="cov-series" data-td="([^"]+)"', dom))
assert {"doc-a"} <= tds, tds
assert attr("cov-0-0", "points").count(",") >= 2
# heatmaps over time: demote and its phases, aug, remove, split
for op, cells in (("demote", 1), ("demote-block", 1), ("demote-track", 1),
                  ("demote-demote", 1), ("aug-2m", 1), ("aug-4k", 1),
                  ("remove", 1), ("split", 2)):
    assert int(attr("heat-%s-0" % op, "data-cells")) >= cells, op
assert dom.count("<rect") >= 9
# storms and BUSY retries on the same timeline
assert attr("storms-0", "data-count") == "1"
assert re.search(r'class="storm"[^>]*data-td="doc-b"[^>]*data-gfn="4660"', dom)
assert attr("busy-0", "data-total") == "5"   # 3 demote retries + 2 seamcall_busy
assert re.search(r'<svg[^>]*id="timeline-0"', dom)
# the recording's metadata
meta = dom[dom.index('id="meta-0"'):]
for want in ("6.99.0-doc", "docbox", "doc-writer-1", "2023-11-14T22:13:21.000000Z", "tracepoint"):
    assert want in meta[:4000], want
PY
chrome "$TMP/doc.html" --screenshot="$ART/doc.png" "$TMP/shot.out"
check "html: screenshot taken" test -s "$ART/doc.png"

"$H" --diff "$TMP/diff-before.tdxhp" "$TMP/diff-after.tdxhp" --html "$TMP/diff.html" >/dev/null 2>&1
check "html: --diff writes a page of both runs" test -s "$TMP/diff.html"
chrome "$TMP/diff.html" --dump-dom "$TMP/diff.dom"
check "html: the diff page shows both runs and the change" python3 - "$TMP/diff.dom" <<'PY'
import re, sys
dom = open(sys.argv[1]).read()
assert 'id="run-0"' in dom and 'id="run-1"' in dom
assert 'id="heat-aug-2m-0"' in dom and 'id="heat-aug-2m-1"' in dom
row = re.search(r'<tr data-op="aug-2m" data-stat="p99">(.*?)</tr>', dom).group(1)
assert "+50." in row, row
PY
chrome "$TMP/diff.html" --screenshot="$ART/diff.png" "$TMP/shot.out"
check "html: diff screenshot taken" test -s "$ART/diff.png"
# A TD name that tries to end the script: it stays text.
python3 - "$TMP/evil.tdxhp" "$D" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import tdxhp_rec as R
name = '</script><img src=x onerror=alert(1)>'
f = [R.td(1, 1, name), R.event(10**9, "td_init", 1, 1, pid=5),
     R.event(10**9 + 5, "page_aug", 1, 1, pid=5, level=2, duration_ns=5000)]
open(sys.argv[1], "wb").write(R.header() + b"".join(f) + R.end(2))
PY
"$T" -r "$TMP/evil.tdxhp" -q --html "$TMP/evil.html" 2>/dev/null
chrome "$TMP/evil.html" --dump-dom "$TMP/evil.dom"
check "html: a TD name with markup stays text" bash -c \
	"grep -q 'data-rendered=\"yes\"' '$TMP/evil.dom' && ! grep -q '<img' '$TMP/evil.dom' && grep -q 'data-td=\"&lt;/script&gt;&lt;img' '$TMP/evil.dom'"
bad_input "html: --html without -r" 2 "$T" --html "$TMP/x.html"
bad_input "html: --diff --html of a JSON run" 1 "$H" --diff "$TMP/diff.dom" "$TMP/diff-after.tdxhp" --html "$TMP/y.html"

if ! can_bpf; then
	echo "skip html: a simulated recording needs root and BPF"
	exit 0
fi
"$T" --simulate=convert --sim-ticks 1500 -q -w "$TMP/conv.tdxhp" 2>/dev/null
"$T" -r "$TMP/conv.tdxhp" -q --html "$TMP/conv.html" 2>/dev/null
chrome "$TMP/conv.html" --dump-dom "$TMP/conv.dom"
check "html: a simulated recording says so on the page" grep -q 'SIMULATED DATA (scenario convert, seed 1)' "$TMP/conv.dom"
check "html: ... with 4 TDs' coverage and BUSY retries" python3 - "$TMP/conv.dom" <<'PY'
import re, sys
dom = open(sys.argv[1]).read()
assert len(set(re.findall(r'class="cov-series" data-td="([^"]+)"', dom))) == 4
assert int(re.search(r'id="busy-0" data-total="(\d+)"', dom).group(1)) > 0
PY
chrome "$TMP/conv.html" --screenshot="$ART/convert.png" "$TMP/shot.out"
check "html: simulated screenshot taken" test -s "$ART/convert.png"
