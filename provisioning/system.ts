/**
 * What the technician's changes mean for the running system, applied at once on a kiosk: the
 * egress firewall reloaded (one nft transaction, never a moment without rules), networkd and
 * timesyncd told to re-read their files. With `--root DIR` (tests, image builds) or without
 * systemd nothing runs and the outcome says so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { CommandContext } from './context.ts';
import { EXIT, ProvisionError } from './errors.ts';

/** A kiosk's own tree under a running systemd: changes are applied, not only written. */
export function onRunningKiosk(ctx: CommandContext): boolean {
  return ctx.layout.root === '/' && existsSync('/run/systemd/system');
}

function systemctl(...args: string[]): void {
  execFileSync('systemctl', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
}

function active(unit: string): boolean {
  try {
    systemctl('is-active', '--quiet', unit);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reloads the egress firewall from the configuration just written. A failed reload is an error
 * the technician must see (the previous rules stay loaded: nft applies all or nothing).
 */
export function reloadFirewall(ctx: CommandContext): string {
  if (!onRunningKiosk(ctx)) return 'firewall: not reloaded (not on a running kiosk)';
  try {
    if (active('anjungan-firewall.service')) systemctl('reload', 'anjungan-firewall.service');
    else systemctl('start', 'anjungan-firewall.service');
  } catch (e) {
    const why = String((e as { stderr?: Buffer }).stderr ?? '').trim();
    throw new ProvisionError(
      EXIT.failure,
      `the configuration was saved but the firewall did not reload (${why || 'see journalctl -u anjungan-firewall'}): the previous rules stay in force`,
    );
  }
  return 'firewall: reloaded with the new allowlist';
}

/** networkd re-reads its files and reconfigures the links. */
export function reloadNetwork(ctx: CommandContext): string {
  if (!onRunningKiosk(ctx)) return 'network: not applied (not on a running kiosk)';
  if (!active('systemd-networkd.service')) return 'network: systemd-networkd is not running; applied at the next boot';
  execFileSync('networkctl', ['reload'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  execFileSync('networkctl', ['reconfigure', ...links()], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  return 'network: applied (networkctl reload, reconfigure)';
}

/** The links networkd manages, but not loopback. */
function links(): string[] {
  const out = execFileSync('networkctl', ['list', '--no-legend', '--no-pager'], { encoding: 'utf8', timeout: 30_000 });
  return out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[1])
    .filter((name): name is string => !!name && name !== 'lo');
}

/** timesyncd restarted on the new servers (it reads its drop-ins only at start). */
export function restartTimesync(ctx: CommandContext): string {
  if (!onRunningKiosk(ctx)) return 'time: not applied (not on a running kiosk)';
  systemctl('try-restart', 'systemd-timesyncd.service');
  return 'time: systemd-timesyncd restarted on the new servers';
}
