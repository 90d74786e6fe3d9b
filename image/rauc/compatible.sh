#!/usr/bin/env bash
# The board family a root file system is for (RAUC's compatible): a bundle for one is refused
# by the other. Usage: image/rauc/compatible.sh ARCH
case "$1" in
  arm64) echo anjungan-rpi4-rpi5 ;;
  amd64) echo anjungan-amd64 ;;
  *) echo "compatible.sh: no board family for $1" >&2; exit 2 ;;
esac
