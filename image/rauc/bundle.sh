#!/usr/bin/env bash
# A signed RAUC bundle of one release: the boot partition's FAT image and the root's ext4 image
# (as image/build-image.sh lays them out), with a manifest naming the release of the root
# (its /usr/lib/anjungan/release.json), in RAUC's verity format: the signature covers the
# manifest, which carries the root hash of the payload's hash tree; the kiosk's kernel checks
# every block against it as RAUC writes. Next to the bundle, BOARD.json describes it for an
# update folder on the office LAN (anjungan-provision update pull).
# Usage: image/rauc/bundle.sh RELEASE_JSON BOOT_VFAT ROOT_EXT4 OUT_DIR
#   ANJUNGAN_SIGNING_CERT, ANJUNGAN_SIGNING_KEY  the technician's signing certificate and key
#       (the key may be a PKCS#11 URI, with RAUC_PKCS11_MODULE and RAUC_PKCS11_PIN set)
#   ANJUNGAN_SIGNING_CHAIN   intermediate certificates between the signer and the kiosk's keyring
#   ANJUNGAN_UPDATE_KEYRING  when set, the signature is checked against it right after signing
#   ANJUNGAN_ZSTD_LEVEL      the payload's zstd level (default 12, as the image's)
#   ANJUNGAN_BUNDLE_FORMAT   verity (default); tests on a kernel without dm-verity make plain ones
set -euo pipefail
release="$1" boot="$2" root="$3" out="$4"
: "${ANJUNGAN_SIGNING_CERT:?the signing certificate (ANJUNGAN_SIGNING_CERT)}" "${ANJUNGAN_SIGNING_KEY:?the signing key (ANJUNGAN_SIGNING_KEY)}"
field() { node -p "JSON.parse(require('node:fs').readFileSync(process.argv[1], 'utf8'))[process.argv[2]]" "$release" "$1"; }
compatible="$(field compatible)" version="$(field version)" build="$(field build)"
format="${ANJUNGAN_BUNDLE_FORMAT:-verity}"

mkdir -p "$out"
stage="$(mktemp -d "$out/.bundle-XXXXXX")"
trap 'rm -rf "$stage"' EXIT
# Hard links where the file system allows: the images are large.
ln "$boot" "$stage/boot.vfat" 2>/dev/null || cp --sparse=always "$boot" "$stage/boot.vfat"
ln "$root" "$stage/root.ext4" 2>/dev/null || cp --sparse=always "$root" "$stage/root.ext4"
cat > "$stage/manifest.raucm" <<MANIFEST
[update]
compatible=$compatible
version=$version
build=$build
description=anjungan $version

[bundle]
format=$format

[image.rootfs]
filename=root.ext4

[image.boot]
filename=boot.vfat
MANIFEST
name="anjungan-$compatible-$version-${build%%-*}.raucb"
rm -f "$out/$name"
args=(--cert="$ANJUNGAN_SIGNING_CERT" --key="$ANJUNGAN_SIGNING_KEY" --mksquashfs-args="-comp zstd -Xcompression-level ${ANJUNGAN_ZSTD_LEVEL:-12}")
[ -z "${ANJUNGAN_SIGNING_CHAIN:-}" ] || args+=(--intermediate="$ANJUNGAN_SIGNING_CHAIN")
# A signer the image's keyring does not trust is found here, not on a kiosk: checked as the kiosk
# checks, for a certificate meant for signing code.
conf="$(mktemp "$out/.verify-XXXXXX.conf")"
trap 'rm -rf "$stage" "$conf"' EXIT
printf '[system]\ncompatible=%s\nbootloader=noop\n[keyring]\ncheck-purpose=codesign\n' "$compatible" > "$conf"
[ -z "${ANJUNGAN_UPDATE_KEYRING:-}" ] || args+=(--signing-keyring="$ANJUNGAN_UPDATE_KEYRING")
rauc --conf="$conf" bundle "${args[@]}" "$stage" "$out/$name" >&2
sha="$(sha256sum "$out/$name" | cut -d' ' -f1)"
size="$(stat -c %s "$out/$name")"
printf '{\n  "compatible": "%s",\n  "version": "%s",\n  "build": "%s",\n  "file": "%s",\n  "size": %s,\n  "sha256": "%s"\n}\n' \
  "$compatible" "$version" "$build" "$name" "$size" "$sha" > "$out/$compatible.json"
echo "$out/$name"
