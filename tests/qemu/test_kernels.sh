#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The kernel matrix: boot Debian's 6.1 (the oldest kernel tdxhp supports)
# and 6.12 cloud kernels under qemu TCG, and in each check that the real
# verifier accepts the BPF object, that the simulated tools work, and that
# a live run with no TDX tracepoints fails with one clear line.
# The kernel packages are fetched with apt once and cached in OUT.
# Set TDXHP_ATTACH_IMAGE=bzImage (and TDXHP_ATTACH_EXPECT=...) to also run
# tests/qemu/attach.sh on a TDX kernel.
. "$(dirname "$0")/../cli/lib.sh"
here=$(cd "$(dirname "$0")" && pwd)
KERNELS=${TDXHP_QEMU_KERNELS:-6.1 6.12}
# Checks tests/qemu/guest_kernels.sh reports per kernel.
GUEST_CHECKS=13

missing=
command -v qemu-system-x86_64 >/dev/null || missing="qemu-system-x86_64 "
command -v cpio >/dev/null || missing+="cpio "
[ -x /bin/busybox ] && ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' ||
	missing+="busybox-static "
[ -x "$OUT/static/tdxhp-memload" ] || missing+="$OUT/static (make static) "
if [ -n "$missing" ]; then
	echo "skip qemu kernels: missing $missing(scripts/install-deps.sh, make tests)"
	exit 0
fi

for k in $KERNELS; do
	if ! img=$("$here/debian-kernel.sh" "$k" "$OUT/debian-kernels" 2>"$TMP/dl.err"); then
		# Offline without a cache: nothing to boot.
		echo "skip qemu $k: no kernel image: $(head -n1 "$TMP/dl.err")"
		continue
	fi
	# Under TCG a kernel very rarely panics while patching its own text at
	# boot (int3 in sched_clock_cpu, seen once on 6.12), before any tdxhp
	# code runs.  Only then, with no check reported, boot once more.
	for try in 1 2; do
		"$here/boot.sh" -T "$OUT/static" -t 240 "$img" "$here/guest_kernels.sh" \
			>"$TMP/console" 2>&1
		rc=$?
		[ "$rc" != 0 ] && ! grep -qE '^(ok|not ok) ' "$TMP/console" &&
			grep -q 'Kernel panic' "$TMP/console" || break
		echo "# qemu $k: the kernel panicked before init (try $try); booting again"
	done
	grep -E '^(ok|not ok|skip) |^# ' "$TMP/console"
	n=$(grep -cE '^(ok|not ok) ' "$TMP/console")
	check "qemu $k: guest ran all $GUEST_CHECKS checks and powered off (boot.sh $rc, $n reported)" \
		test "$rc" = 0 -a "$n" = "$GUEST_CHECKS"
	if [ "$rc" != 0 ] || [ "$n" != "$GUEST_CHECKS" ]; then
		grep -vE '^(ok|not ok|skip) |^# ' "$TMP/console" | tail -n 20 | sed 's/^/# /'
	fi
	grep 'boot.sh: guest finished' "$TMP/console" | sed "s/^/# $k: /"
done

if [ -n "${TDXHP_ATTACH_IMAGE:-}" ]; then
	"$here/attach.sh" ${TDXHP_ATTACH_EXPECT:+--expect-source="$TDXHP_ATTACH_EXPECT"} \
		"$TDXHP_ATTACH_IMAGE" >"$TMP/attach" 2>&1
	check "attach.sh $TDXHP_ATTACH_IMAGE" test $? = 0
fi
