#!/usr/bin/env bash
# The Raspberry Pi 4/5 SD-card image: Debian trixie arm64 made by mmdebstrap under qemu-user
# emulation (binfmt); the app's node modules are fetched by the host's npm (as pinned by
# package-lock.json, no install scripts run), their native parts and the fingerprint capture
# helper compiled for arm64 inside the tree, offline, and the build tools removed after; then the same
# app layer as the host tree (build-rootfs.sh) and the same layout (build-image.sh). Slow.
# Usage: image/build-image-arm64.sh OUT_DIR [CACHE_DIR]     (`make image-arm64`)
set -euo pipefail
out="$1" cache="${2:-/var/cache/anjungan}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$repo/dist/appliance/main.js" ] || { echo "build-image-arm64.sh: run make build first" >&2; exit 2; }
# qemu-user-static registers its binfmt handlers when installed; where binfmt_misc was mounted
# later (containers), they are registered here.
arch-test arm64 >/dev/null 2>&1 || update-binfmts --enable qemu-aarch64 >/dev/null 2>&1 || true
arch-test arm64 >/dev/null || { echo "build-image-arm64.sh: arm64 programs do not run here (install qemu-user-static and binfmt-support)" >&2; exit 2; }
packages="$(cat "$repo/image/packages-rootfs.txt" "$repo/image/packages-arm64.txt" | grep -v -e '^#' -e '^$' | sort -u | paste -sd, -)"
build_tools="g++ gcc make python3 npm pkg-config libpcsclite-dev libfprint-2-dev libglib2.0-dev"
base="$out/.base-arm64" tree="$out/.rootfs-arm64" debs="$cache/debs-trixie-arm64"
rm -rf "$base" "$tree"
mkdir -p "$out" "$debs"
trap 'rm -rf "$base" "$tree"' EXIT

mmdebstrap --variant=minbase --architectures=arm64 --components="main non-free-firmware" \
  --include="$packages,${build_tools// /,}" --skip=essential/unlink \
  --setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives" \
  --setup-hook="sync-in $debs /var/cache/apt/archives" \
  --customize-hook="bash '$repo/image/appliance-accounts.sh' \"\$1\"" \
  --customize-hook="mkdir -p \"\$1/opt/anjungan\" && cp $repo/package.json $repo/package-lock.json \"\$1/opt/anjungan/\"" \
  --customize-hook='cd "$1/opt/anjungan" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund' \
  --customize-hook='chroot "$1" sh -c "cd /opt/anjungan && npm_config_offline=true npm_config_nodedir=/usr npm_config_build_from_source=true JOBS=max npm rebuild && rm -rf /root/.npm /root/.cache"' \
  --customize-hook="copy-in $repo/device/fingerprint/capture-helper.c /tmp" \
  --customize-hook='mkdir -p "$1/usr/lib/anjungan" && chroot "$1" sh -c "gcc -O2 -Wall -o /usr/lib/anjungan/anjungan-fprint-capture /tmp/capture-helper.c \$(pkg-config --cflags --libs libfprint-2 glib-2.0 gio-2.0) && rm /tmp/capture-helper.c"' \
  --customize-hook="chroot \"\$1\" apt-get purge -y -qq --autoremove $build_tools" \
  --customize-hook="sync-out /var/cache/apt/archives $debs" \
  --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
  trixie "$base" >&2

ANJUNGAN_ROOTFS_BASE="$base" bash "$repo/image/build-rootfs.sh" arm64 "$tree" "$cache" >/dev/null
ANJUNGAN_IMAGE_TREE="$tree" bash "$repo/image/build-image.sh" arm64 "$out" "$cache"
