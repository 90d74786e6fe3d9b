/**
 * The daemon's side of systemd's service protocol: READY once it serves, STOPPING on the way
 * down, and watchdog pings while the flow is alive (anjungan.service sets WatchdogSec=).
 */

// Node has no AF_UNIX datagram sockets, so the messages go through systemd-notify, a child
// process (the unit allows it with NotifyAccess=all). It waits until systemd has taken the
// message, so the ready and watchdog states are attributed to this service.
import { execFile } from 'node:child_process';

export function notifySystemd(state: '--ready' | '--stopping' | 'WATCHDOG=1', env: NodeJS.ProcessEnv = process.env): void {
  if (!env.NOTIFY_SOCKET) return;
  execFile('systemd-notify', [state], () => undefined);
}

/** Half of systemd's watchdog period (WATCHDOG_USEC), or null when no watchdog is asked for. */
export function watchdogPingIntervalMs(env: NodeJS.ProcessEnv, pid: number): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  return Math.max(100, Math.floor(usec / 2000));
}

/**
 * Pings the watchdog while `alive()` holds. The pings come from a timer on the event loop: a
 * blocked or stopped loop misses them and systemd kills and restarts the daemon. Returns the stop.
 */
export function startWatchdog(alive: () => boolean, env: NodeJS.ProcessEnv = process.env): () => void {
  const pingMs = watchdogPingIntervalMs(env, process.pid);
  if (pingMs === null) return () => undefined;
  const watchdog = setInterval(() => {
    if (alive()) notifySystemd('WATCHDOG=1', env);
  }, pingMs);
  watchdog.unref();
  return () => clearInterval(watchdog);
}
