#!/usr/bin/env bash
# The flashable SD-card image, built without loop mounts or root mounts of any kind: the file
# systems are made from folders (FAT with mkfs.vfat + mtools, ext4 with mkfs.ext4 -d), laid into
# one file behind an MBR partition table written by sfdisk, then compressed. Next to it: its
# SHA-256 and a manifest of every Debian package version and app module in the image. Two
# system slots, A and B, for updates (image/rauc/, docs/updates.md); the Raspberry Pi firmware
# reads autoboot.txt on p1 and boots slot A's boot partition, or B's once when asked (tryboot):
#   p1  FAT16  ANJ-BOOT     autoboot.txt (and a technician's `ssh`, authorized_keys); mounted read-only
#   p2  FAT32  slot A boot  firmware, kernel, config.txt, cmdline.txt naming p5
#   p3  FAT32  slot B boot  empty until the first update
#   p4  extended, holding:
#   p5  ext4   slot A root  the root file system (mounted read-only)
#   p6  ext4   slot B root  empty until the first update
#   p7  ext4   ANJ-DATA     /var/lib/anjungan, /etc/anjungan, RAUC's status (grown to fill the card at first boot)
# Usage: image/build-image.sh ARCH OUT_DIR [CACHE_DIR]
# ANJUNGAN_IMAGE_TREE=DIR takes an already-built root file system (image/build-image-arm64.sh);
# otherwise image/build-rootfs.sh builds it for the host architecture. ANJUNGAN_ZSTD_LEVEL sets
# the compression level (default 12); ANJUNGAN_VERSIONS and ANJUNGAN_VERSIONS_FILE: see below.
# With ANJUNGAN_SIGNING_CERT and ANJUNGAN_SIGNING_KEY (`make bundle`), the signed update bundle of
# the same boot and root images is made too (image/rauc/bundle.sh), in OUT_DIR/bundles.
set -euo pipefail
arch="$1" out="$(realpath -m "$2")" cache="${3:-/var/cache/anjungan}"
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

# Slot A's boot partition takes what the firmware package put under /boot/firmware (nothing on
# amd64, whose image only serves the tests), with the appliance's kernel command line: slot A's
# root by its partition (both roots carry the same file system), RAUC's name for the slot, and a
# reboot 10 s after a kernel panic (a release on trial that panics is left at the next boot).
boot="$work/boot"
mkdir -p "$boot" "$tree/boot/firmware"
find "$tree/boot/firmware" -mindepth 1 -maxdepth 1 -exec mv -t "$boot" {} +
echo "console=tty3 root=PARTUUID=414e4a47-05 rauc.slot=A rootfstype=ext4 ro rootwait fsck.repair=yes panic=10 consoleblank=0 quiet loglevel=3" > "$boot/cmdline.txt"
[ -f "$boot/config.txt" ] || printf '[all]\narm_64bit=1\ndisable_splash=1\ndtparam=watchdog=on\n' > "$boot/config.txt"
# p1: the firmware's choice of boot partition. tryboot_a_b: the partition tried once reads its own
# config.txt. image/rauc/boot-backend rewrites this file when an update is marked good.
autoboot="$work/autoboot"
mkdir -p "$autoboot"
printf '[all]\ntryboot_a_b=1\nboot_partition=2\n[tryboot]\nboot_partition=3\n' > "$autoboot/autoboot.txt"

# The data partition: the daemon's state folder (its own, 0700) and the configuration folder
# (root:anjungan 0751) that `anjungan-provision init` fills; the sealed code cache's folder; the
# saved clock, the journal, and RAUC's (root's) status folder.
data="$work/data"
ids="$(awk -F: '$1 == "anjungan" { print $3 ":" $4 }' "$tree/etc/passwd")"
# /data and /data/lib are traversable (0755, whatever the umask of the build): the daemon reads
# the sealed code cache below them.
install -d -m 0755 "$data" "$data/lib"
install -d -m 0700 -o "${ids%:*}" -g "${ids#*:}" "$data/lib/anjungan"
install -d -m 0751 -o 0 -g "${ids#*:}" "$data/etc/anjungan"
# The daemon's code cache, sealed by root (anjungan-code-cache.service): the daemon reads it only.
install -d -m 0755 -o 0 -g 0 "$data/lib/anjungan-code-cache"
install -d -m 0755 "$data/lib/clock"
touch -d "@$SOURCE_DATE_EPOCH" "$data/lib/clock/saved"
journal_gid="$(awk -F: '$1 == "systemd-journal" { print $3 }' "$tree/etc/group")"
install -d -m 2755 -o 0 -g "$journal_gid" "$data/log/journal"
install -d -m 0755 -o 0 -g 0 "$data/rauc"

