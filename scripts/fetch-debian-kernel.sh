#!/usr/bin/env bash
# Fetches Debian's own ARMv7 multiplatform kernel (linux-image-6.1.0-N-armmp,
# armhf) from Debian's archive by package name and unpacks into
# .cache/debian-armmp/ what the tests boot: the zImage and the two modules a
# virtio disk needs (virtio_mmio and virtio_blk are modules in Debian's config).
# The newest 6.1 armmp image the archive offers is taken; the tests read the
# version from .cache/debian-armmp/version.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
out="$here/.cache/debian-armmp"
if [ -f "$out/vmlinuz" ] && [ -f "$out/virtio_blk.ko" ] && [ -f "$out/virtio_mmio.ko" ]; then
  exit 0
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
if ! dpkg --print-foreign-architectures | grep -qx armhf; then
  $SUDO dpkg --add-architecture armhf
  # One index of several may be mid-sync on the mirror; what matters is that
  # the kernel package can be found below.
  $SUDO apt-get update -qq || true
fi
pkg="$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-armmp$' | awk '{print $1}' | sort -V | tail -1)"
if [ -z "$pkg" ]; then
  $SUDO apt-get update -qq || true
  pkg="$(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-armmp$' | awk '{print $1}' | sort -V | tail -1)"
fi
[ -n "$pkg" ] || { echo "fetch-debian-kernel: no linux-image-6.1.0-*-armmp in the apt lists" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
chmod 777 "$tmp"
(cd "$tmp" && apt-get download -qq "$pkg:armhf" 2>&1 | grep -v 'unsandboxed' || true)
deb="$(ls "$tmp"/*.deb)"
dpkg-deb -x "$deb" "$tmp/x"
ver="${pkg#linux-image-}"
mkdir -p "$out.tmp"
cp "$tmp/x/boot/vmlinuz-$ver" "$out.tmp/vmlinuz"
cp "$tmp/x/boot/config-$ver" "$out.tmp/config"
cp "$tmp/x/lib/modules/$ver/kernel/drivers/virtio/virtio_mmio.ko" "$out.tmp/"
cp "$tmp/x/lib/modules/$ver/kernel/drivers/block/virtio_blk.ko" "$out.tmp/"
echo "$ver" > "$out.tmp/version"
rm -rf "$out"
mv "$out.tmp" "$out"
echo "fetch-debian-kernel: $pkg -> $out"
