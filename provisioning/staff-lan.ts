/**
 * `staff-lan enable|disable|show`: the staff dashboard on the office LAN. Enabling installs the
 * certificate and key the technician brings (checked as a pair with the daemon's own check) next
 * to the config and turns the HTTPS listener on at one LAN address and port; there is no plain
 * HTTP variant. Disabling turns it off and erases the key.
 */
import { isIP } from 'node:net';
import { readStaffLanTls, type StaffLanConfig } from '../device/config.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, wrongState } from './errors.ts';
import { writeFileAtomic } from '../device/files.ts';
import { eraseFile } from './files.ts';
import { MODES } from './layout.ts';
import { checkConfig, loadConfigFile, requireActive, saveConfigFile } from './state.ts';

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** HOST:PORT, or [IPv6]:PORT: one address of the kiosk on the office LAN. */
function parseListen(listen: string): { host: string; port: number } {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]]+):([0-9]{1,5})$/i.exec(listen);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) throw badInput(`--listen ${JSON.stringify(listen)} must be HOST:PORT, e.g. 192.168.10.20:8443`);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  if (isIP(host) === 0 && !HOST_NAME.test(host))
    throw badInput(`--listen: ${JSON.stringify(host)} is neither an IP address nor a host name`);
  if (['0.0.0.0', '::', '127.0.0.1', '::1', 'localhost'].includes(host.toLowerCase())) {
    throw badInput(
      "--listen must name the kiosk's own address on the office LAN (not a wildcard, not loopback: the kiosk screen already has loopback)",
    );
  }
  return { host, port };
}

export function enableStaffLan(ctx: CommandContext, o: { cert: string; key: string; listen: string }): Outcome {
  const l = ctx.layout;
  const { host, port } = parseListen(o.listen);
  const config = loadConfigFile(l);
  requireActive(config);
  if (port < 1024)
    throw badInput(`--listen port ${port} is privileged and the daemon runs without capabilities: use 1024 or above, e.g. 8443`);
  if (port === config.http.port) throw badInput(`--listen port ${port} is the kiosk screen's own port`);
  // The daemon's own check on the files as given, before anything is copied.
  const given: StaffLanConfig = { enabled: true, host, port, certFile: o.cert, keyFile: o.key };
  const { tls, problems } = readStaffLanTls(given, ctx.now);
  if (!tls) throw badInput(problems.map((p) => p.replace('/staffLan/certFile', '--cert').replace('/staffLan/keyFile', '--key')).join('; '));
  const staffLan: StaffLanConfig = { enabled: true, host, port, certFile: l.staffLanCertFile, keyFile: l.staffLanKeyFile };
  checkConfig({ ...config, staffLan });
  writeFileAtomic(l.staffLanCertFile, tls.cert, MODES.config);
  writeFileAtomic(l.staffLanKeyFile, tls.key, MODES.config);
  saveConfigFile(l, { ...config, staffLan });
  return {
    data: { staffLan: { enabled: true, host, port } },
    lines: [
      `staff dashboard on the LAN: https://${isIP(host) === 6 ? `[${host}]` : host}:${port}/staff/ (certificate and key in ${l.configDir})`,
      'Restart the kiosk service for it to listen.',
    ],
  };
}

export function disableStaffLan(ctx: CommandContext): Outcome {
  const l = ctx.layout;
  const config = loadConfigFile(l);
  if (!config.staffLan?.enabled) throw wrongState('the staff LAN listener is not enabled');
  saveConfigFile(l, { ...config, staffLan: { ...config.staffLan, enabled: false } });
  // The key is no use to a listener that is off; the certificate is public and may stay.
  eraseFile(l.staffLanKeyFile);
  return { data: { staffLan: { enabled: false } }, lines: ['staff LAN listener disabled, its key erased. Restart the kiosk service.'] };
}

export function showStaffLan(ctx: CommandContext): Outcome {
  const lan = loadConfigFile(ctx.layout).staffLan;
  if (!lan?.enabled) return { data: { staffLan: { enabled: false } }, lines: ['staff LAN listener: off'] };
  const { problems } = readStaffLanTls(lan, ctx.now);
  return {
    data: { staffLan: { enabled: true, host: lan.host, port: lan.port, problems } },
    lines: [`staff LAN listener: https://${lan.host}:${lan.port}/staff/`, ...problems.map((p) => `problem: ${p}`)],
  };
}
