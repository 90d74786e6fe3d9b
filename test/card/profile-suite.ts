/**
 * What a taxpayer and the kiosk notice of a card read, as one specification run over each
 * transport: every persona reads through the SAM, only the nine permitted elements come out,
 * a tampered card fails its signature, a card pulled at any APDU ends with cardRemoved and
 * leaves nothing behind, SAM trouble is typed and never retried, link faults are typed.
 */
import type { Test } from 'tap';
import { DeviceError } from '../../device/domain/failure.ts';
import { PERMITTED_FIELDS } from '../../device/domain/record.ts';
import type { ReadProgress } from '../../device/flow/ports.ts';
import { allPersonas, persona } from '../../device/sim/personas.ts';
import { demoSamSecret } from '../../device/sim/vcard/demo-keys.ts';
import type { CardFaults } from '../../device/sim/vcard/faults.ts';
import type { Harness, MakeHarness } from './harness.ts';
import { until } from '../support/until.ts';

const signal = () => new AbortController().signal;

async function fullRead(h: Harness) {
  const tp: ReadProgress[] = [];
  const rp: ReadProgress[] = [];
  const templates = await h.port.readTemplates(signal(), (p) => tp.push(p));
  const record = await h.port.readRecord(signal(), (p) => rp.push(p));
  return { templates, record, tp, rp };
}

async function reasonOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof DeviceError ? e.reason : `untyped ${(e as Error).name}`;
  }
}

async function readReason(h: Harness): Promise<string> {
  const r = await reasonOf(h.port.readTemplates(signal(), () => undefined));
  if (r !== 'resolved') return r;
  return reasonOf(h.port.readRecord(signal(), () => undefined));
}

export function profileSuite(t: Test, make: MakeHarness, opts: { removalStride: number }): void {
  t.test('every persona reads end to end through the SAM; only the nine permitted elements come out', async (t) => {
    const h = await make();
    t.teardown(() => h.close());
    t.equal(h.port.health().sam, 'ready');
    for (const p of allPersonas().filter((x) => !x.tamperedSignature)) {
      await h.insert(p);
      const { templates, record, tp, rp } = await fullRead(h);
      t.same(
        templates.templates.map((x) => x.fingerPosition),
        p.fingerPositions,
        `${p.id}: both fingers, in order`,
      );
      t.same(record.person, p.card, `${p.id}: the card's permitted data`);
      t.same(Object.keys(record.person).sort(), [...PERMITTED_FIELDS].sort(), `${p.id}: nine elements`);
      t.equal(record.signatureValid, true);
      t.equal(record.photo.mime, 'image/png');
      const json = JSON.stringify(record, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v));
      for (const extra of [p.cardExtras.namaIbu, 'SEUMUR HIDUP']) t.notOk(json.includes(extra), `${p.id}: non-permitted element dropped`);
      for (const progress of [tp, rp]) {
        const last = progress[progress.length - 1]!;
        t.equal(last.bytesRead, last.bytesTotal, `${p.id}: progress reaches the total`);
        t.ok(
          progress.every((x, i) => i === 0 || x.bytesRead >= progress[i - 1]!.bytesRead),
          'progress never goes back',
        );
      }
      h.port.endSession();
      await h.remove();
    }
    const logs = h.logs();
    for (const p of allPersonas()) {
      t.notOk(logs.includes(p.card.nik) || logs.includes(p.card.namaLengkap), `${p.id}: nothing personal in the logs`);
    }
  });

  t.test('the tampered card fails the issuer signature with its own reason', async (t) => {
    const h = await make();
    t.teardown(() => h.close());
    await h.insert(persona('tampered-card'));
    const templates = await h.port.readTemplates(signal(), () => undefined);
    t.equal(templates.templates.length, 2, 'templates read before the signature is checked');
    t.equal(await reasonOf(h.port.readRecord(signal(), () => undefined)), 'signatureInvalid');
    t.equal(await reasonOf(h.port.readRecord(signal(), () => undefined)), 'cardRemoved', 'the failed session is gone');
  });

  t.test('card removed at every APDU of the read: cardRemoved, nothing kept, the next card reads', async (t) => {
    const h = await make();
    t.teardown(() => h.close());
    let k = 0;
    let failures = 0;
    for (;;) {
      await h.insert(persona('valid'), { removeAfter: k });
      const reason = await readReason(h);
      if (reason === 'resolved') break;
      failures++;
      t.equal(reason, 'cardRemoved', `removed after ${k} APDUs`);
      await until(() => !h.port.health().cardPresent, 'the card gone');
      t.equal(await reasonOf(h.port.readRecord(signal(), () => undefined)), 'cardRemoved', `after ${k}: no session left`);
      k += opts.removalStride;
    }
    t.equal(failures, Math.ceil(h.apdusReceived() / opts.removalStride), `a removal point at every APDU of the read (${failures})`);
    h.port.endSession();
    await h.remove();
    await h.insert(persona('other-regency'));
    t.same((await fullRead(h)).record.person, persona('other-regency').card, 'the next card reads normally');
  });

  t.test('no SAM in the second reader: samMissing', async (t) => {
    const h = await make({ withoutSam: true });
    t.teardown(() => h.close());
    t.equal(h.port.health().sam, 'missing');
    await h.insert(persona('valid'));
    t.equal(await readReason(h), 'samMissing');
  });

  t.test('a SAM refusing the PCID/configuration is tried exactly once', async (t) => {
    const wrong = demoSamSecret();
    wrong.configuration[0]! ^= 0xff;
    const h = await make({ samSecret: wrong });
    t.teardown(() => h.close());
    t.equal(h.port.health().sam, 'refused');
    await h.insert(persona('valid'));
    t.equal(await readReason(h), 'samRefused');
    await h.remove();
    await h.insert(persona('valid'));
    t.equal(await readReason(h), 'samRefused');
    t.equal(h.samOpenAttempts(), 1, 'one F0 only');
  });

  const faultCases: [string, CardFaults, string][] = [
    ['T=0 style 61xx + GET RESPONSE', { t0Style: '61xx' }, 'resolved'],
    ['T=0 style 6Cxx + re-issue', { t0Style: '6Cxx' }, 'resolved'],
    ['a bad MAC on a protected response', { badMacAt: 6 }, 'cardUnreadable'],
    ['a truncated response', { truncateAt: 7 }, 'cardUnreadable'],
    ['a truncated card UID', { truncateAt: 0 }, 'cardUnreadable'],
    ['an oversized response', { oversizeAt: 8 }, 'cardUnreadable'],
  ];
  for (const [name, faults, expected] of faultCases) {
    t.test(`${name}: ${expected === 'resolved' ? 'reads normally' : expected}`, async (t) => {
      const h = await make();
      t.teardown(() => h.close());
      await h.insert(persona('valid'), faults);
      t.equal(await readReason(h), expected);
      h.port.endSession();
      await h.remove();
      await h.insert(persona('valid'));
      t.equal(await readReason(h), 'resolved', 'the next card reads normally');
    });
  }
}
