#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# `make install` / `make uninstall` with PREFIX and DESTDIR, and where the
# version comes from (scripts/version.sh): tags, BASE_VERSION, a tarball's
# VERSION file.
. "$(dirname "$0")/../cli/lib.sh"

D=$TMP/root
P=/opt/tdxhp
make -s --no-print-directory install OUTPUT="$OUT" DESTDIR="$D" PREFIX="$P" \
	>"$TMP/log" 2>&1
check "install: make install DESTDIR PREFIX (rc=$?)" test -d "$D$P" ||
	tail -n 20 "$TMP/log"
for t in "$OUT"/tdxhp-*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	t=$(basename "$t")
	check "install: $t in sbin, its page in man8, its completion" bash -c \
		"test -x $D$P/sbin/$t && test -f $D$P/share/man/man8/$t.8 &&
		 test \"\$(readlink $D$P/share/bash-completion/completions/$t)\" = tdxhp"
done
check "install: tdxhp(7)" test -f "$D$P/share/man/man7/tdxhp.7"
check "install: the units run the tools from PREFIX" bash -c \
	"grep -qx 'ExecStart=$P/sbin/tdxhp-exporter --runas tdxhp --web.systemd-socket \$ARGS' \
		$D$P/lib/systemd/system/tdxhp-exporter.service &&
	 grep -qx 'ListenStream=9067' $D$P/lib/systemd/system/tdxhp-exporter.socket &&
	 grep -qx 'ExecStop=$P/sbin/tdxhp-load --unload' $D$P/lib/systemd/system/tdxhp.service &&
	 ! grep -q /usr/local $D$P/lib/systemd/system/*.service $D$P/lib/systemd/system/*.socket"
check "install: the sysusers.d entry for the exporter's user" \
	grep -q '^u tdxhp ' "$D$P/lib/sysusers.d/tdxhp.conf"
check "install: dashboards, rules and docs" bash -c \
	"test -f $D$P/share/tdxhp/dashboards/tdxhp-rules.yml &&
	 test -f $D$P/share/doc/tdxhp/README.md"
check "install: generate.py with them, so operators can set their runbook base" bash -c \
	"python3 $D$P/share/tdxhp/dashboards/generate.py --runbook-base https://wiki.example.com/ '$TMP' &&
	 grep -q 'runbook_url: \"https://wiki.example.com/tdxhpexporterdown\"' '$TMP/tdxhp-rules.yml'"
check "install: the JSON schemas, beside the docs" \
	test -f "$D$P/share/doc/tdxhp/schema/tdxhp-trace-event.schema.json"
check "install: nothing outside DESTDIR/PREFIX" \
	test "$(ls -A "$D")" = opt -a "$(ls -A "$D/opt")" = tdxhp
check "install: the installed page renders" bash -c \
	"MANWIDTH=80 man -l $D$P/share/man/man8/tdxhp-top.8 | grep -q tdxhp-top"

make -s --no-print-directory uninstall OUTPUT="$OUT" DESTDIR="$D" PREFIX="$P" \
	>"$TMP/log" 2>&1
check "install: make uninstall (rc=$?)" true
left=$(find "$D" ! -type d | head -n 5)
check "install: uninstall leaves no file${left:+ ($left)}" test -z "$left"
check "install: ... nor tdxhp's own directories" bash -c \
	"test ! -e $D$P/share/tdxhp -a ! -e $D$P/share/doc/tdxhp"

# scripts/version.sh in a scratch repository.
R=$TMP/repo
mkdir -p "$R/scripts"
cp scripts/version.sh "$R/scripts/"
echo 0.2.0 >"$R/BASE_VERSION"
echo a >"$R/file"
v() { "$R/scripts/version.sh"; }
git -C "$R" init -q
git -C "$R" -c user.name=t -c user.email=t@t add -A
git -C "$R" -c user.name=t -c user.email=t@t commit -qm one
h=$(git -C "$R" rev-parse --short HEAD)
check "version: no tag: BASE_VERSION and the commit ($(v))" test "$(v)" = "0.2.0-g$h"
echo b >>"$R/file"
check "version: uncommitted changes: -dirty ($(v))" test "$(v)" = "0.2.0-g$h-dirty"
git -C "$R" checkout -q file
git -C "$R" tag v0.3.0
git -C "$R" tag not-a-version
check "version: on a vX.Y.Z tag: X.Y.Z ($(v))" test "$(v)" = 0.3.0
git -C "$R" -c user.name=t -c user.email=t@t commit -q --allow-empty -m two
h=$(git -C "$R" rev-parse --short HEAD)
check "version: after a tag: git describe ($(v))" test "$(v)" = "0.3.0-1-g$h"
echo 9.9.9 >"$R/VERSION"
check "version: a tarball's VERSION file wins ($(v))" test "$(v)" = 9.9.9
rm -rf "$R/.git" "$R/VERSION"
check "version: no git, no VERSION: BASE_VERSION ($(v))" test "$(v)" = 0.2.0
check "version: debian/changelog is BASE_VERSION-N" bash -c \
	"head -n1 debian/changelog | grep -q \"^tdxhp (\$(cat BASE_VERSION)-[0-9]*) \""
