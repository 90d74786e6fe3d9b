/**
 * End to end: the real kiosk (`node dist/device/main.cjs`, demo mode) and Debian's Chromium, the
 * screen as it ships (no demo panel; card and finger through the demo API behind it). For each
 * demo persona a person taps through the whole path and we check what the screen shows, and
 * that every screen fits 800×480 with nothing cut (a few also at 1280×800 and 1080×1920, one
 * persona in large text). Screenshots go to test-artifacts/screens.
 */
import t, { type Test } from 'tap';
import { allPersonas, persona as personaById, type PersonaId } from '../../device/sim/personas.ts';
import { PERMITTED_FIELDS, type PermittedField } from '../../device/domain/record.ts';
import type { ResultOutcome } from '../../device/view/protocol.ts';
import { launchBrowser, VIEWPORTS } from '../ui/browser.ts';
import { buildKiosk, spawnKiosk } from '../support/kiosk-process.ts';
import { KioskDriver } from './driver.ts';
import { turnToRow } from '../ui/layout.ts';

const STAFF_PIN = '246810'; // the demo staff PIN
const FINGER_ID: Record<number, string> = { 1: 'ibu jari kanan', 2: 'telunjuk kanan', 6: 'ibu jari kiri', 7: 'telunjuk kiri' };

await buildKiosk();
const kiosk = await spawnKiosk();
const browser = await launchBrowser(VIEWPORTS.small);
const page = await browser.context.newPage();
const pageErrors: string[] = [];
page.on('pageerror', (e) => pageErrors.push(e.message));
const ui = new KioskDriver(page, false);
t.teardown(async () => {
  await browser.close();
  await kiosk.stop();
});
await ui.open(kiosk.url);

/** Card in, the screen asks for the card's first finger; returns once the finger screen shows. */
async function insertAndReachFinger(t: Test, id: PersonaId): Promise<void> {
  const p = personaById(id);
  await ui.waitFor('welcome');
  t.match(await ui.text('welcome'), /Selamat datang/, 'welcome in Bahasa Indonesia');
  await ui.fits(t, `${id}-welcome`);
  await ui.insertCard(id);
  await ui.waitFor('awaitingFinger');
  t.match(
    await ui.page.locator('[data-screen="awaitingFinger"] h1').innerText(),
    new RegExp(FINGER_ID[p.fingerPositions[0]]!),
    'asks for the finger on the card',
  );
  t.equal(await ui.testId('finger-attempt').innerText(), 'Percobaan 1 dari 4');
  t.equal(
    await ui.page.locator('rect.target').getAttribute('data-finger'),
    String(p.fingerPositions[0]),
    'the hand picture highlights that finger',
  );
  await ui.fits(t, `${id}-awaitingFinger`);
}

/** The result screen: outcome, and for each of the nine fields whether it agrees. */
async function checkResult(t: Test, id: PersonaId, outcome: ResultOutcome, differing: PermittedField[] = []): Promise<void> {
  await ui.waitFor('result');
  const p = personaById(id);
  t.equal(await ui.testId('outcome').getAttribute('data-outcome'), outcome, `outcome ${outcome}`);
  const rows = ui.page.locator('[data-testid^="field-"][data-agrees]');
  t.equal(await rows.count(), PERMITTED_FIELDS.length, 'exactly the nine permitted fields');
  const registryKnown = outcome === 'verified' || outcome === 'dataDiffers';
  for (const key of PERMITTED_FIELDS) {
    const row = ui.testId(`field-${key}`);
    t.equal(
      await row.getAttribute('data-agrees'),
      registryKnown ? String(!differing.includes(key)) : 'unknown',
      `${key} ${differing.includes(key) ? 'differs' : registryKnown ? 'agrees' : 'is not compared'}`,
    );
    if (!registryKnown) t.equal(await row.getByTestId('registry-value').count(), 0, `${key}: no registry column when nothing was compared`);
  }
  t.notMatch(
    await ui.testId('field-nik').getByTestId('card-value').innerText(),
    new RegExp(p.card.nik),
    'the NIK is not shown in full to passers-by',
  );
  // Turning to the NIK's page would move a differing row out of sight, which that test checks first.
  if (differing.length === 0) await checkNikShownWhileHeld(t, id);
  t.equal(await ui.testId('field-namaLengkap').getByTestId('card-value').innerText(), p.card.namaLengkap);
  t.equal(await ui.testId('link-return-data').count(), registryKnown ? 1 : 0, 'linking NOP/NPWPD only when the registry knows the person');
  await ui.fits(t, `${id}-result`);
}

