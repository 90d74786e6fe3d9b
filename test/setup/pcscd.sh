#!/usr/bin/env bash
# Test set-up for the PC/SC suite: `pcscd.sh start|stop|status`.
# start: builds the TCP_NODELAY shim (only when its source changed), starts `pcscd -f -i` with it
#        in the background, records the PID and waits until pcscd answers. Idempotent.
# stop:  stops the pcscd this script started, by its recorded PID. Idempotent.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
if [ "$(id -u)" = 0 ]; then cache=/var/cache/anjungan; else cache="${XDG_CACHE_HOME:-$HOME/.cache}/anjungan"; fi
mkdir -p "$cache"
src="$here/tcp-nodelay-shim.c"
shim="$cache/tcp-nodelay-shim.so"
stamp="$cache/tcp-nodelay-shim.sha256"
# The pid file and log live in /run (per machine, or per mount namespace when checkouts run their
# tests side by side in namespaces of their own); non-root runs keep them in the cache.
if [ "$(id -u)" = 0 ]; then run_dir=/run/anjungan-test; else run_dir="$cache"; fi
mkdir -p "$run_dir"
pidfile="$run_dir/pcscd.pid"
logfile="$run_dir/pcscd.log"
socket=/run/pcscd/pcscd.comm

die() { echo "pcscd.sh: $*" >&2; exit 1; }

running_pid() {
  [ -f "$pidfile" ] || return 1
  local pid; pid="$(cat "$pidfile")"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = pcscd ] && echo "$pid"
}

build_shim() {
  local sum; sum="$(sha256sum "$src" | cut -c1-64)"
  if [ -f "$shim" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then return; fi
  command -v gcc >/dev/null || die "gcc is missing (make system-deps installs it)"
  gcc -shared -fPIC -O2 -Wall -o "$shim.tmp" "$src" -ldl
  mv "$shim.tmp" "$shim"
  echo "$sum" >"$stamp"
}

ready() {
  # Not probing vpcd's ports: a connection there is a card insertion to pcscd.
  [ -S "$socket" ] && grep -q 'daemon ready' "$logfile" 2>/dev/null
}

start() {
  command -v pcscd >/dev/null || [ -x /usr/sbin/pcscd ] || die "pcscd is not installed (make system-deps installs it)"
  [ -f /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || die "vsmartcard-vpcd is not installed (make system-deps installs it)"
  if running_pid >/dev/null; then return 0; fi
  if pgrep -x pcscd >/dev/null; then die "another pcscd is running (only one per machine); stop it first"; fi
  build_shim
  mkdir -p /run/pcscd
  LD_PRELOAD="$shim" setsid "$(command -v pcscd || echo /usr/sbin/pcscd)" -f -i >"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 100); do
    if ready; then return 0; fi
    kill -0 "$(cat "$pidfile")" 2>/dev/null || die "pcscd exited at start; see $logfile"
    sleep 0.1
  done
  die "pcscd did not become ready within 10 s; see $logfile"
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if pid="$(running_pid)"; then echo "pcscd running (pid $pid)"; else echo "pcscd not running"; exit 1; fi ;;
  *) die "usage: $0 start|stop|status" ;;
esac
