#!/bin/sh
# Print the tdxhp version.
#   a release tarball:  its VERSION file (written by `make dist`)
#   a git checkout:     `git describe` of the newest vX.Y.Z tag, without the v
#                       (0.3.0, 0.3.0-4-gabc1234, ...-dirty)
#   no tag yet:         BASE_VERSION and the commit (0.2.0-gabc1234)
#   neither:            BASE_VERSION
cd "$(dirname "$0")/.." || exit 1
if [ -f VERSION ]; then
	cat VERSION
	exit 0
fi
base=$(cat BASE_VERSION)
# Only this tree's own repository: a tarball unpacked inside another
# checkout must not take that one's version.
if [ -e .git ] && command -v git >/dev/null 2>&1; then
	if v=$(git describe --tags --match 'v[0-9]*' --dirty 2>/dev/null); then
		echo "${v#v}"
		exit 0
	fi
	if h=$(git describe --always --dirty 2>/dev/null); then
		echo "$base-g$h"
		exit 0
	fi
fi
echo "$base"
