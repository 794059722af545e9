#!/usr/bin/env bash
# Debian packages the test suite uses: Debian's U-Boot for QEMU (a real guest
# to boot) and dtc (to compare our device tree with QEMU's). Pass --dev for
# what rebuilding firmware and benchmarking need too (cross compiler, QEMU).
set -euo pipefail
pkgs="u-boot-qemu device-tree-compiler"
if [ "${1:-}" = "--dev" ]; then
  pkgs="$pkgs gcc-arm-none-eabi binutils-arm-none-eabi qemu-system-arm"
fi
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
