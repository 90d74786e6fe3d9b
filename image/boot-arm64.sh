#!/usr/bin/env bash
# Boots the arm64 SD-card image for real under qemu-system-aarch64 (-M virt, Cortex-A72, full
# emulation): the image's own kernel and initramfs from its boot partition, its root and data
# partitions as a virtio disk (a copy, made 1 GiB bigger like a larger card), no Raspberry Pi
# firmware. The guest's battery clock is set to 2020 as on a Pi without one, and systemd moves it
# forward to the image's build time (/usr/lib/clock-epoch); the saved time on the data partition is
# set to now, later than both, so the restore at boot is exercised for real. Networking is
# qemu's user mode with restrict=on: DHCP from qemu itself, nothing reaches beyond it.
# A second, read-only drive carries the check the guest runs once booted (systemd.run= starts it as
# a unit of its own, after multi-user.target; systemd.wants= pulls that command's service into the
# boot, because the generator's own way, making kernel-command-line.target the default target in
# /run, is overridden by the image's default.target in /etc): it waits for the boot to finish and prints the
# units' states, /healthz, the address, the firewall and the clock to the serial console, then
# powers off. Writes OUT_DIR/anjungan-arm64.boot.txt and exits 0 only when every check holds.
# Usage: image/boot-arm64.sh [IMAGE] [OUT_DIR]   (make image-boot-arm64)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
img="${1:-$repo/image/out/anjungan-arm64.img}"
out="${2:-$(dirname "$img")}"
[ -f "$img" ] || { echo "boot-arm64.sh: no $img: make image-arm64 first" >&2; exit 2; }
work="$(mktemp -d /var/tmp/anj-qemu-XXXXXX)"
trap 'rm -rf "$work"' EXIT
disk="$work/disk.img"
cp --sparse=always "$img" "$disk"
truncate -s +1G "$disk"

# The image's A/B layout (build-image.sh): the firmware's autoboot partition first, then slot A's
# and slot B's boot partitions, the two root slots and the data partition. The guest boots slot A
# as the board's first boot does: its kernel, initramfs and kernel command line.
export MTOOLS_SKIP_CHECK=1
starts() { sfdisk --json "$disk" | node -e 'for (const p of JSON.parse(require("fs").readFileSync(0, "utf8")).partitiontable.partitions) console.log(p.start, p.size)'; }
boot_start="" data_start="" data_size=""
while read -r start size; do
  if [ -z "$boot_start" ] && mdir -i "$disk@@$((start * 512))" -b ::/ 2>/dev/null | grep -q '/vmlinuz-'; then boot_start=$start; fi
  if [ "$(blkid -p -o value -s LABEL -O "$((start * 512))" "$disk" 2>/dev/null)" = ANJ-DATA ]; then data_start=$start data_size=$size; fi
done < <(starts)
[ -n "$boot_start" ] && [ -n "$data_start" ] || { echo "boot-arm64.sh: no boot partition with a kernel, or no ANJ-DATA partition" >&2; exit 3; }
kernel="$(mdir -i "$disk@@$((boot_start * 512))" -b ::/ | grep -m1 -E '/vmlinuz-' | sed 's|^::/||')"
initrd="$(mdir -i "$disk@@$((boot_start * 512))" -b ::/ | grep -m1 -E '/initrd\.img-' | sed 's|^::/||')"
[ -n "$kernel" ] && [ -n "$initrd" ] || { echo "boot-arm64.sh: no kernel or initramfs on the boot partition" >&2; exit 3; }
mcopy -i "$disk@@$((boot_start * 512))" "::/$kernel" "$work/vmlinuz"
mcopy -i "$disk@@$((boot_start * 512))" "::/$initrd" "$work/initrd.img"
# The slot's own command line (its root= and rauc.slot=), with the console on qemu's serial port.
cmdline="$(mcopy -i "$disk@@$((boot_start * 512))" ::/cmdline.txt - | tr -d '\r\n' | sed -E 's/(^| )(console=[^ ]*|quiet|loglevel=[^ ]*)( |$)/ /g; s/(^| )(console=[^ ]*|quiet|loglevel=[^ ]*)( |$)/ /g')"

