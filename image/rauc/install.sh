#!/usr/bin/env bash
# Puts the update machinery into a root file system tree (image/build-rootfs.sh calls it): RAUC's
# configuration with the board's compatible, the keyring (certificates only), the firmware
# backend and pre-install handler, and /usr/lib/anjungan/release.json naming the release.
# Usage: image/rauc/install.sh TREE ARCH
#   ANJUNGAN_UPDATE_KEYRING  PEM certificate(s) bundles must be signed under (the technician's
#                            CA, docs/updates.md); without it the image trusts no bundle.
set -euo pipefail
tree="$1" arch="$2"
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

compatible="$(bash "$here/compatible.sh" "$arch")"
version="$(node -p "JSON.parse(require('node:fs').readFileSync('$repo/package.json', 'utf8')).version")"
# The build: the commit's time (UTC) and hash, so that a later commit is a later release.
build="$(TZ=UTC0 git -C "$repo" log -1 --date=format-local:%Y%m%dT%H%M%SZ --format=%cd-%h)"

install -d -m 0755 "$tree/etc/rauc" "$tree/usr/lib/anjungan/rauc"
sed "s/@COMPATIBLE@/$compatible/" "$here/system.conf" > "$tree/etc/rauc/system.conf.new"
mv "$tree/etc/rauc/system.conf.new" "$tree/etc/rauc/system.conf"
install -m 0644 "$here/anjungan-boot.conf" "$tree/etc/rauc/anjungan-boot.conf"
install -m 0755 "$here/boot-backend" "$here/pre-install" "$tree/usr/lib/anjungan/rauc/"
if [ -n "${ANJUNGAN_UPDATE_KEYRING:-}" ]; then
  if grep -q 'PRIVATE KEY' "$ANJUNGAN_UPDATE_KEYRING"; then
    echo "install.sh: $ANJUNGAN_UPDATE_KEYRING holds a private key: the kiosk's keyring takes certificates only" >&2
    exit 2
  fi
  openssl x509 -in "$ANJUNGAN_UPDATE_KEYRING" -noout 2>/dev/null || { echo "install.sh: $ANJUNGAN_UPDATE_KEYRING is not a PEM certificate" >&2; exit 2; }
  install -m 0644 "$ANJUNGAN_UPDATE_KEYRING" "$tree/etc/rauc/keyring.pem"
else
  echo "install.sh: no ANJUNGAN_UPDATE_KEYRING: this image accepts no update bundle" >&2
  rm -f "$tree/etc/rauc/keyring.pem"
fi
printf '{\n  "version": "%s",\n  "build": "%s",\n  "compatible": "%s"\n}\n' "$version" "$build" "$compatible" > "$tree/usr/lib/anjungan/release.json"
