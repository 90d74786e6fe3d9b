#!/usr/bin/env bash
# Builds the libfprint capture helper (capture-helper.c) into the build cache, only when its
# source changed, and prints the binary's path. `make` runs it; tests call it to find the helper.
# Needs gcc, pkg-config, libfprint-2-dev and libglib2.0-dev (the Makefile's APT_PACKAGES).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(id -u)" = 0 ]; then cache=/var/cache/anjungan; else cache="${XDG_CACHE_HOME:-$HOME/.cache}/anjungan"; fi
mkdir -p "$cache"
src="$here/capture-helper.c"
sum="$(sha256sum "$src" | cut -c1-16)"
bin="$cache/anjungan-fprint-capture-$sum"
if [ ! -x "$bin" ]; then
  pkg-config --exists libfprint-2 glib-2.0 || { echo "build-capture-helper.sh: libfprint-2-dev and libglib2.0-dev are missing (make system-deps installs them)" >&2; exit 1; }
  # shellcheck disable=SC2046
  gcc -O2 -Wall -Wextra -Werror -o "$bin.tmp" "$src" $(pkg-config --cflags --libs libfprint-2 glib-2.0 gio-2.0)
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
