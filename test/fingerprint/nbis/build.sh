#!/usr/bin/env bash
# Builds the benchmark's bozorth3 tool (bozorth-identify.c) into the build cache when its source
# changed, and prints its path. Needs libfprint-2-dev and libglib2.0-dev (the Makefile's APT_PACKAGES).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(id -u)" = 0 ]; then cache=/var/cache/anjungan; else cache="${XDG_CACHE_HOME:-$HOME/.cache}/anjungan"; fi
mkdir -p "$cache"
src="$here/bozorth-identify.c"
bin="$cache/anjungan-bozorth-identify-$(sha256sum "$src" | cut -c1-16)"
if [ ! -x "$bin" ]; then
  # shellcheck disable=SC2046
  gcc -O2 -Wall -Wextra -Werror -o "$bin.tmp" "$src" $(pkg-config --cflags --libs libfprint-2 glib-2.0 gio-2.0)
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