/** Holding the button next to the NIK shows it in full to its holder; letting go hides it. */
async function checkNikShownWhileHeld(t: Test, id: PersonaId): Promise<void> {
  const nik = ui.testId('field-nik').getByTestId('card-value');
  const p = personaById(id);
  await turnToRow(ui.page, 'nik');
  const reveal = (await ui.testId('reveal-nik').boundingBox())!;
  await ui.page.mouse.move(reveal.x + reveal.width / 2, reveal.y + reveal.height / 2);
  await ui.page.mouse.down();
  t.match(await nik.innerText(), new RegExp(`^${p.card.nik}`), 'the card NIK is shown to its holder while held');
  await ui.page.mouse.up();
  t.notMatch(await nik.innerText(), new RegExp(p.card.nik), 'and hidden again when let go');
}

async function finishAndTakeCard(t: Test, id: PersonaId, why: RegExp): Promise<void> {
  await ui.waitFor('finished');
  t.match(await ui.text('finished'), /Silakan ambil kartu Anda/);
  t.match(await ui.testId('finished-why').innerText(), why);
  await ui.fits(t, `${id}-finished`);
  await ui.removeCard();
  await ui.waitFor('welcome');
}

t.test('valid: everything agrees; the taxpayer links a NOP and an NPWPD', async (t) => {
  await insertAndReachFinger(t, 'valid');
  await ui.presentFinger(true);
  await checkResult(t, 'valid', 'verified');
  t.match(await ui.testId('outcome').innerText(), /Data sesuai/);
  await ui.fitsAllSizes(t, 'valid-result');
  await ui.tap('link-return-data');
  await ui.waitFor('returnData');
  await ui.tap('nop-input');
  await ui.typeOnKeypad('331301000100100011'); // code 1 does not exist
  t.equal(await ui.testId('nop-input').inputValue(), '33.13.010.001.001-0001.1', 'the NOP is laid out as printed');
  await ui.tap('submit-return-data');
  await ui.testId('return-data-error').waitFor();
  t.match(await ui.testId('return-data-error').innerText(), /NOP harus 18 angka/);
  await ui.fits(t, 'valid-returnData-error');
  await ui.tap('key-backspace');
  await ui.typeOnKeypad('0');
  t.equal(await ui.testId('nop-input').inputValue(), '33.13.010.001.001-0001.0');
  await ui.tap('npwpd-input');
  await ui.typeOnKeypad('P.2.0001234.33.13');
  t.equal(await ui.testId('npwpd-input').inputValue(), 'P.2.0001234.33.13');
  await ui.fitsAllSizes(t, 'valid-returnData');
  await ui.tap('submit-return-data');
  await finishAndTakeCard(t, 'valid', /NOP\/NPWPD Anda sudah diterima/);
});

t.test('valid: cancelling at the finger ends the session', async (t) => {
  await ui.waitFor('welcome');
  await ui.insertCard('valid');
  await ui.waitFor('awaitingFinger');
  await ui.tap('cancel');
  await ui.waitFor('finished');
  t.match(await ui.testId('finished-why').innerText(), /Pemeriksaan dibatalkan/);
  await ui.fits(t, 'valid-cancelled');
  await ui.removeCard();
  await ui.waitFor('welcome');
});

