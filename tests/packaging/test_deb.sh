#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The Debian package end to end, as root: `make dist`, build the package
# from the tarball offline and without git, lintian, install it with apt,
# run the installed tools, check the man pages, completion, user and units
# (systemd-analyze verify), then remove and purge it and check that nothing
# is left.  Services are not started (policy-rc.d): they would load BPF
# programs on the host the other tests use.
. "$(dirname "$0")/../cli/lib.sh"
SRC=$PWD
export DEBIAN_FRONTEND=noninteractive
start=$SECONDS
step() { echo "# $(($SECONDS - start))s: $*"; }

if [ "$(id -u)" != 0 ]; then
	echo "skip deb: needs root (apt-get install)"
	exit 0
fi
if dpkg-query -W -f='${Status}' tdxhp 2>/dev/null | grep -q installed; then
	echo "skip deb: a tdxhp package is installed here already: not touching it"
	exit 0
fi
for c in dpkg-buildpackage lintian systemd-analyze man; do
	command -v $c >/dev/null || not_ok "deb: $c is installed (scripts/install-deps.sh)"
done

# Let nothing from a failed run stay installed.
POLICY=/usr/sbin/policy-rc.d
own_policy=false
cleanup() {
	dpkg-query -W tdxhp >/dev/null 2>&1 && apt-get purge -y -qq tdxhp >/dev/null 2>&1
	$own_policy && rm -f "$POLICY"
	rm -rf "$TMP"
}
trap cleanup EXIT

# --- the tarball, built offline and without git
step "make dist"
make -s --no-print-directory dist OUTPUT="$TMP/out" >"$TMP/dist.log" 2>&1
tarball=$(ls "$TMP"/out/tdxhp-*.tar.gz 2>/dev/null)
check "deb: make dist writes a versioned tarball" test -n "$tarball"
[ -n "$tarball" ] || exit 0
VERSION=$(scripts/version.sh)
check "deb: the tarball is named after the version ($VERSION)" \
	test "$(basename "$tarball")" = "tdxhp-$VERSION.tar.gz"
mkdir "$TMP/b"
tar -C "$TMP/b" -xzf "$tarball"
tree=$TMP/b/tdxhp-$VERSION
check "deb: the tarball holds VERSION" test "$(cat "$tree/VERSION")" = "$VERSION"
check "deb: the tarball holds debian/" test -x "$tree/debian/rules"

# install-deps.sh must install every Build-Depends, or a fresh CI machine
# cannot build the package.
deps_out=$(cd "$tree" && dpkg-checkbuilddeps 2>&1)
check "deb: scripts/install-deps.sh installs every Build-Depends" \
	test -z "$deps_out" || echo "    $deps_out"

# A git that fails and says it was called, first on PATH; no network.
mkdir "$TMP/nogit"
printf '#!/bin/sh\necho "git $*" >>%s/git.calls\nexit 1\n' "$TMP" >"$TMP/nogit/git"
chmod +x "$TMP/nogit/git"
offline=()
unshare --net true 2>/dev/null && offline=(unshare --net)
step "dpkg-buildpackage (${offline[*]:-with network})"
(cd "$tree" && PATH=$TMP/nogit:$PATH "${offline[@]}" \
	dpkg-buildpackage -us -uc -b) >"$TMP/build.log" 2>&1
rc=$?
check "deb: dpkg-buildpackage -us -uc -b builds the tarball (rc=$rc)" test $rc = 0 ||
	tail -n 30 "$TMP/build.log" | sed 's/^/    /'
check "deb: ... without calling git" test ! -e "$TMP/git.calls" ||
	sed 's/^/    /' "$TMP/git.calls"
deb=$(ls "$TMP"/b/tdxhp_*_*.deb 2>/dev/null)
[ -n "$deb" ] || exit 0
check "deb: the built tools are version $VERSION" \
	test "$("$tree/build/tdxhp-hist" -V | head -n1)" = "tdxhp-hist $VERSION"
check "deb: the package version is BASE_VERSION-N" bash -c \
	"dpkg-deb -f $deb Version | grep -qx \"\$(cat BASE_VERSION)-[0-9]*\""

