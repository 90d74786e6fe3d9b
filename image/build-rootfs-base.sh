#!/usr/bin/env bash
# The appliance's base root file system (Debian trixie, no app yet), built with mmdebstrap and
# cached under CACHE_DIR keyed by its inputs (the recipe below, the package list, the architecture):
# a second build with the same inputs reuses the tree. Prints the tree's path.
# Usage: image/build-rootfs-base.sh ARCH CACHE_DIR
set -euo pipefail
arch="$1" cache="$2"
here="$(cd "$(dirname "$0")" && pwd)"
packages="$(grep -v -e '^#' -e '^$' "$here/packages-rootfs.txt" | sort | paste -sd, -)"
# The recipe: everything that decides the tree's content (its text is part of the cache key).
# The users the units run as exist in the base (appliance-accounts.sh).
# Downloaded packages are kept in $debs between builds (apt takes only the versions it wants).
build_tree() {
  local out="$1" debs="$2"
  mmdebstrap --quiet --variant=minbase --architectures="$arch" --include="$packages" --skip=essential/unlink \
    --setup-hook="mkdir -p \"\$1\"/var/cache/apt/archives" \
    --setup-hook="sync-in $debs /var/cache/apt/archives" \
    --customize-hook="bash '$here/appliance-accounts.sh' \"\$1\"" \
    --customize-hook="sync-out /var/cache/apt/archives $debs" \
    --customize-hook='rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' \
    trixie "$out" >&2
}

key="$( (declare -f build_tree; cat "$here/appliance-accounts.sh" "$here/packages-rootfs.txt"; echo "$arch") | sha256sum | cut -c1-16)"
tree="$cache/rootfs-base-$arch-$key"
mkdir -p "$cache"
# One build at a time: parallel test files (or checkouts) wait for the first and reuse its tree.
exec 9>"$cache/rootfs-base-$arch.lock"
flock 9
# The stamp's time says when the tree was last used: checkouts with other package lists share
# the cache without evicting each other's trees; a tree unused for two days is removed.
if [ -f "$tree/.anjungan-complete" ]; then touch "$tree/.anjungan-complete"; echo "$tree"; exit 0; fi
debs="$cache/debs-trixie-$arch"
mkdir -p "$debs"
rm -rf "$tree.tmp"
for old in "$cache"/rootfs-base-"$arch"-*/; do
  if [ ! -f "$old.anjungan-complete" ] || [ -n "$(find "$old.anjungan-complete" -mmin +2880)" ]; then rm -rf "$old"; fi
done
build_tree "$tree.tmp" "$debs"
touch "$tree.tmp/.anjungan-complete"
mv "$tree.tmp" "$tree"
echo "$tree"
