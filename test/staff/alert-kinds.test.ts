/**
 * Every alert kind raised anywhere is one the dashboard can show: the store accepts it, the
 * staff API lists it, the dashboard names it in both languages; and no part of the daemon
 * raises (or logs as a staff alert) a kind outside that list.
 */
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ALERT_KINDS } from '../../device/staff/alerts.ts';
import { DASHBOARD_CATALOGUE } from '../../ui/dashboard/i18n.ts';
import { dashboardKiosk } from './dashboard-harness.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

t.test('the kinds the daemon raises or logs as staff alerts are all known kinds', async (t) => {
  const raised = new Map<string, string>();
  for (const file of sources('device')) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\braise\('([A-Za-z0-9]+)'\)/g)) raised.set(m[1]!, file);
    for (const m of text.matchAll(/event: 'staffAlert', kind: '([A-Za-z0-9]+)'/g)) raised.set(m[1]!, file);
  }
  // The literal ones; the quota levels and out-of-service reasons map to kinds by typed tables.
  for (const kind of ['tamper', 'helpNeeded', 'readerMissing']) t.ok(raised.has(kind), `the scan finds ${kind}`);
  for (const [kind, file] of raised) t.ok((ALERT_KINDS as readonly string[]).includes(kind), `${kind} (${file}) is an alert kind`);
});

t.test('each alert kind is stored, listed by the staff API and named by the dashboard', async (t) => {
  const k = await dashboardKiosk();
  t.teardown(() => k.close());
  for (const kind of ALERT_KINDS) t.ok(k.alerts.raise(kind).raised, `${kind}: the store takes it`);
  const listed = (await k.call('GET', '/alerts')).body.alerts.map((a: { kind: string }) => a.kind);
  t.same([...listed].sort(), [...ALERT_KINDS].sort(), 'the staff API lists every kind');
  for (const locale of ['id', 'en'] as const) {
    for (const kind of ALERT_KINDS) {
      const label = DASHBOARD_CATALOGUE[locale].alerts.kinds[kind];
      t.ok(typeof label === 'string' && label.length > 0 && label !== kind, `${locale}: ${kind} reads "${label}"`);
    }
  }
});
