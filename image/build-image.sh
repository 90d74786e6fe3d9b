#!/usr/bin/env bash
# The flashable SD-card image, built without loop mounts or root mounts of any kind: the three
# file systems are made from folders (FAT with mkfs.vfat + mtools, ext4 with mkfs.ext4 -d), laid
# into one file behind an MBR partition table written by sfdisk, then compressed. Next to it: its
# SHA-256 and a manifest of every Debian package version and app module in the image.
#   p1  FAT32  ANJ-BOOT  firmware, kernel, config.txt, cmdline.txt (mounted read-only)
#   p2  ext4   ANJ-ROOT  the root file system (mounted read-only)
#   p3  ext4   ANJ-DATA  /var/lib/anjungan and /etc/anjungan (grown to fill the card at first boot)
# Usage: image/build-image.sh ARCH OUT_DIR [CACHE_DIR]
# ANJUNGAN_IMAGE_TREE=DIR takes an already-built root file system (image/build-image-arm64.sh);
# otherwise image/build-rootfs.sh builds it for the host architecture. ANJUNGAN_ZSTD_LEVEL sets
# the compression level (default 12); ANJUNGAN_VERSIONS and ANJUNGAN_VERSIONS_FILE: see below.
set -euo pipefail
arch="$1" out="$2" cache="${3:-/var/cache/anjungan}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
name="anjungan-$arch"
work="$out/.work-$arch"
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
# Same inputs, same file systems: timestamps and identifiers come from the commit.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct)}"
export E2FSPROGS_FAKE_TIME="$SOURCE_DATE_EPOCH" MTOOLS_SKIP_CHECK=1
uuid() { echo -n "$1-$arch-$SOURCE_DATE_EPOCH" | sha256sum | sed -E 's/^(.{8})(.{4}).(.{3}).(.{3})(.{12}).*/\1-\2-4\3-8\4-\5/'; }

tree="${ANJUNGAN_IMAGE_TREE:-}"
if [ -z "$tree" ]; then
  tree="$work/root"
  bash "$repo/image/build-rootfs.sh" "$arch" "$tree" "$cache" >/dev/null
fi

# Same inputs, same package set: Debian moves on (point releases, security updates), so the
# tree's packages are checked against the set recorded for the architecture
# (image/versions-ARCH.txt, committed) before anything is laid out. A difference stops the build
# with the diff; ANJUNGAN_VERSIONS=record accepts the new set and writes the file (to commit).
versions="$work/versions.txt"
dpkg-query --admindir="$tree/var/lib/dpkg" -W -f='${Package}\t${Version}\t${Architecture}\n' | LC_ALL=C sort > "$versions"
recorded="${ANJUNGAN_VERSIONS_FILE:-$repo/image/versions-$arch.txt}"
if [ "${ANJUNGAN_VERSIONS:-check}" = record ]; then
  cp "$versions" "$recorded"
  echo "build-image.sh: package set recorded in $recorded" >&2
elif [ ! -f "$recorded" ]; then
  echo "build-image.sh: no package set recorded for $arch ($recorded): nothing to compare; ANJUNGAN_VERSIONS=record records this build's" >&2
elif ! diff -u --label "recorded $recorded" --label "this build" "$recorded" "$versions" >&2; then
  echo "build-image.sh: the Debian packages differ from the recorded set (diff above); ANJUNGAN_VERSIONS=record accepts them" >&2
  exit 3
fi

# The boot partition takes what the firmware package put under /boot/firmware (nothing on amd64,
# whose image only serves the tests), with the appliance's kernel command line.
boot="$work/boot"
mkdir -p "$boot" "$tree/boot/firmware"
find "$tree/boot/firmware" -mindepth 1 -maxdepth 1 -exec mv -t "$boot" {} +
echo "console=tty3 root=LABEL=ANJ-ROOT rootfstype=ext4 ro rootwait fsck.repair=yes consoleblank=0 quiet loglevel=3" > "$boot/cmdline.txt"
[ -f "$boot/config.txt" ] || printf '[all]\narm_64bit=1\ndisable_splash=1\ndtparam=watchdog=on\n' > "$boot/config.txt"