t.test('valid: a stranger finger does not match; the holder then does', async (t) => {
  await ui.waitFor('welcome');
  await ui.insertCard('valid');
  await ui.waitFor('awaitingFinger');
  await ui.presentFinger(false);
  await ui.waitForText('Percobaan 2 dari 4');
  t.match(await ui.testId('finger-feedback').innerText(), /belum cocok/, 'told to try again');
  await ui.fits(t, 'valid-awaitingFinger-noMatch');
  await ui.presentFinger(true);
  await checkResult(t, 'valid', 'verified');
  await ui.tap('finish');
  await finishAndTakeCard(t, 'valid', /Terima kasih/);
});

t.test('address-changed, in large text: the address differs, everything else agrees', async (t) => {
  await ui.waitFor('welcome');
  await ui.tap('large-text');
  await insertAndReachFinger(t, 'address-changed');
  await ui.presentFinger(true);
  await checkResult(t, 'address-changed', 'dataDiffers', ['alamat']);
  const address = ui.testId('field-alamat');
  const p = personaById('address-changed');
  t.match(await address.getByTestId('card-value').innerText(), p.card.alamat.jalan);
  t.match(await address.getByTestId('registry-value').innerText(), p.registry.status === 'active' ? p.registry.person.alamat.jalan : '');
  t.match(await address.getByTestId('field-mark').innerText(), /Berbeda/);
  // At 800×480 in large text the table comes in pages of whole rows: the page shown first holds
  // the differing row, whole inside the table, with the page buttons to reach the others.
  const row = (await address.boundingBox())!;
  const table = (await ui.page.locator('[data-screen="result"] .table-wrap').boundingBox())!;
  const seen = `row ${Math.round(row.y)}–${Math.round(row.y + row.height)}, table ${Math.round(table.y)}–${Math.round(table.y + table.height)}`;
  t.ok(row.y >= table.y - 1 && row.y + row.height <= table.y + table.height + 1, `the differing row is whole in sight (${seen})`);
  t.ok(await address.getByTestId('field-mark').isVisible(), 'its "Berbeda" mark shows');
  t.match(await ui.testId('page-at').innerText(), /^\d+\/\d+$/, 'the page buttons say which page this is');
  await ui.fitsAllSizes(t, 'address-changed-result');
  await checkNikShownWhileHeld(t, 'address-changed');
  await ui.tap('finish');
  await finishAndTakeCard(t, 'address-changed', /Terima kasih/);
});

for (const [id, outcome, headline] of [
  ['not-found', 'notFound', /Data belum ditemukan/],
  ['deceased', 'deceased', /Data perlu diperiksa petugas/],
  ['inactive', 'inactive', /Status NIK belum aktif/],
] as const) {
  t.test(`${id}: the registry answer is shown as ${outcome}`, async (t) => {
    await insertAndReachFinger(t, id);
    await ui.presentFinger(true);
    await checkResult(t, id, outcome);
    t.match(await ui.testId('outcome').innerText(), headline);
    await ui.tap('finish');
    await finishAndTakeCard(t, id, /Terima kasih/);
  });
}

t.test('tampered-card: the broken issuer signature ends on the failure screen', async (t) => {
  await insertAndReachFinger(t, 'tampered-card');
  await ui.presentFinger(true);
  await ui.waitFor('failed');
  t.equal(await ui.testId('failure-title').getAttribute('data-reason'), 'signatureInvalid');
  t.match(await ui.testId('failure-title').innerText(), /Data kartu tidak dapat diperiksa di sini/);
  t.notMatch(
    await ui.text('failed'),
    /mencoba lagi|signature|tanda tangan|signatureInvalid|readingRecord/i,
    'no retry for a card that cannot be trusted, and no code or accusation',
  );
  t.match(await ui.testId('take-card').innerText(), /ambil kartu/);
  t.equal(await ui.page.locator('[data-screen="result"]').count(), 0, 'no result is shown for a tampered card');
  await ui.fitsAllSizes(t, 'tampered-card-failed');
  await ui.removeCard();
  await ui.waitFor('welcome');
});