# Sizes in MiB: each root slot gets a fifth more than the root's content, rounded up to 4 MiB so
# every partition starts on an erase-block boundary; the data partition starts small and grows
# on the card.
root_mib=$(( ($(du -s -B1M --apparent-size "$tree" | cut -f1) * 6 / 5 + 64 + 3) / 4 * 4 ))
autoboot_mib=32 boot_mib=256 data_mib=64
mkfs.vfat -C -F 16 -n ANJ-BOOT -i 414e4a41 --invariant "$work/autoboot.vfat" $((autoboot_mib * 1024)) >/dev/null
mcopy -s -m -i "$work/autoboot.vfat" "$autoboot"/* ::/
mkfs.vfat -C -F 32 -n ANJ-SYSBOOT -i 414e4a42 --invariant "$work/boot.vfat" $((boot_mib * 1024)) >/dev/null
mcopy -s -m -i "$work/boot.vfat" "$boot"/* ::/
mkfs.ext4 -q -F -L ANJ-ROOT -U "$(uuid root)" -E "hash_seed=$(uuid root-hash)" -i 8192 -m 0 -d "$tree" "$work/root.ext4" "${root_mib}M" >/dev/null
# The data file system is made small but for a big card: 4 KiB blocks (not the 1 KiB of a small
# file system) and room in its descriptor table to grow online up to 256 GiB.
mkfs.ext4 -q -F -L ANJ-DATA -U "$(uuid data)" -T default -b 4096 -E "hash_seed=$(uuid data-hash),resize=$((256 << 18))" -m 0 -d "$data" "$work/data.ext4" "${data_mib}M" >/dev/null

# The table: p1 at 4 MiB (erase-block aligned), the boot slots, then the extended partition with
# the root slots and, last, data so it can grow to the end of the card. Each logical partition
# starts 4 MiB after the one before: room for its extended boot record, alignment kept.
img="$out/$name.img"
mib=2048 gap=8192
p1_start=8192 p1_size=$((autoboot_mib * mib))
p2_start=$((p1_start + p1_size)) p2_size=$((boot_mib * mib))
p3_start=$((p2_start + p2_size)) p3_size=$((boot_mib * mib))
p4_start=$((p3_start + p3_size))
p5_start=$((p4_start + gap)) p5_size=$((root_mib * mib))
p6_start=$((p5_start + p5_size + gap)) p6_size=$((root_mib * mib))
p7_start=$((p6_start + p6_size + gap)) p7_size=$((data_mib * mib))
p4_size=$((p7_start + p7_size - p4_start))
rm -f "$img"
truncate -s $(((p7_start + p7_size) * 512)) "$img"
sfdisk --quiet "$img" <<TABLE
label: dos
label-id: 0x414e4a47
start=$p1_start, size=$p1_size, type=e, bootable
start=$p2_start, size=$p2_size, type=c
start=$p3_start, size=$p3_size, type=c
start=$p4_start, size=$p4_size, type=5
start=$p5_start, size=$p5_size, type=83
start=$p6_start, size=$p6_size, type=83
start=$p7_start, size=$p7_size, type=83
TABLE
# Slot B stays empty (zeros, sparse): an update writes it.
for part in autoboot.vfat:$p1_start boot.vfat:$p2_start root.ext4:$p5_start data.ext4:$p7_start; do
  dd if="$work/${part%:*}" of="$img" bs=512 seek="${part#*:}" conv=notrunc,sparse status=none
done

# `make bundle`: the same boot and root images, signed, as the update to this release.
if [ -n "${ANJUNGAN_SIGNING_KEY:-}" ]; then
  bash "$repo/image/rauc/bundle.sh" "$tree/usr/lib/anjungan/release.json" "$work/boot.vfat" "$work/root.ext4" "$out/bundles" >/dev/null
fi

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