# The saved time (data partition, /lib/clock/saved) set to now, through debugfs on the partition
# cut out of the copy and written back: no loop mount.
saved_epoch=$(date +%s)
dd if="$disk" of="$work/data.ext4" bs=512 skip="$data_start" count="$data_size" status=none
debugfs -w -R "set_inode_field /lib/clock/saved mtime $(date -u -d "@$saved_epoch" +%Y%m%d%H%M%S)" "$work/data.ext4" >/dev/null 2>&1
dd if="$work/data.ext4" of="$disk" bs=512 seek="$data_start" conv=notrunc status=none

cat > "$work/check.sh" <<'CHECK'
#!/bin/sh
# Run by systemd.run= once the guest has booted; everything goes to the serial console.
exec > /dev/ttyAMA0 2>&1
# Started as a unit of its own (a simple service: its start job is done once it runs), so
# --wait returns when the boot has finished, whatever jobs come later (a browser restart).
timeout 1800 systemctl is-system-running --wait >/dev/null 2>&1
echo "ANJ-CHECK system $(systemctl is-system-running)"
echo "ANJ-CHECK failed-units $(systemctl list-units --failed --no-legend --plain --no-pager | awk '{ print $1 }' | tr '\n' ' ')"
echo "ANJ-CHECK target multi-user.target $(systemctl is-active multi-user.target)"
for unit in anjungan.service systemd-networkd.service systemd-timesyncd.service anjungan-firewall.service anjungan-clock.service anjungan-identity.service var-log-journal.mount data.mount anjungan-grow-data.service; do
  echo "ANJ-CHECK unit $unit $(systemctl is-active "$unit")"
done
echo "ANJ-CHECK healthz $(node -e "fetch('http://127.0.0.1:8080/healthz').then(async (r) => console.log(r.status, JSON.stringify(await r.json())), (e) => console.log('error', e.cause?.code ?? e))")"
# The kiosk screen: the page in the kiosk browser pings the daemon once it shows (Chromium under
# full emulation takes minutes; up to 25); the host takes its screenshot while this waits.
ping=""
deadline=$(( $(date +%s) + 1500 ))
while [ "$(date +%s)" -lt "$deadline" ]; do
  ping="$(node -e "fetch('http://127.0.0.1:8080/healthz').then(async (r) => console.log((await r.json()).ui?.lastPingAgoMs ?? ''), () => console.log(''))")"
  [ -n "$ping" ] && break
  echo "ANJ-WAIT kiosk browser $(systemctl show -p ActiveState -p NRestarts --value anjungan-kiosk.service | tr '\n' ' ')"
  sleep 5
done
echo "ANJ-CHECK ui-ping ${ping:-none}"
echo "ANJ-CHECK kiosk $(systemctl is-active anjungan-kiosk.service) $(journalctl -b -u anjungan-kiosk.service -o cat --no-pager | grep -ci 'failed\|error') error lines"
journalctl -b -u anjungan-kiosk.service -o cat --no-pager | grep -v '^$' | tail -12 | sed 's/^/ANJ-CHECK kiosk-log /'
if [ -n "$ping" ]; then sleep 90; fi
echo "ANJ-CHECK code-cache $(stat -c '%U:%G %a %s' /data/lib/anjungan-code-cache/code-cache.bin 2>/dev/null || echo none)"
echo "ANJ-CHECK address $(ip -4 -o addr show scope global | awk '{ print $2, $4 }' | head -1)"
echo "ANJ-CHECK firewall $(nft list table inet anjungan_egress >/dev/null 2>&1 && echo loaded || echo missing)"
echo "ANJ-CHECK clock $(date +%s)"
echo "ANJ-CHECK clock-restore $(journalctl -b -u anjungan-clock.service -o cat --no-pager | grep -m1 'saved time')"
echo "ANJ-CHECK timesync $(timedatectl show -p NTP -p NTPSynchronized --value | tr '\n' ' ')"
echo "ANJ-CHECK kernel $(uname -r) $(uname -m)"
echo "ANJ-CHECK data $(df -B1M --output=size /data | tail -1 | tr -d ' ') MiB"
echo "ANJ-CHECK startup $(systemd-analyze time | head -1)"
systemd-analyze blame --no-pager | head -8 | sed 's/^/ANJ-CHECK blame /'
echo "ANJ-CHECK done"
systemctl poweroff
CHECK
mkfs.vfat -C -n ANJCHECK "$work/check.vfat" 1024 >/dev/null
mcopy -i "$work/check.vfat" "$work/check.sh" ::/check.sh

