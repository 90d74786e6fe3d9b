#!/usr/bin/env bash
# The appliance's base root file system (Debian trixie, no app layer yet), built with mmdebstrap
# and cached under CACHE_DIR in stages, each keyed by its own inputs, so a change rebuilds only
# from the stage it touches (under qemu-user emulation the first two take an hour):
#   debian   the packages of packages-rootfs.txt (+ packages-arm64.txt for the board), the
#            appliance's users, and the build tools the later stages need;
#   modules  arm64 only: the app's node modules as package-lock.json pins them, fetched by the
#            host's npm (no scripts), their native parts compiled inside the tree, offline
#            (the host-architecture tree takes the host's node_modules in build-rootfs.sh);
#   helpers  the C helpers (fingerprint capture, GPIO) compiled inside the tree against its own
#            libraries, then every build tool purged: what is left is the appliance's base.
# Prints the last stage's path. Usage: image/build-rootfs-base.sh ARCH CACHE_DIR
set -euo pipefail
arch="$1" cache="$2"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/.." && pwd)"
lists="$here/packages-rootfs.txt"
[ "$arch" != arm64 ] || lists="$lists $here/packages-arm64.txt"
# shellcheck disable=SC2086
packages="$(cat $lists | grep -v -e '^#' -e '^$' | sort -u | paste -sd, -)"
build_tools="gcc libc6-dev pkg-config libfprint-2-dev libglib2.0-dev libgpiod-dev"
[ "$arch" != arm64 ] || build_tools="$build_tools g++ make python3 npm libpcsclite-dev"
debs="$cache/debs-trixie-$arch"
helpers="$repo/device/fingerprint/capture-helper.c $repo/device/gpio/gpio-helper.c"

# The users the units run as and the hostname (appliance-accounts.sh). Downloaded packages are
# kept in $debs between builds.
stage_debian() {
  local out="$1"
  local components=main
  [ "$arch" != arm64 ] || components="main non-free-firmware"
  mmdebstrap --quiet --variant=minbase --architectures="$arch" --components="$components" \
    --include="$packages,${build_tools// /,}" --skip=essential/unlink \
    --setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives" \
    --setup-hook="sync-in $debs /var/cache/apt/archives" \
    --customize-hook="bash '$here/appliance-accounts.sh' \"\$1\"" \
    --customize-hook="sync-out /var/cache/apt/archives $debs" \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
    trixie "$out" >&2
}

# Runs a command inside a tree (its own architecture's programs through binfmt on arm64).
in_tree() {
  local tree="$1"
  shift
  unshare --mount --fork sh -c 'mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" && exec chroot "$0" "$@"' "$tree" "$@"
}

stage_modules() {
  local out="$1"
  mkdir -p "$out/opt/anjungan"
  cp "$repo/package.json" "$repo/package-lock.json" "$out/opt/anjungan/"
  (cd "$out/opt/anjungan" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund >&2)
  in_tree "$out" sh -c 'cd /opt/anjungan && npm_config_offline=true npm_config_nodedir=/usr npm_config_build_from_source=true JOBS=max npm rebuild && rm -rf /root/.npm /root/.cache' >&2
}

stage_helpers() {
  local out="$1"
  mkdir -p "$out/usr/lib/anjungan" "$out/tmp/helpers"
  cp $helpers "$out/tmp/helpers/"
  in_tree "$out" sh -c '
    set -e
    gcc -O2 -Wall -Wextra -Werror -o /usr/lib/anjungan/anjungan-fprint-capture /tmp/helpers/capture-helper.c $(pkg-config --cflags --libs libfprint-2 glib-2.0 gio-2.0)
    gcc -O2 -Wall -Wextra -Werror -o /usr/lib/anjungan/anjungan-gpio /tmp/helpers/gpio-helper.c $(pkg-config --cflags --libs libgpiod)
    rm -rf /tmp/helpers' >&2
  in_tree "$out" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq --autoremove $build_tools >&2
  rm -rf "$out"/var/cache/apt/archives/*.deb "$out"/var/lib/apt/lists/* "$out"/var/cache/debconf/*-old "$out"/var/lib/dpkg/*-old
}

# One stage: reused when its key's tree is complete, else made from the previous stage's tree.
# The stamp's time says when a tree was last used: checkouts with other inputs share the cache
# without evicting each other's trees; a tree unused for two days is removed.
stage() {
  local name="$1" key="$2" from="$3"
  local tree="$cache/rootfs-$name-$arch-$key"
  # One build of a tree at a time: parallel test files (or checkouts) wait for the first and reuse
  # it; builds of other trees (other checkouts' package lists) go on side by side.
  exec 9>"$tree.lock"
  flock 9
  if [ -f "$tree/.anjungan-complete" ]; then touch "$tree/.anjungan-complete"; echo "$tree"; return; fi
  for old in "$cache"/rootfs-"$name"-"$arch"-*/; do
    [ -d "$old" ] || continue
    # Only trees unused for two days (a tree being built elsewhere holds its lock).
    if [ -f "$old.anjungan-complete" ] && [ -n "$(find "$old.anjungan-complete" -mmin +2880)" ]; then rm -rf "$old"; fi
  done
  rm -rf "$tree.tmp"
  if [ -n "$from" ]; then cp -a "$from" "$tree.tmp" && rm -f "$tree.tmp/.anjungan-complete"; fi
  "stage_$name" "$tree.tmp"
  touch "$tree.tmp/.anjungan-complete"
  mv "$tree.tmp" "$tree"
  echo "$tree"
}

mkdir -p "$cache" "$debs"
# shellcheck disable=SC2086
key_debian="$( (declare -f stage_debian; echo "$build_tools"; cat $lists "$here/appliance-accounts.sh"; echo "$arch") | sha256sum | cut -c1-16)"
tree="$(stage debian "$key_debian" "")"
if [ "$arch" = arm64 ]; then
  key_modules="$( (echo "$key_debian"; declare -f stage_modules in_tree; cat "$repo/package-lock.json") | sha256sum | cut -c1-16)"
  tree="$(stage modules "$key_modules" "$tree")"
fi
# shellcheck disable=SC2086
key_helpers="$( (echo "$tree"; declare -f stage_helpers in_tree; cat $helpers) | sha256sum | cut -c1-16)"
stage helpers "$key_helpers" "$tree"
