import t from 'tap';
import { startDukcapilSimulator } from '../../device/sim/dukcapil/server.ts';
import { DEFAULT_STYLE } from '../../device/sim/dukcapil/registry.ts';
import { allPersonas, persona, type PersonaId } from '../../device/sim/personas.ts';
import { live, logLines, rig } from './helpers/harness.ts';

const sim = await startDukcapilSimulator();
t.teardown(() => sim.close());

const EXPECTED: Record<PersonaId, { kind: string; differing?: string[] }> = {
  valid: { kind: 'verified', differing: [] },
  'address-changed': { kind: 'dataDiffers', differing: ['alamat'] },
  'not-found': { kind: 'notFound' },
  deceased: { kind: 'deceased' },
  inactive: { kind: 'inactive' },
  'tampered-card': { kind: 'verified', differing: [] },
  'finger-unreadable': { kind: 'verified', differing: [] },
  'other-regency': { kind: 'verified', differing: [] },
};

const STYLES = {
  'upper keys, numeric ids, DD-MM-YYYY, codes': DEFAULT_STYLE,
  'lower keys, string ids, ISO dates, codes': {
    keyCase: 'lower',
    numericIds: false,
    dateFormat: 'iso',
    responCase: 'upper',
    withResponseCode: true,
  },
  'upper keys, RESPON text only, lower-case texts': {
    keyCase: 'upper',
    numericIds: true,
    dateFormat: 'iso',
    responCase: 'lower',
    withResponseCode: false,
  },
  'lower keys, RESPON text only, upper-case texts': {
    keyCase: 'lower',
    numericIds: false,
    dateFormat: 'dmy',
    responCase: 'upper',
    withResponseCode: false,
  },
} as const;

for (const method of ['CALL_NIK', 'CALL_VERIFY_BY_ELEMEN'] as const) {
  for (const keyCasing of ['upper', 'lower'] as const) {
    for (const [styleName, style] of Object.entries(STYLES)) {
      t.test(`every persona through ${method}, request keys ${keyCasing}, answers with ${styleName}`, async (t) => {
        sim.setConditions({ style });
        const { validator, ledger } = rig(sim, { endpoint: { method, keyCasing } });
        for (const p of allPersonas()) {
          const outcome = await validator.validate(p.card, live());
          const want = EXPECTED[p.id];
          t.equal(outcome.kind, want.kind, p.id);
          if ('fields' in outcome) {
            t.same(
              outcome.fields.filter((f) => !f.agrees).map((f) => f.key),
              want.differing,
              `${p.id}: differing fields`,
            );
            t.equal(outcome.fields.length, 9, `${p.id}: all nine fields compared`);
            const shown = JSON.stringify(outcome);
            for (const extra of ['ISLAM', 'KRISTEN', 'KATOLIK', 'SLTA', p.cardExtras.namaIbu]) {
              t.notOk(shown.includes(extra), `${p.id}: non-permitted element ${extra} dropped`);
            }
          }
        }
        t.equal(ledger.usage().used, allPersonas().length, 'one hit per validation, none more');
      });
    }
  }
}

t.test('a deployment that judges the NIK alone verifies nobody: serviceError, logged as incompleteAnswer', async (t) => {
  sim.setConditions({ style: DEFAULT_STYLE, judgesNikOnly: true });
  t.teardown(() => sim.setConditions({ judgesNikOnly: false }));
  const { validator } = rig(sim, { endpoint: { method: 'CALL_VERIFY_BY_ELEMEN' } });
  const p = persona('valid');
  const from = logLines.length;
  t.same(await validator.validate(p.card, live()), { kind: 'serviceError' });
  const logged = logLines.slice(from).join('');
  t.match(logged, /"problem":"incompleteAnswer"/);
  t.notOk(logged.includes(p.card.nik) || logged.includes(p.card.namaLengkap), 'no personal data in the log');
});

t.test('the registry values are shown next to the card values for CALL_NIK', async (t) => {
  sim.setConditions({ style: DEFAULT_STYLE });
  const { validator } = rig(sim);
  const p = persona('address-changed');
  const outcome = await validator.validate(p.card, live());
  if (outcome.kind !== 'dataDiffers') throw new Error(`unexpected ${outcome.kind}`);
  const alamat = outcome.fields.find((f) => f.key === 'alamat')!;
  t.equal(alamat.registry, 'PERUM GRIYA ASRI BLOK C NO. 8 RT 6/RW 11, NGRINGO, JATEN, KARANGANYAR, JAWA TENGAH');
  t.equal(alamat.card, 'JL. MELATI PUTIH NO. 4 RT 001/RW 002, JATEN, JATEN, KARANGANYAR, JAWA TENGAH');
});

t.test('refusals from the service map to typed outcomes and each spends the hit it used', async (t) => {
  sim.setConditions({ style: DEFAULT_STYLE });
  const card = persona('valid').card;
  const cases: Array<[string, Parameters<typeof rig>[1], () => void, string]> = [
    ['wrong password', { credentials: { password: 'not-the-password' } }, () => {}, 'loginFailed'],
    ['empty user id', { credentials: { userId: ' ' } }, () => {}, 'loginFailed'],
    ['wrong IP_USER', { credentials: { ipUser: '192.0.2.99' } }, () => {}, 'ipRefused'],
    ['unknown institution', { endpoint: { institution: 'BKD_LAIN' } }, () => {}, 'institutionInactive'],
    ['institution deactivated', {}, () => sim.setConditions({ institutionActive: false }), 'institutionInactive'],
    ['user deactivated', {}, () => sim.setConditions({ userActive: false }), 'userInactive'],
    ['duplicate records', {}, () => sim.setConditions({ duplicateNiks: [card.nik] }), 'duplicateRecords'],
  ];
  for (const [name, opts, arrange, kind] of cases) {
    sim.setConditions({ institutionActive: true, userActive: true, duplicateNiks: [] });
    arrange();
    const { validator, ledger } = rig(sim, opts);
    const before = sim.hits();
    t.equal((await validator.validate(card, live())).kind, kind, name);
    t.equal(sim.hits() - before, 1, `${name}: one request`);
    t.equal(ledger.usage().used, 1, `${name}: the request left, so the hit counts`);
  }
  sim.setConditions({ institutionActive: true, userActive: true, duplicateNiks: [] });
});

t.test('outside the access hours and over the service quota', async (t) => {
  const card = persona('valid').card;
  const closed = await startDukcapilSimulator({
    accessHours: { from: '07:00', to: '16:00' },
    clock: { now: () => new Date('2024-03-10T12:00:00Z') },
  });
  t.teardown(() => closed.close());
  t.equal((await rig(closed).validator.validate(card, live())).kind, 'outsideHours', '19:00 WIB is after hours');
  const open = await startDukcapilSimulator({
    accessHours: { from: '07:00', to: '16:00' },
    clock: { now: () => new Date('2024-03-10T02:00:00Z') },
  });
  t.teardown(() => open.close());
  t.equal((await rig(open).validator.validate(card, live())).kind, 'verified', '09:00 WIB is within hours');
  const small = await startDukcapilSimulator({ dailyQuota: 2 });
  t.teardown(() => small.close());
  const { validator } = rig(small);
  const kinds = [];
  for (let i = 0; i < 3; i += 1) kinds.push((await validator.validate(card, live())).kind);
  t.same(kinds, ['verified', 'verified', 'quotaReached'], "the service's own quota answer is understood");
});
