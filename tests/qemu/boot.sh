#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Boot a kernel image under qemu (TCG: no KVM, no TDX hardware needed) with
# an initramfs of busybox-static and the project's static tools, run a
# shell snippet in the guest, power off, and exit with the snippet's status.
# Used by tests/qemu/, bench/ and by hand.  Needs no kernel source and
# fetches nothing.
#
#   tests/qemu/boot.sh [OPTIONS] KERNEL [SCRIPT]
#
#   KERNEL        a bzImage or Debian's vmlinuz
#   SCRIPT        a shell script run in the guest (or -c)
#   -c CMDS       a shell snippet run in the guest instead of SCRIPT
#   -a ARGS       extra kernel command line, e.g. possible_cpus=512 (repeatable)
#   -M DIR        a lib/modules/<release> directory to put in the guest
#   -f SRC[:DST]  a file to put in the guest, by default as /root/<name>
#                 (repeatable)
#   -T DIR        static tools put in the guest's /bin (default build/static)
#   -m SIZE       guest memory (default 1G)
#   -s N          guest CPUs (default 2)
#   -t SECS       give up after this long (default 300): exit 124
#   -k            full kernel log on the console (default: errors only)
#
# The guest has proc, sys, devtmpfs, bpffs, tracefs and debugfs mounted and
# runs the snippet as root in /root with the tools on PATH.  Its console is
# printed as it comes.  Exit status: the snippet's; 124 on timeout; 125 when
# the guest stopped without finishing (a panic, a crash of /init).
set -uo pipefail

prog=boot.sh
die() {
	echo "$prog: $*" >&2
	exit 2
}

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
tools=$root/build/static
append=()
files=()
modules=
snippet=
script=
mem=1G
smp=2
limit=300
loglevel=quiet

# Options may come before or after the positional arguments.
pos=()
while [ $# -gt 0 ]; do
OPTIND=1
while getopts "c:a:M:f:T:m:s:t:kh" opt; do
	case $opt in
	c) snippet=$OPTARG ;;
	a) append+=("$OPTARG") ;;
	M) modules=$OPTARG ;;
	f) files+=("$OPTARG") ;;
	T) tools=$OPTARG ;;
	m) mem=$OPTARG ;;
	s) smp=$OPTARG ;;
	t) limit=$OPTARG ;;
	k) loglevel=loglevel=7 ;;
	h)
		sed -n '3,/^set /{/^set /d;s/^# \{0,1\}//;p}' "$0"
		exit 0
		;;
	*) die "bad option (see -h)" ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
	pos+=("$1")
	shift
fi
done

[ ${#pos[@]} -ge 1 ] || die "usage: $prog [OPTIONS] KERNEL [SCRIPT] (see -h)"
kernel=${pos[0]}
[ ${#pos[@]} -le 2 ] || die "unexpected argument '${pos[2]}'"
if [ ${#pos[@]} = 2 ]; then
	[ -z "$snippet" ] || die "give SCRIPT or -c, not both"
	script=${pos[1]}
	[ -r "$script" ] || die "cannot read script '$script'"
fi
[ -n "$snippet$script" ] || die "nothing to run: give SCRIPT or -c CMDS"
[ -r "$kernel" ] || die "cannot read kernel image '$kernel'"
[[ $limit =~ ^[1-9][0-9]*$ ]] || die "-t wants whole seconds, not '$limit'"
[ -z "$modules" ] || [ -d "$modules" ] || die "no modules directory '$modules'"
[ -d "$tools" ] || die "no static tools in '$tools' (run make static)"

qemu=${QEMU:-qemu-system-x86_64}
busybox=${BUSYBOX:-/bin/busybox}
command -v "$qemu" >/dev/null || die "$qemu is missing (scripts/install-deps.sh installs qemu-system-x86)"
command -v cpio >/dev/null || die "cpio is missing (scripts/install-deps.sh installs it)"
# Only a static busybox runs in an initramfs without a libc.
[ -x "$busybox" ] && { ldd "$busybox" 2>&1 || :; } | grep -q 'not a dynamic' ||
	die "$busybox is not static (install busybox-static)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/root
mkdir -p "$rootfs"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,root,lib/modules}
cp "$busybox" "$rootfs/bin/busybox"
ln -s busybox "$rootfs/bin/sh"
for t in "$tools"/*; do
	[ -f "$t" ] && [ -x "$t" ] && cp "$t" "$rootfs/bin/"
done
[ -z "$modules" ] || cp -a "$modules" "$rootfs/lib/modules/"
for f in "${files[@]}"; do
	src=${f%%:*}
	dst=/root/$(basename "$src")
	[ "$src" = "$f" ] || dst=${f#*:}
	[ -r "$src" ] || die "cannot read '$src'"
	mkdir -p "$rootfs$(dirname "$dst")"
	cp -a "$src" "$rootfs$dst"
done
if [ -n "$script" ]; then
	cp "$script" "$rootfs/snippet.sh"
else
	printf '%s\n' "$snippet" >"$rootfs/snippet.sh"
fi

# A marker the snippet's own output cannot produce by accident.
marker="TDXHP-QEMU-END-$$-$RANDOM$RANDOM"
cat >"$rootfs/init" <<EOF
#!/bin/sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
echo
mount -t bpf bpf /sys/fs/bpf
mount -t tracefs tracefs /sys/kernel/tracing
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root
cd /root
sh /snippet.sh
rc=\$?
echo
echo "$marker rc=\$rc"
sync
poweroff -f
EOF
chmod +x "$rootfs/init"
(cd "$rootfs" && find . -print0 | cpio --null -o -H newc --quiet) >"$work/initramfs.cpio" ||
	die "building the initramfs failed"

cmdline="console=ttyS0 panic=-1 rdinit=/init $loglevel ${append[*]}"
start=$(date +%s.%N)
# No network device: the guest fetches nothing either.
timeout -k 10 "$limit" "$qemu" -accel tcg -cpu max -smp "$smp" -m "$mem" \
	-nographic -no-reboot -nic none \
	-kernel "$kernel" -initrd "$work/initramfs.cpio" -append "$cmdline" \
	</dev/null 2>&1 | sed -u 's/\r//g; s/\x1bc//g; s/\x1b\[[0-9;?]*[A-Za-z]//g' |
	tee "$work/console"
qrc=${PIPESTATUS[0]}
secs=$(echo "$(date +%s.%N) $start" | awk '{ printf "%.1f", $1 - $2 }')

rc=$(sed -n "s/.*$marker rc=\([0-9]*\).*/\1/p" "$work/console" | tail -n1)
if [ -n "$rc" ]; then
	echo "$prog: guest finished in ${secs}s, status $rc" >&2
	exit "$rc"
fi
if [ "$qrc" = 124 ]; then
	echo "$prog: guest did not finish within ${limit}s" >&2
	exit 124
fi
echo "$prog: guest stopped without finishing after ${secs}s (qemu status $qrc): panic or crash, see the console above" >&2
exit 125
