#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Boot a TDX host kernel under qemu TCG (attaching needs no TDX hardware)
# and show what today's tools attach to there, live (no --simulate):
# tdxhp-hist -v for one interval and tdxhp-top -b -n 1 -v.
#
#   tests/qemu/attach.sh KERNEL_IMAGE [--expect-source=tracepoint|seamcall]
#                        [boot.sh options, e.g. -M lib/modules/<release>]
#
# Exit status: with --expect-source, 0 only when that source is live
# (tracepoint: all 9 kvm_tdx_* tracepoints attached and top exits 0;
# seamcall: top exits 0 and says its source is seamcall); without it, the
# status of tdxhp-top.  A manual and bench script: TDX kernel images are
# not available in CI (tests/qemu/test_kernels.sh runs this only when
# TDXHP_ATTACH_IMAGE names one).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prog=attach.sh

[ $# -ge 1 ] || {
	echo "usage: $prog KERNEL_IMAGE [--expect-source=tracepoint|seamcall] [boot.sh options]" >&2
	exit 2
}
image=$1
shift
expect=
opts=()
for a in "$@"; do
	case $a in
	--expect-source=tracepoint | --expect-source=seamcall) expect=${a#*=} ;;
	--expect-source=*)
		echo "$prog: --expect-source wants tracepoint or seamcall, not '${a#*=}'" >&2
		exit 2
		;;
	*) opts+=("$a") ;;
	esac
done

guest=$(mktemp)
trap 'rm -f "$guest"' EXIT
cat >"$guest" <<EOF
expect=$expect
EOF
cat >>"$guest" <<'EOF'
echo "kernel $(uname -r)"
# Only the tools' own lines: -v also passes libbpf's messages through.
tools_lines() { grep -E "^tdxhp-(hist|top): " "$1"; }

echo "== tdxhp-hist -v 1 1"
tdxhp-hist -v 1 1 >/tmp/hist.out 2>/tmp/hist.err
hrc=$?
tools_lines /tmp/hist.err
head -n 20 /tmp/hist.out
echo "tdxhp-hist exit status $hrc"

echo "== tdxhp-top -b -n 1 -v"
tdxhp-top -b -n 1 -v >/tmp/top.out 2>/tmp/top.err
trc=$?
tools_lines /tmp/top.err
head -n 20 /tmp/top.out
echo "tdxhp-top exit status $trc"

# What attached, by tracepoint name, from the tool's own -v lines.
tps=$(tools_lines /tmp/top.err | grep -vE 'not attached|missing' |
	grep -E ' attached ' | grep -oE 'kvm_tdx_[a-z_]+' | sort -u | wc -l)
echo "tracepoints attached: $tps of 9"
case $expect in
tracepoint)
	[ "$trc" = 0 ] && [ "$tps" = 9 ] && [ "$hrc" = 0 ]
	;;
seamcall)
	[ "$trc" = 0 ] && grep -qi 'seamcall' /tmp/top.out /tmp/top.err
	;;
*)
	exit "$trc"
	;;
esac
rc=$?
echo "expected source $expect: $([ $rc = 0 ] && echo live || echo NOT live)"
exit $rc
EOF
exec "$here/boot.sh" -t 600 "${opts[@]}" "$image" "$guest"
