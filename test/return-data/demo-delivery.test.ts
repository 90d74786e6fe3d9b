/**
 * The real daemon in demo mode, configured to deliver data balikan: a taxpayer's linked NOP and
 * NPWPD reach the built-in simulator endpoint and the outbox entry turns delivered. The log holds
 * none of the values.
 */
import t from 'tap';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { KioskClient, runPersona } from '../support/kiosk-client.ts';
import { until } from '../support/until.ts';
import { persona } from '../../device/sim/personas.ts';

await buildKiosk();

t.test('demo mode delivers a linked NOP/NPWPD to the simulator endpoint', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'anj14d-demo-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const configFile = join(dir, 'config.json');
  writeFileSync(configFile, JSON.stringify({ returnData: { delivery: { idleIntervalS: 1 }, retentionDays: 30 } }));
  const kiosk = await spawnKiosk({ ANJUNGAN_CONFIG: configFile });
  t.teardown(() => kiosk.stop());

  const end = await runPersona(new KioskClient(kiosk.url), 'valid');
  t.match(end, { screen: 'result', canLinkReturnData: true });
  const rows = () => {
    const db = new Database(join(kiosk.stateDir, 'anjungan.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT delivered_at AS deliveredAt FROM return_data_outbox').all() as Array<{ deliveredAt: string | null }>;
    } finally {
      db.close();
    }
  };
  await until(() => rows().length === 1 && rows()[0]!.deliveredAt !== null, 'the entry confirmed by the simulator', 15_000);
  t.pass('delivered');
  // The log line is written after the commit and reaches us through a pipe: wait for it.
  await until(() => kiosk.output().includes('"returnDataDelivered"'), 'the delivery logged', 5_000);
  t.pass('the delivery is logged');
  const output = kiosk.output();
  const nik = persona('valid').card.nik;
  t.same(
    ['33.13.010.001.001-0001.0', 'P.2.0001234.33.13', nik].filter((v) => output.includes(v)),
    [],
    'no NIK, NOP or NPWPD in the log',
  );
});
