#!/usr/bin/env bash
# Debian packages the test suite uses: Debian's U-Boot for QEMU (a real guest
# to boot), dtc (to compare our device tree with QEMU's), gdb-multiarch and
# the ARM cross compiler (the gdb session test builds a program with symbols),
# socat (a pty pair for the host-serial-port backend), tmux (a terminal for
# the TUI test), fonts-dejavu-core (the monospace font screendump draws with;
# without it a built-in bitmap font is used), seabios (a PC BIOS to boot on
# -M pc). Pass --dev for what regenerating references and benchmarking need
# too (QEMU; for firmware/x86 also qemu-system-i386 and the i686 Linux cross
# compiler).
set -euo pipefail
pkgs="u-boot-qemu device-tree-compiler gdb-multiarch gcc-arm-none-eabi binutils-arm-none-eabi socat tmux fonts-dejavu-core seabios"
if [ "${1:-}" = "--dev" ]; then
  pkgs="$pkgs qemu-system-arm qemu-system-x86 gcc-i686-linux-gnu"
fi
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
# Debian's armmp kernel (the real-world Linux target of test/arm/linux-debian and
# linux-virtio-blk). A mirror hiccup must not stop the rest of the suite: those
# tests then skip, saying why.
bash "$(dirname "$0")/fetch-debian-kernel.sh" || echo "setup-test-deps: could not fetch Debian's armmp kernel; its tests will be skipped" >&2
