#!/usr/bin/env bash
# The appliance's root file system as a folder: the cached base (build-rootfs-base.sh) with the
# built app, its run-time node_modules, the units of systemd/ (enabled) and their companions
# installed on top, with the read-only root's settings (image/rootfs/). `make image ARCH=amd64
# FORMAT=rootfs` runs it after `make build`. The tree hard-links the cached base's files: boot it
# read-only (as the booted test does), never write into it in place.
# Usage: image/build-rootfs.sh ARCH OUT_DIR [CACHE_DIR]
set -euo pipefail
arch="$1" out="$(realpath -m "$2")" cache="${3:-/var/cache/anjungan}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
[ -f "$repo/dist/appliance/main.cjs" ] && [ -f "$repo/dist/externals.json" ] || { echo "build-rootfs.sh: run make build first" >&2; exit 2; }
# The cached base for the architecture (build-rootfs-base.sh): Debian, the users, the C helpers
# compiled inside it; for arm64 also the node modules compiled inside it (slow the first time).
base="$("$repo/image/build-rootfs-base.sh" "$arch" "$cache")"

rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -al "$base" "$out"
rm -f "$out/.anjungan-complete"

app="$out/opt/anjungan"
mkdir -p "$app/node_modules" "$app/dist"
# Only the production bundle (no simulators, virtual devices or demo personas) and the UI.
cp -r "$repo/dist/appliance" "$repo/dist/ui" "$app/dist/"
[ ! -d "$repo/dist/provisioning" ] || cp -r "$repo/dist/provisioning" "$app/dist/"
cp --remove-destination "$repo/package.json" "$repo/README.md" "$app/"
# The technician's pages the README and the units link to (text only; the screenshots stay out).
(cd "$repo/docs" && find . -name '*.md' -exec install -D -m 0644 {} "$app/docs/{}" \;)
# The host-architecture tree takes the node modules built here (same Node ABI as the tree's);
# the arm64 base has them compiled inside it.
if [ "$arch" = "$(dpkg --print-architecture)" ]; then
  (cd "$repo" && node image/runtime-modules.mjs) | while read -r module; do
    mkdir -p "$app/$(dirname "$module")"
    cp -r "$repo/$module" "$app/$module"
  done
fi
cat > "$out/usr/local/bin/anjungan-provision" <<'WRAPPER'
#!/bin/sh
exec /usr/bin/node /opt/anjungan/dist/provisioning/main.js "$@"
WRAPPER
chmod 0755 "$out/usr/local/bin/anjungan-provision"

units="$out/etc/systemd/system"
install -m 0644 "$repo"/systemd/*.service "$repo"/systemd/*.timer "$repo"/systemd/*.path "$units/"
# The fingerprint sensors libfprint supports, from its own list: their USB nodes go to the
# daemon's group (image/rootfs/etc/udev/rules.d/60-anjungan-devices.rules says why).
hwdb="$out/usr/lib/udev/hwdb.d/60-autosuspend-libfprint-2.hwdb"
mkdir -p "$out/etc/udev/rules.d"
{
  echo "# Generated at image build from libfprint's device list ($(basename "$hwdb")): every USB"
  echo "# fingerprint sensor libfprint supports belongs to the daemon's group."
  sed -nE 's/^usb:v([0-9A-Fa-f]{4})p([0-9A-Fa-f]{4})\*$/\1 \2/p' "$hwdb" | tr 'A-F' 'a-f' | sort -u | while read -r vendor product; do
    echo "ACTION==\"add|bind\", SUBSYSTEM==\"usb\", ENV{DEVTYPE}==\"usb_device\", ATTR{idVendor}==\"$vendor\", ATTR{idProduct}==\"$product\", GROUP=\"anjungan\", MODE=\"0660\""
  done
} > "$out/etc/udev/rules.d/61-anjungan-fingerprint.rules.new"

install -D -m 0644 "$repo/systemd/pam-anjungan-kiosk" "$out/etc/pam.d/anjungan-kiosk"
install -D -m 0644 "$repo/systemd/polkit-anjungan-pcsc.rules" "$out/etc/polkit-1/rules.d/50-anjungan-pcsc.rules"
# The kiosk browser's policies, bound onto /etc/chromium/policies/managed by its unit only (the
# empty folder is the mount point): the daemon's headless Chromium, which prints reports, sees none.
install -D -m 0644 "$repo/systemd/chromium-policy.json" "$out/usr/share/anjungan/kiosk-chromium-policies/anjungan.json"
mkdir -p "$out/etc/chromium/policies/managed"
# Updates: RAUC's configuration and keyring, the firmware backend, release.json (image/rauc/).
bash "$repo/image/rauc/install.sh" "$out" "$arch"
# The read-only root: fstab (tmpfs for the volatile paths), the data and boot partition mounts,
# journald in memory, the hardware watchdog, SSH off unless enabled (image/rootfs/). Files are
# replaced, never written through: the tree shares its inodes with the cached base.
cp -r --remove-destination "$repo/image/rootfs/." "$out/"
# No host key baked into the image: each kiosk makes its own on the data partition.
rm -f "$out"/etc/ssh/ssh_host_*
kiosk_ids="$(awk -F: '$1 == "anjungan-kiosk" { print "s/@KIOSK_UID@/" $3 "/; s/@KIOSK_GID@/" $4 "/" }' "$out/etc/passwd")"
sed "$kiosk_ids" "$repo/image/rootfs/etc/fstab" > "$out/etc/fstab.new" && mv "$out/etc/fstab.new" "$out/etc/fstab"
mv "$out/etc/udev/rules.d/61-anjungan-fingerprint.rules.new" "$out/etc/udev/rules.d/61-anjungan-fingerprint.rules"
mkdir -p "$out/data" "$out/boot/firmware" "$out/etc/anjungan" "$out/var/lib/anjungan" "$out/media"
# The clock never starts before the image was built (systemd reads this file's time at boot).
rm -f "$out/usr/lib/clock-epoch"
touch -d "@${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct)}" "$out/usr/lib/clock-epoch"
systemctl --root="$out" --quiet enable data.mount var-lib-anjungan.mount etc-anjungan.mount boot-firmware.mount anjungan-grow-data.service
systemctl --root="$out" --quiet enable anjungan.service anjungan-firewall.service anjungan-agreement.timer \
  anjungan-kiosk.service anjungan-kiosk-restart.path anjungan-code-cache.path pcscd.socket ssh.service anjungan-update-check.service anjungan-update-pull.timer
# Network, time, identity and the persistent journal (image/rootfs, systemd/).
systemctl --root="$out" --quiet enable systemd-networkd.service systemd-timesyncd.service anjungan-clock.service \
  anjungan-clock-save.timer anjungan-identity.service var-log-journal.mount
systemctl --root="$out" --quiet set-default graphical.target
echo "$out"
