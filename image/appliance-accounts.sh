#!/usr/bin/env bash
# The appliance's accounts and name, written into a root file system being built (an mmdebstrap
# customize hook, for the host tree and the arm64 image alike): the daemon's own system user
# (groups for GPIO), the unprivileged kiosk user the browser runs as (display and input), and
# the hostname.
# Usage: image/appliance-accounts.sh ROOT
set -euo pipefail
root="$1"
for group in gpio render input; do chroot "$root" groupadd --force --system "$group"; done
chroot "$root" useradd --system --no-create-home --home-dir /var/lib/anjungan --shell /usr/sbin/nologin --groups gpio anjungan
chroot "$root" useradd --system --create-home --home-dir /var/lib/anjungan-kiosk --shell /usr/sbin/nologin --groups video,render,input anjungan-kiosk
echo anjungan > "$root/etc/hostname"