log="$work/console.log"
started=$(date +%s)
timeout "${ANJUNGAN_BOOT_TIMEOUT_S:-2400}" qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 2048 -no-reboot \
  -display none -serial stdio -monitor unix:"$work/monitor.sock",server=on,wait=off \
  -device virtio-gpu-pci,xres=800,yres=480 \
  -kernel "$work/vmlinuz" -initrd "$work/initrd.img" \
  -append "$cmdline console=ttyAMA0 systemd.wants=kernel-command-line.service systemd.run=\"/bin/sh -c 'mount -o ro LABEL=ANJCHECK /mnt && systemd-run --no-block --unit=anj-check --property=After=multi-user.target /bin/sh /mnt/check.sh'\" systemd.run_success_action=none systemd.run_failure_action=poweroff" \
  -drive if=virtio,format=raw,file="$disk" \
  -drive if=virtio,format=raw,readonly=on,file="$work/check.vfat" \
  -netdev user,id=net0,restrict=on -device virtio-net-pci,netdev=net0,romfile= \
  -rtc base=2020-01-01T00:00:00 \
  </dev/null >"$log" 2>&1 &
qemu=$!
# The screen (the kiosk's 800x480 panel as a virtio GPU): once the guest says the page pings the
# daemon, a screenshot through qemu's monitor, kept as PNG beside the report.
screen="$out/anjungan-arm64.screen.png"
rm -f "$screen"
while kill -0 "$qemu" 2>/dev/null; do
  if [ ! -f "$work/screen.ppm" ] && grep -aq 'ANJ-CHECK ui-ping [0-9]' "$log"; then
    # The page pings before its first view of the kiosk's state has arrived and been drawn.
    sleep 45
    node -e 'const s = require("net").connect(process.argv[1], () => { s.write(`screendump ${process.argv[2]}\n`); setTimeout(() => s.end(), 3000); }); s.on("data", () => {});' "$work/monitor.sock" "$work/screen.ppm" || true
    node "$repo/image/ppm-to-png.mjs" "$work/screen.ppm" "$screen" || true
  fi
  sleep 2
done
wait "$qemu" || true
elapsed=$(( $(date +%s) - started ))

report="$out/anjungan-arm64.boot.txt"
{
  echo "# make image-boot-arm64 on $(date -u +%FT%TZ): $(basename "$img"), qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 2048 (full emulation on $(nproc) host cores)"
  echo "wall clock from qemu start to power-off: ${elapsed} s"
  echo "saved time set on the data partition: $saved_epoch ($(date -u -d "@$saved_epoch" +%FT%TZ)); guest battery clock: 2020-01-01"
  grep -a -o 'ANJ-CHECK.*' "$log" | tr -d '\r' || echo "(the guest printed no check: see $(basename "$out")/anjungan-arm64.boot-console.log)"
} > "$report"
cp "$log" "$out/anjungan-arm64.boot-console.log"
cat "$report"

# The value after "ANJ-CHECK <name> " on the first such line (the getty's prompt may share the line).
field() { sed -n "s/^ANJ-CHECK $1 //p" "$report" | head -1; }
fail=0
check() { if eval "$2"; then echo "ok    $1"; else echo "FAIL  $1"; fail=1; fi; }
check 'multi-user.target reached' '[ "$(field "target multi-user.target")" = active ]'
check 'the boot finished with no failed unit' '[ "$(field system)" = running ]'
for unit in anjungan.service systemd-networkd.service systemd-timesyncd.service anjungan-firewall.service anjungan-clock.service; do
  check "$unit active" "[ \"\$(field \"unit $unit\")\" = active ]"
done
check 'the daemon is ready in its not-provisioned state' 'field healthz | grep -q "^503 .*\"reason\":\"notProvisioned\""'
check 'networkd gave an address' 'field address | grep -qE "/[0-9]+$"'
check 'the firewall is loaded' '[ "$(field firewall)" = loaded ]'
check "the daemon's code cache sealed by root" 'field code-cache | grep -qE "^root:root 644 [0-9]+$"'
check 'the kiosk page in the browser reached the daemon' 'field ui-ping | grep -qE "^[0-9]+$"'
check 'the clock was set forward to the saved time' 'field clock-restore | grep -q "setting it forward" && [ "$(field clock)" -ge "$saved_epoch" ]'
check 'timesyncd runs with NTP on' '[ "$(field timesync | cut -d" " -f1)" = yes ]'
exit $fail