step "lintian"
lintian "$TMP"/b/tdxhp_*.changes >"$TMP/lintian" 2>&1
check "deb: lintian reports no errors ($(grep -c '^W:' "$TMP/lintian") warnings)" \
	bash -c "! grep -q '^E:' $TMP/lintian"
sed -n '/^[EW]:/s/^/    /p' "$TMP/lintian"

# --- install
if [ ! -e "$POLICY" ]; then
	printf '#!/bin/sh\nexit 101\n' >"$POLICY"
	chmod +x "$POLICY"
	own_policy=true
fi
step "apt-get install"
(cd "$TMP/b" && apt-get install -y -qq --no-install-recommends \
	"./$(basename "$deb")") >"$TMP/apt.log" 2>&1
rc=$?
check "deb: apt-get install ./$(basename "$deb") (rc=$rc)" test $rc = 0 ||
	tail -n 20 "$TMP/apt.log" | sed 's/^/    /'
dpkg-query -L tdxhp 2>/dev/null | sort >"$TMP/files"

for t in tdxhp-top tdxhp-hist tdxhp-trace tdxhp-exporter tdxhp-load; do
	[ "$t" = tdxhp-load ] && [ ! -f "$SRC/tools/tdxhp-load.c" ] && continue
	check "deb: /usr/sbin/$t is installed" test -x "/usr/sbin/$t"
	check "deb: man $t finds the installed page" \
		test "$(man -w "$t" 2>/dev/null)" = "/usr/share/man/man8/$t.8.gz"
	check "deb: completion for $t loads" bash -c \
		". /usr/share/bash-completion/bash_completion &&
		 __load_completion $t && complete -p $t | grep -q _tdxhp"
done
check "deb: man 7 tdxhp renders" bash -c \
	"MANWIDTH=80 man --warnings 7 tdxhp 2>&1 >/dev/null | grep -q . && exit 1;
	 man 7 tdxhp | grep -q 'HOW THE PIECES FIT'"
check "deb: dashboards and rules under /usr/share/tdxhp" \
	test -f /usr/share/tdxhp/dashboards/tdxhp-rules.yml
check "deb: docs under /usr/share/doc/tdxhp, the exporter unit's link works" bash -c \
	"test -f /usr/share/doc/tdxhp/copyright &&
	 doc=\$(sed -n 's|^Documentation=.*file:\([^ ]*\).*|\1|p' /lib/systemd/system/tdxhp-exporter.service) &&
	 test -f \"\$doc\""
check "deb: /etc/default/tdxhp-exporter is a conffile" bash -c \
	"dpkg-query -W -f='\${Conffiles}' tdxhp | grep -q /etc/default/tdxhp-exporter"
check "deb: the system user tdxhp exists" bash -c \
	"uid=\$(id -u tdxhp) && [ \$uid -lt 1000 ] && getent passwd tdxhp | grep -q nologin"
check "deb: the units are enabled, the exporter's socket too" bash -c \
	"test -L /etc/systemd/system/multi-user.target.wants/tdxhp-exporter.service &&
	 test -L /etc/systemd/system/sockets.target.wants/tdxhp-exporter.socket &&
	 test -L /etc/systemd/system/multi-user.target.wants/tdxhp.service"

