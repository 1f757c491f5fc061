#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# bash completion (completion/tdxhp) against the built tools: every tool is
# registered, every --help option completes, and each value list (scenarios,
# ops, events, sort columns) holds only values the tool accepts.
. "$(dirname "$0")/../cli/lib.sh"
C="bash $(dirname "$0")/complete.sh"

if [ ! -f /usr/share/bash-completion/bash_completion ]; then
	not_ok "completion: bash-completion is installed (scripts/install-deps.sh)"
	exit 0
fi

tools=()
for t in "$OUT"/tdxhp-*; do
	[ -f "$t" ] && [ -x "$t" ] && tools+=("$(basename "$t")")
done

# complete NAME LINE: the candidates, sorted, into $TMP/c
complete_to() { $C "$1" 2>&1 | sort -u >"$TMP/c"; }

for t in "${tools[@]}"; do
	T=$OUT/$t
	check "completion: $t is registered (complete -F line of completion/tdxhp)" \
		bash -c ". /usr/share/bash-completion/bash_completion && . completion/tdxhp &&
			complete -p $t >/dev/null"
	complete_to "$T -"
	"$T" --help 2>/dev/null | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
		grep -oE -- '(^|[ ,])--?[A-Za-z0-9][a-z0-9.-]*' |
		sed -E 's/^[ ,]//' | sort -u >"$TMP/want"
	missing=$(comm -23 "$TMP/want" "$TMP/c" | tr '\n' ' ')
	check "completion: $t: every --help option completes${missing:+ (missing: $missing)}" \
		test -z "$missing" -a -s "$TMP/want"

	# Tools whose --simulate takes a scenario list them.
	"$T" --help 2>/dev/null | grep -q '^Scenarios:' || continue
	complete_to "$T --simulate="
	check "completion: $t --simulate= gives the scenarios" \
		bash -c "tr '\n' ' ' <$TMP/c | grep -qx 'churn convert steady storm '"
	# Each value must be accepted: the tool checks it before --help.
	while read -r s; do
		"$T" --simulate="$s" --help >/dev/null 2>&1 ||
			not_ok "completion: $t refuses scenario '$s'"
	done <"$TMP/c"
done

# values_ok NAME OPT LINE: every candidate of LINE is accepted by OPT.
values_ok() {
	local name=$1 tool=$2 opt=$3 line=$4 bad=() n=0
	complete_to "$line"
	while read -r v; do
		n=$((n + 1))
		"$tool" "$opt" "$v" --help >/dev/null 2>&1 || bad+=("$v")
	done <"$TMP/c"
	check "completion: $name ($n values${bad:+, refused: ${bad[*]}})" \
		test "$n" -gt 2 -a ${#bad[@]} = 0
}
values_ok "hist --ops: ops" "$OUT/tdxhp-hist" --ops "$OUT/tdxhp-hist --ops "
complete_to "$OUT/tdxhp-hist --ops=add,aug-"
check "completion: hist --ops completes after a comma" \
	bash -c "tr '\n' ' ' <$TMP/c | grep -qx 'add,aug-2m add,aug-4k '"
values_ok "trace -e: events" "$OUT/tdxhp-trace" -e "$OUT/tdxhp-trace -e "
values_ok "top -s: columns" "$OUT/tdxhp-top" -s "$OUT/tdxhp-top -s "
values_ok "exporter --log.level: levels" "$OUT/tdxhp-exporter" --log.level "$OUT/tdxhp-exporter --log.level "
complete_to "$OUT/tdxhp-exporter --log.format "
check "completion: exporter --log.format gives json and logfmt" \
	bash -c "tr '\n' ' ' <$TMP/c | grep -qx 'json logfmt '"
complete_to "$OUT/tdxhp-trace -l "
check "completion: trace -l gives the levels" \
	bash -c "tr '\n' ' ' <$TMP/c | grep -qx '1G 2M 4K '"

# Recording files for -r, any file for -w, YAML for the web config.
mkdir -p "$TMP/d/sub"
touch "$TMP/d/host.tdxhp" "$TMP/d/notes.txt" "$TMP/d/web.yml"
complete_to "$OUT/tdxhp-trace -r $TMP/d/"
check "completion: trace -r offers recordings and directories" \
	bash -c "grep -qx '$TMP/d/host.tdxhp' $TMP/c && grep -qx '$TMP/d/sub' $TMP/c &&
		! grep -q notes.txt $TMP/c"
complete_to "$OUT/tdxhp-trace --write $TMP/d/n"
check "completion: trace --write offers any file" grep -qx "$TMP/d/notes.txt" "$TMP/c"
complete_to "$OUT/tdxhp-exporter --web.config.file $TMP/d/"
check "completion: exporter --web.config.file offers YAML" \
	bash -c "grep -qx '$TMP/d/web.yml' $TMP/c && ! grep -q notes.txt $TMP/c"
complete_to "$OUT/tdxhp-exporter --runas roo"
check "completion: exporter --runas offers users" grep -qx root "$TMP/c"

if [ -x "$OUT/tdxhp-load" ]; then
	complete_to "$OUT/tdxhp-load --source="
	check "completion: load --source= gives the sources" \
		bash -c "tr '\n' ' ' <$TMP/c | grep -qx 'auto seamcall tracepoint '"
	complete_to "$OUT/tdxhp-load --pin-dir $TMP/d/"
	check "completion: load --pin-dir offers directories" \
		bash -c "grep -qx '$TMP/d/sub' $TMP/c && ! grep -q notes $TMP/c"
elif [ -f tools/tdxhp-load.c ]; then
	not_ok "completion: tdxhp-load is built ($OUT/tdxhp-load)"
else
	echo "note: tools/tdxhp-load.c is not in this tree yet: its completion is not checked"
fi
