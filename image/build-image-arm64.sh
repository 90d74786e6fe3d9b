#!/usr/bin/env bash
# The Raspberry Pi 4 SD-card image: Debian trixie arm64, its base made by mmdebstrap under
# qemu-user emulation and cached in stages (image/build-rootfs-base.sh: an hour the first time, a
# few minutes when only the app, the units or the C helpers changed), then the same app layer as
# the host tree (build-rootfs.sh) and the same layout (build-image.sh).
# Usage: image/build-image-arm64.sh OUT_DIR [CACHE_DIR]     (`make image-arm64`)
set -euo pipefail
out="$1" cache="${2:-/var/cache/anjungan}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$repo/dist/appliance/main.cjs" ] || { echo "build-image-arm64.sh: run make build first" >&2; exit 2; }
# qemu-user-static registers its binfmt handlers when installed; where binfmt_misc was not mounted
# then (containers), it is mounted and they are registered here.
if ! arch-test arm64 >/dev/null 2>&1; then
  mountpoint -q /proc/sys/fs/binfmt_misc || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc || true
  update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
fi
arch-test arm64 >/dev/null || { echo "build-image-arm64.sh: arm64 programs do not run here (install qemu-user-static and binfmt-support)" >&2; exit 2; }
bash "$repo/image/build-image.sh" arm64 "$out" "$cache"
