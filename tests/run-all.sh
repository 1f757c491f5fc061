#!/usr/bin/env bash
# Run every tdxhp test suite and end with one line: N passed, N failed.
#
# BPF tests need root and a kernel that loads the programs.  Where that is
# missing they are skipped, unless TDXHP_REQUIRE_BPF=1 (set in CI), which
# turns a skip into a failure.
set -u
OUT=${1:-build}
cd "$(dirname "$0")/.." || exit 2

passed=0
failed=0
skipped=0
failures=()

# Add one suite's counts to the totals and show its log if it failed.
# A non-zero exit without a counted failure (a crash, a sanitizer abort)
# is a failure; with TDXHP_REQUIRE_BPF=1 a skip is one too.
account() { # NAME RC PASSED FAILED SKIPPED LOG
	local name=$1 rc=$2 p=${3:-0} f=${4:-0} s=${5:-0} log=$6
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
	fi
	if [ "$s" -gt 0 ] && [ "${TDXHP_REQUIRE_BPF:-0}" = 1 ]; then
		f=$((f + s))
		s=0
		echo "  (skips are failures: TDXHP_REQUIRE_BPF=1)" >>"$log"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
	printf '%-34s %3d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
	if [ "$f" -gt 0 ]; then
		failures+=("$name")
		sed 's/^/    | /' "$log"
	fi
	rm -f "$log"
}

# cmocka prints "[  PASSED  ] N test(s)." and "[  FAILED  ] N test(s)...".
run_cmocka() {
	local name=$1 log rc
	shift
	log=$(mktemp)
	"$@" >"$log" 2>&1
	rc=$?
	account "$name" "$rc" \
		"$(sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)" \
		"$(sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)" \
		"$(sed -n 's/.*\[  SKIPPED \] \([0-9]*\) test.*/\1/p' "$log" | tail -n1)" \
		"$log"
}

# Plain scripts print "ok NAME" / "not ok NAME" / "skip NAME" per check.
run_tap() {
	local name=$1 log rc
	shift
	log=$(mktemp)
	"$@" >"$log" 2>&1
	rc=$?
	account "$name" "$rc" "$(grep -c '^ok ' "$log")" \
		"$(grep -c '^not ok ' "$log")" "$(grep -c '^skip ' "$log")" "$log"
}

echo "== unit tests"
for t in "$OUT"/tests/unit/test_*; do
	[ -x "$t" ] && run_cmocka "unit/$(basename "$t")" "$t"
done
echo "== unit tests under ASan+UBSan"
for t in "$OUT"/san/tests/unit/test_*; do
	[ -x "$t" ] && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		run_cmocka "san/$(basename "$t")" "$t"
done
echo "== BPF tests (real verifier, BPF_PROG_TEST_RUN)"
for t in "$OUT"/tests/bpf/test_*; do
	[ -x "$t" ] && run_cmocka "bpf/$(basename "$t")" "$t"
done
echo "== contract and tool tests"
for t in tests/contract/test_*.py; do
	[ -f "$t" ] && run_tap "contract/$(basename "$t")" python3 "$t"
done
for t in tests/*/test_*.sh; do
	[ -f "$t" ] && run_tap "${t#tests/}" bash "$t" "$OUT"
done

echo
if [ ${#failures[@]} -gt 0 ]; then
	echo "failed suites: ${failures[*]}"
fi
echo "$passed passed, $failed failed, $skipped skipped"
if [ "$passed" -eq 0 ]; then
	echo "no test ran"
	exit 1
fi
[ "$failed" -eq 0 ]
