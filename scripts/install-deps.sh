#!/usr/bin/env bash
# Install the Debian 12 packages tdxhp needs to build, test and benchmark.
# Safe to run twice: only missing packages are installed.
set -euo pipefail

PKGS=(
	make gcc clang llvm libclang-rt-14-dev pkg-config git
	libbpf-dev libelf-dev zlib1g-dev bpftool
	libncurses-dev libcmocka-dev libcap-dev
	libgnutls28-dev
	tmux prometheus wrk jq curl python3 nginx-light procps iproute2
	apache2-utils
	libyaml-dev libcrypt-dev openssl python3-yaml python3-jsonschema
	qemu-system-x86 busybox-static cpio
	libjson-c-dev chromium
	build-essential dpkg-dev debhelper fakeroot lintian adduser
	groff-base man-db bash-completion systemd
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "install-deps: all ${#PKGS[@]} packages present"
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "install-deps: need root to install: ${missing[*]}" >&2
	exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
