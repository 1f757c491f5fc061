#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Kernel memory of the tdxhp BPF object, measured, not computed: boot
# Debian's kernels under qemu with possible_cpus=2, 64 and 512, load the
# object in the guest for 64, 1,024 and 4,096 TDs (tdxhp-memload), and
# print the kernel's own memlock accounting, one line per case:
#   kernel memory: <TDs> TDs, <CPUs> possible CPUs: <MiB> MiB
# A case the guest cannot hold is reported as such (OOM-killed, or the
# load's error); that is a finding, not a failure of the bench.
# Target (issue #9): at most 64 MiB for 1,024 TDs at 512 possible CPUs,
# and no more than today at 2 CPUs.
#
#   bench/bench_memory.sh [OUT]   KERNELS="6.1 6.12" CPUS="2 64 512"
#                                 TDS="64 1024 4096" MEM=4G  VERBOSE=1
set -u
OUT=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
KERNELS=${KERNELS:-6.1 6.12}
CPUS=${CPUS:-2 64 512}
TDS=${TDS:-64 1024 4096}
MEM=${MEM:-4G}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

[ -x "$OUT/static/tdxhp-memload" ] || {
	echo "bench_memory: $OUT/static/tdxhp-memload is missing (make bench-memory builds it)" >&2
	exit 2
}

# One boot per kernel and CPU count runs every TD count.
cat >"$TMP/guest.sh" <<EOF
for n in $TDS; do
	tdxhp-memload ${VERBOSE:+-v} --max-tds \$n 2>/tmp/err
	rc=\$?
	possible=\$(cat /sys/devices/system/cpu/possible)
	cpus=\$((\${possible##*-} + 1))
	if [ \$rc = 137 ]; then
		echo "kernel memory: \$n TDs, \$cpus possible CPUs: OOM-killed in a $MEM guest"
	elif [ \$rc != 0 ]; then
		echo "kernel memory: \$n TDs, \$cpus possible CPUs: failed: \$(head -n1 /tmp/err)"
	fi
done
EOF

echo "tdxhp BPF object, memlock summed over its maps (/proc/self/fdinfo), qemu TCG guest with $MEM"
for k in $KERNELS; do
	img=$("$here/../tests/qemu/debian-kernel.sh" "$k" "$OUT/debian-kernels") || exit 1
	echo
	echo "Debian $(basename "$img" | sed 's/^vmlinuz-//'):"
	for c in $CPUS; do
		start=$(date +%s)
		"$here/../tests/qemu/boot.sh" -T "$OUT/static" -m "$MEM" -t 900 \
			-a "possible_cpus=$c" "$img" "$TMP/guest.sh" >"$TMP/log" 2>&1
		rc=$?
		secs=$(($(date +%s) - start))
		# The kernel decides: 6.9 and later take possible CPUs from the
		# firmware's tables and only ever lower them with possible_cpus=.
		grep -E '^kernel memory: |^  ' "$TMP/log" |
			awk -v c="$c" '$1 == "kernel" && $5 != c {
				printf "kernel memory: %s TDs, %s possible CPUs: not measured: the kernel gave %s possible CPUs (possible_cpus=%s not honoured)\n", $3, c, $5, c
				next } { print }'
		for n in $TDS; do
			grep -q "^kernel memory: $n TDs," "$TMP/log" ||
				echo "kernel memory: $n TDs, $c possible CPUs: no result (guest status $rc)"
		done
		echo "  (possible_cpus=$c: boot and $(echo "$TDS" | wc -w) loads in ${secs}s, guest status $rc)"
		if [ "$rc" != 0 ]; then
			grep -E 'Out of memory|Kernel panic|BUG:|boot.sh:' "$TMP/log" | head -n 5 | sed 's/^/  | /'
		fi
	done
done
