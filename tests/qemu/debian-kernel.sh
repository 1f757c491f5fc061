#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Print the path of a Debian cloud kernel image (vmlinuz), fetching its
# package with apt the first time and unpacking it into a cache under
# build/.  Nothing is installed on the host: no /boot, no dpkg database.
#
#   tests/qemu/debian-kernel.sh 6.1|6.12 [CACHE_DIR]
#
# 6.1 is bookworm's linux-image-cloud-amd64, 6.12 the linux-image-6.12-
# cloud-amd64 that bookworm-security carries.  Both have BTF, BPF and the
# serial console built in, so a busybox initramfs boots them under qemu.
# The unpacked tree keeps boot/config-* (CONFIG_NR_CPUS) and lib/modules.
set -euo pipefail

prog=debian-kernel.sh
die() {
	echo "$prog: $*" >&2
	exit 1
}

[ $# -ge 1 ] && [ $# -le 2 ] || die "usage: $prog 6.1|6.12 [CACHE_DIR]"
case $1 in
6.1) meta=linux-image-cloud-amd64 ;;
6.12) meta=linux-image-6.12-cloud-amd64 ;;
*) die "unknown kernel series '$1' (6.1 or 6.12)" ;;
esac
cache=${2:-build/debian-kernels}
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

# The versioned image package the meta-package depends on right now.
resolve() {
	apt-cache depends "$meta" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

# A cached image of this series, newest first, when apt cannot say.
cached() {
	local pat
	case $1 in
	6.1) pat='linux-image-6.1.*-cloud-amd64' ;;
	6.12) pat='linux-image-6.12.*-cloud-amd64' ;;
	esac
	# shellcheck disable=SC2086
	ls -d "$cache"/$pat/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n1
}

pkg=$(resolve)
if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
	apt-get update -qq >&2 || true
	pkg=$(resolve)
fi
if [ -z "$pkg" ]; then
	img=$(cached "$1")
	[ -n "$img" ] || die "apt knows no $meta and nothing is cached in $cache (run apt-get update; 6.12 needs bookworm-security)"
	echo "$img"
	exit 0
fi

dir=$cache/$pkg
if ! ls "$dir"/boot/vmlinuz-* >/dev/null 2>&1; then
	tmp=$(mktemp -d "$cache/.dl.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# As root apt would drop to _apt, which cannot write here.
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "$pkg") >&2 ||
		die "apt-get download $pkg failed"
	mkdir "$tmp/x"
	dpkg -x "$tmp"/*.deb "$tmp/x" || die "dpkg -x of $pkg failed"
	rm -rf "$dir"
	mv "$tmp/x" "$dir"
fi
img=$(ls "$dir"/boot/vmlinuz-* | head -n1)
[ -r "$img" ] || die "$pkg has no boot/vmlinuz-*"
echo "$img"