step "installed tools"
if can_bpf; then
	/usr/sbin/tdxhp-top --simulate -b -n 1 >"$TMP/top" 2>&1
	check "deb: tdxhp-top --simulate -b -n 1 from /usr/sbin (rc=$?)" \
		grep -q SIMULATED "$TMP/top"
	/usr/sbin/tdxhp-hist --simulate >"$TMP/hist" 2>&1
	check "deb: tdxhp-hist --simulate from /usr/sbin (rc=$?)" \
		grep -q 'SIMULATED DATA' "$TMP/hist"
	# What the units run, on the loopback: the service's ExecStart on the
	# socket systemd-socket-activate hands over, as tdxhp.socket would; it
	# must serve as user tdxhp.
	port=$((20000 + $$ % 20000))
	cmd=$(sed -n 's/^ExecStart=//p' /lib/systemd/system/tdxhp-exporter.service)
	cmd=${cmd/\$ARGS/--simulate --sim-ticks 10}
	# shellcheck disable=SC2086 # the unit's words
	systemd-socket-activate -l "127.0.0.1:$port" $cmd 2>"$TMP/exp.err" &
	exp=$!
	for _ in $(seq 50); do
		curl -sf "http://127.0.0.1:$port/metrics" >"$TMP/metrics" 2>/dev/null && break
		sleep 0.1
	done
	check "deb: the exporter serves as user tdxhp" bash -c \
		"grep -q '^tdxhp_simulated{.*} 1$' $TMP/metrics &&
		 [ \"\$(ps -o user= -p $exp)\" = tdxhp ]"
	kill "$exp" 2>/dev/null
	wait "$exp" 2>/dev/null
else
	echo "skip deb: running the installed tools needs BPF"
fi
check "deb: installed tdxhp-top -V is $VERSION" \
	test "$(/usr/sbin/tdxhp-top -V | head -n1)" = "tdxhp-top $VERSION"

# The units as installed: the binaries and man pages they name exist.
# Until tdxhp-load is in the tree, the one complaint allowed is its absence.
UNITS="/lib/systemd/system/tdxhp-exporter.service /lib/systemd/system/tdxhp-exporter.socket /lib/systemd/system/tdxhp.service"
systemd-analyze verify $UNITS >"$TMP/verify" 2>&1
rc=$?
if [ ! -f "$SRC/tools/tdxhp-load.c" ] && [ ! -x /usr/sbin/tdxhp-load ]; then
	echo "note: tools/tdxhp-load.c is not in this tree yet: verify may only miss /usr/sbin/tdxhp-load"
	grep -v '^tdxhp.service: Command /usr/sbin/tdxhp-load is not executable: No such file or directory$' \
		"$TMP/verify" >"$TMP/verify.rest"
	mv "$TMP/verify.rest" "$TMP/verify"
	rc=0
fi
check "deb: systemd-analyze verify tdxhp.service tdxhp-exporter.service tdxhp-exporter.socket" \
	test $rc = 0 -a ! -s "$TMP/verify" || sed 's/^/    /' "$TMP/verify"

# --- remove, then purge
step "apt-get remove, purge"
apt-get remove -y -qq tdxhp >"$TMP/apt.log" 2>&1
check "deb: apt-get remove (rc=$?)" test ! -e /usr/sbin/tdxhp-top
check "deb: ... keeps the conffile" test -f /etc/default/tdxhp-exporter
apt-get purge -y -qq tdxhp >"$TMP/apt.log" 2>&1
check "deb: apt-get purge (rc=$?)" bash -c "! dpkg-query -W tdxhp >/dev/null 2>&1"
left=()
while read -r f; do
	[ -d "$f" ] && continue # shared directories stay (/lib is a link)
	[ -e "$f" ] || [ -L "$f" ] && left+=("$f")
done <"$TMP/files"
for f in /etc/default/tdxhp-exporter /usr/share/tdxhp /usr/share/doc/tdxhp \
	/etc/systemd/system/*/tdxhp*.service /etc/systemd/system/tdxhp*.service \
	/etc/systemd/system/*/tdxhp*.socket \
	/var/lib/systemd/deb-systemd-helper-enabled/*tdxhp* \
	/var/lib/systemd/deb-systemd-helper-enabled/*/tdxhp* /sys/fs/bpf/tdxhp; do
	[ -e "$f" ] || [ -L "$f" ] && left+=("$f")
done
check "deb: purge leaves no file (${#left[@]}: ${left[*]:0:5})" test ${#left[@]} = 0
check "deb: purge removes the user and group tdxhp" bash -c \
	"! getent passwd tdxhp >/dev/null && ! getent group tdxhp >/dev/null"
check "deb: purge removes the units" bash -c \
	"! ls /lib/systemd/system/tdxhp* /usr/lib/systemd/system/tdxhp* 2>/dev/null | grep -q ."
step "done"