# The data partition: the daemon's state folder (its own, 0700) and the configuration folder
# (root:anjungan 0751) that `anjungan-provision init` fills; the saved clock and the journal.
data="$work/data"
ids="$(awk -F: '$1 == "anjungan" { print $3 ":" $4 }' "$tree/etc/passwd")"
install -d -m 0700 -o "${ids%:*}" -g "${ids#*:}" "$data/lib/anjungan"
install -d -m 0751 -o 0 -g "${ids#*:}" "$data/etc/anjungan"
install -d -m 0755 "$data/lib/clock"
touch -d "@$SOURCE_DATE_EPOCH" "$data/lib/clock/saved"
journal_gid="$(awk -F: '$1 == "systemd-journal" { print $3 }' "$tree/etc/group")"
install -d -m 2755 -o 0 -g "$journal_gid" "$data/log/journal"

# Sizes in MiB: the root gets a fifth more than its content, rounded up to 4 MiB so the data
# partition after it starts on an erase-block boundary; the data partition starts small and
# grows on the card.
root_mib=$(( ($(du -s -B1M --apparent-size "$tree" | cut -f1) * 6 / 5 + 64 + 3) / 4 * 4 ))
boot_mib=256 data_mib=64
mkfs.vfat -C -F 32 -n ANJ-BOOT -i 414e4a42 --invariant "$work/boot.vfat" $((boot_mib * 1024)) >/dev/null
mcopy -s -m -i "$work/boot.vfat" "$boot"/* ::/
mkfs.ext4 -q -F -L ANJ-ROOT -U "$(uuid root)" -E "hash_seed=$(uuid root-hash)" -i 8192 -m 0 -d "$tree" "$work/root.ext4" "${root_mib}M" >/dev/null
# The data file system is made small but for a big card: 4 KiB blocks (not the 1 KiB of a small
# file system) and room in its descriptor table to grow online up to 256 GiB.
mkfs.ext4 -q -F -L ANJ-DATA -U "$(uuid data)" -T default -b 4096 -E "hash_seed=$(uuid data-hash),resize=$((256 << 18))" -m 0 -d "$data" "$work/data.ext4" "${data_mib}M" >/dev/null

# The table: the boot partition at 4 MiB (erase-block aligned), then root, then data last so it
# can grow to the end of the card.
img="$out/$name.img"
boot_start=8192 boot_size=$((boot_mib * 2048))
root_start=$((boot_start + boot_size)) root_size=$((root_mib * 2048))
data_start=$((root_start + root_size)) data_size=$((data_mib * 2048))
rm -f "$img"
truncate -s $(((data_start + data_size) * 512)) "$img"
sfdisk --quiet "$img" <<TABLE
label: dos
label-id: 0x414e4a47
start=$boot_start, size=$boot_size, type=c, bootable
start=$root_start, size=$root_size, type=83
start=$data_start, size=$data_size, type=83
TABLE
for part in boot.vfat:$boot_start root.ext4:$root_start data.ext4:$data_start; do
  dd if="$work/${part%:*}" of="$img" bs=512 seek="${part#*:}" conv=notrunc,sparse status=none
done

# What is in it: every Debian package and version, the app's version and commit, its modules.
{
  echo "# $name.img: Debian packages (name, version, architecture), then the app and its node modules"
  cat "$versions"
  echo -e "anjungan\t$(node -p "require('$repo/package.json').version")+$(git -C "$repo" rev-parse --short HEAD)\tapp"
  for pkg in "$tree"/opt/anjungan/node_modules/*/package.json "$tree"/opt/anjungan/node_modules/@*/*/package.json; do
    # Read as a file: `make image-arm64` passes a relative OUT_DIR, which require() would take for a module name.
    [ -f "$pkg" ] && node -e 'const p = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8")); console.log(`${p.name}\t${p.version}\tnode`)' "$pkg"
  done
} > "$out/$name.manifest.txt"

zstd -q -f -T0 "-${ANJUNGAN_ZSTD_LEVEL:-12}" -o "$img.zst" "$img"
(cd "$out" && sha256sum "$name.img.zst" "$name.img" > "$name.sha256")
echo "$img.zst"
