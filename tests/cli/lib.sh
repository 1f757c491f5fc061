# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Helpers for tool tests: one "ok NAME" / "not ok NAME" / "skip NAME" line
# per check, read by tests/run-all.sh.

OUT=${1:-build}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok() { echo "ok $*"; }
not_ok() { echo "not ok $*"; }

# check NAME CMD...: the command's exit status decides, and is returned,
# so `check ... || show_why` prints details only on failure.
check() {
	local name=$1
	shift
	if "$@"; then
		ok "$name"
	else
		not_ok "$name"
		return 1
	fi
}

# can_bpf: root and a kernel that loads the programs.
can_bpf() {
	[ "$(id -u)" = 0 ] && "$OUT/tdxhp-hist" --simulate >/dev/null 2>&1
}

# bad_input NAME EXPECTED_RC CMD...: fails with that code and one line on
# stderr prefixed by the program name, nothing on stdout.
bad_input() {
	local name=$1 want=$2
	shift 2
	local rc
	"$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	local prog
	prog=$(basename "$1")
	if [ "$rc" = "$want" ] && [ "$(wc -l <"$TMP/err")" = 1 ] &&
		grep -q "^$prog: " "$TMP/err" && [ ! -s "$TMP/out" ]; then
		ok "$name"
	else
		not_ok "$name (rc=$rc, stderr: $(head -c 300 "$TMP/err"))"
	fi
}

json_check() { # json_check NAME FILE PYTHON-EXPR-ON-LIST-OF-OBJECTS
	local name=$1 file=$2 expr=$3
	if python3 - "$file" "$expr" <<'PY'; then ok "$name"; else not_ok "$name"; fi
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
sys.exit(0 if eval(sys.argv[2], {"objs": objs}) else 1)
PY
}