t.test('finger-unreadable: four failed attempts, then staff PIN and face check', async (t) => {
  await insertAndReachFinger(t, 'finger-unreadable');
  for (let attempt = 1; attempt <= 4; attempt++) {
    t.equal(await ui.testId('finger-attempt').innerText(), `Percobaan ${attempt} dari 4`);
    await ui.presentFinger(true);
    if (attempt < 4) {
      await ui.waitForText(`Percobaan ${attempt + 1} dari 4`);
      t.ok(await ui.testId('finger-feedback').isVisible(), 'the taxpayer is told what to do next');
      if (attempt === 1) await ui.fits(t, 'finger-unreadable-awaitingFinger-retry');
    }
  }
  await ui.waitFor('staffAssist');
  t.match(await ui.text('staffAssist'), /Silakan tunggu petugas[\s\S]*Sidik jari tidak dapat dicocokkan/);
  await ui.fitsAllSizes(t, 'finger-unreadable-staffAssist');
  await ui.tap('staff-pad-open');
  for (const d of '000000') await ui.tap(`pin-key-${d}`);
  await ui.tap('pin-submit');
  await ui.testId('pin-rejected').waitFor();
  t.match(await ui.testId('pin-rejected').innerText(), /PIN tidak diterima/, 'a wrong staff PIN is refused');
  for (const d of STAFF_PIN) await ui.tap(`pin-key-${d}`);
  t.notMatch(await ui.text('staffAssist'), new RegExp(STAFF_PIN), 'the PIN is never shown');
  await ui.tap('pin-submit');
  await ui.testId('card-photo').waitFor({ timeout: 30_000 });
  t.match(await ui.testId('card-photo').getAttribute('src'), /^data:image\//, 'the card photo is shown to staff');
  await ui.fitsAllSizes(t, 'finger-unreadable-compareFace');
  await ui.tap('face-matches');
  await checkResult(t, 'finger-unreadable', 'verified');
  await ui.tap('finish');
  await finishAndTakeCard(t, 'finger-unreadable', /Terima kasih/);
});

t.test('other-regency: a KTP-el from outside Karanganyar is verified like any other, here in English', async (t) => {
  await ui.waitFor('welcome');
  await ui.tap('language');
  t.match(await ui.text('welcome'), /Welcome/);
  await ui.insertCard('other-regency');
  await ui.waitFor('awaitingFinger');
  t.match(await ui.page.locator('[data-screen="awaitingFinger"] h1').innerText(), /right index finger/);
  await ui.fits(t, 'other-regency-awaitingFinger-en');
  await ui.presentFinger(true);
  await checkResult(t, 'other-regency', 'verified');
  t.match(await ui.testId('outcome').innerText(), /Your data matches/);
  t.match(await ui.testId('field-alamat').innerText(), /Current address[\s\S]*YOGYAKARTA/);
  await ui.tap('finish');
  await ui.waitFor('finished');
  t.match(await ui.text('finished'), /Please take your card/);
  await ui.removeCard();
  await ui.waitFor('welcome');
  t.match(await ui.text('welcome'), /Selamat datang/, 'the next person meets Bahasa Indonesia again');
});

t.test("cannot give a fingerprint: staff assist by the taxpayer's choice", async (t) => {
  await insertAndReachFinger(t, 'valid');
  await ui.tap('cannot-give-finger');
  await ui.waitFor('staffAssist');
  t.match(await ui.text('staffAssist'), /tanpa sidik jari/);
  await ui.tap('cancel');
  await ui.waitFor('finished');
  await ui.removeCard();
  await ui.waitFor('welcome');
});

t.test('every persona was served, and none of their personal data reached the logs', async (t) => {
  const out = kiosk.output();
  for (const p of allPersonas()) {
    for (const secret of [p.card.nik, p.card.namaLengkap, p.card.alamat.jalan, p.card.nomorKk]) {
      t.notOk(out.includes(secret), `${p.id}: log holds no ${secret === p.card.nik ? 'NIK' : 'personal data'}`);
    }
  }
  t.notOk(out.includes(STAFF_PIN), 'the staff PIN is not logged');
  t.same(pageErrors, [], 'no script errors in the page');
});
