#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Man pages and --version: every built tool has a page that describes
# exactly the options of its --help (tests/packaging/mancheck.py), every
# page renders with man -l and without a groff warning, and -V/--version
# print the tdxhp and libbpf versions.  docs/packaging.md says how to
# update a page.
. "$(dirname "$0")/../cli/lib.sh"
HERE=$(dirname "$0")
VERSION=$(scripts/version.sh)

tools=()
for t in "$OUT"/tdxhp-*; do
	[ -f "$t" ] && [ -x "$t" ] && tools+=("$(basename "$t")")
done
check "man: found the tools (${tools[*]})" test ${#tools[@]} -ge 4

for t in "${tools[@]}"; do
	page=$OUT/man/$t.8
	if [ ! -f "$page" ]; then
		not_ok "man: $t has a page (man/$t.8)"
		continue
	fi
	ok "man: $t has a page"
	"$OUT/$t" --help >"$TMP/help" 2>&1
	check "man: $t --help exits 0" test $? = 0
	python3 "$HERE/mancheck.py" "$TMP/help" "$page"

	for v in -V --version; do
		"$OUT/$t" "$v" >"$TMP/ver" 2>&1
		rc=$?
		if [ $rc = 0 ] && [ "$(sed -n 1p "$TMP/ver")" = "$t $VERSION" ] &&
			grep -qx 'libbpf v[0-9][0-9.]*' "$TMP/ver"; then
			ok "version: $t $v prints $VERSION and libbpf's"
		else
			not_ok "version: $t $v wants '$t $VERSION' and libbpf's (rc=$rc: $(tr '\n' '|' <"$TMP/ver"); a stale build? run make)"
		fi
	done
done

for page in "$OUT"/man/*.[1-8]; do
	name=$(basename "$page")
	groff -ww -man -Tutf8 -z "$page" >"$TMP/warn" 2>&1
	check "man: groff -ww $name: no warnings" test ! -s "$TMP/warn" ||
		sed 's/^/    /' "$TMP/warn"
	MANWIDTH=80 man --warnings -l "$page" >"$TMP/text" 2>"$TMP/warn"
	rc=$?
	check "man: man -l $name renders (rc=$rc)" test $rc = 0 -a ! -s "$TMP/warn" \
		-a "$(wc -l <"$TMP/text")" -gt 20
	check "man: $name has NAME, DESCRIPTION and SEE ALSO" bash -c \
		"grep -q '^\.SH NAME' $page && grep -q '^\.SH DESCRIPTION' $page &&
		 grep -q '^\.SH SEE ALSO' $page"
	check "man: $name names version $VERSION (else: a stale build, run make)" \
		grep -q "\"tdxhp $VERSION\"" "$page"
done
check "man: tdxhp(7) is built" test -f "$OUT/man/tdxhp.7"
