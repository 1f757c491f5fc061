# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Run inside the qemu guest by tests/qemu/test_kernels.sh (busybox sh, the
# static tools on PATH).  One "ok NAME" / "not ok NAME" line per check.
# These kernels have no TDX host code and no kvm_tdx_* tracepoints.

check() {
	name=$1
	shift
	if "$@"; then echo "ok $K: $name"; else echo "not ok $K: $name"; fi
}
K=$(uname -r)

# The verifier accepts the whole object (a simulated load attaches nothing).
tdxhp-memload >/tmp/load.out 2>/tmp/load.err
check "verifier accepts the BPF object" test $? = 0
if ! grep -q '^kernel memory: ' /tmp/load.out; then
	# Say why, for the log: the verifier's last words.
	tdxhp-hist --simulate -v 2>&1 | grep -E 'BPF program load failed|^[0-9]+: |not allowed|invalid|unknown func' |
		tail -n 4 | sed 's/^/# /'
fi
check "the helpers the object needs exist (bpf_loop, bpf_map_lookup_percpu_elem)" \
	sh -c "grep -q ' bpf_loop_proto\$' /proc/kallsyms && grep -q ' bpf_map_lookup_percpu_elem_proto\$' /proc/kallsyms"

tdxhp-hist --simulate >/tmp/sim.out 2>/tmp/sim.err
check "hist --simulate exits 0" test $? = 0
check "hist --simulate says simulated" grep -q '^SIMULATED DATA' /tmp/sim.out
check "hist --simulate shows simulated TDs with histograms" \
	sh -c "grep -q '^TD .*\[simulated\]' /tmp/sim.out && grep -q 'distribution' /tmp/sim.out"

tdxhp-top --simulate -b -n 1 >/tmp/top.out 2>/tmp/top.err
check "top --simulate -b -n 1 exits 0" test $? = 0
check "top --simulate says simulated" grep -qi 'simulated' /tmp/top.out

tdxhp-trace --simulate -n 20 >/tmp/trace.out 2>/tmp/trace.err
check "trace --simulate -n 20 exits 0" test $? = 0
check "trace --simulate says simulated" grep -q 'SIMULATED DATA' /tmp/trace.err

# Live: no source of events, so one line saying what is missing, exit 1.
for t in hist top trace; do
	args=
	[ $t = top ] && args="-b -n 1"
	tdxhp-$t $args >/tmp/live.out 2>/tmp/live.err
	rc=$?
	check "$t live exits 1 with one line on stderr naming the tracepoints" \
		sh -c "[ $rc = 1 ] && [ \$(wc -l </tmp/live.err) = 1 ] && grep -q '^tdxhp-$t: .*tracepoint' /tmp/live.err && [ ! -s /tmp/live.out ]"
	[ $rc = 1 ] || { echo "# rc=$rc"; head -c 300 /tmp/live.err | sed 's/^/# /'; }
done
echo "guest checks done"
