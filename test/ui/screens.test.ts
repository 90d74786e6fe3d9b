/**
 * Every screen of the UI in Debian's Chromium, fed by a stand-in daemon: what the taxpayer sees
 * for each view, which intent each tap sends, and that every screen fits and keeps its touch
 * targets large at 800×480, 1280×800 and 1080×1920. Screenshots go to test-artifacts/screens.
 */
import t from 'tap';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { OUT_OF_SERVICE_REASONS } from '../../device/domain/failure.ts';
import { VIEWPORTS } from './browser.ts';
import { startUi, type Shown } from './harness.ts';

const SHOTS = 'test-artifacts/screens';
await mkdir(SHOTS, { recursive: true });
const ui = await startUi();
const { kiosk, page, pageErrors, show, eventually, tapAndGetIntent, screenText } = ui;
t.teardown(() => ui.close());
const text = (sel: string) => page.locator(sel).first().innerText();

const RESULT_FIELDS = [
  { key: 'nik', label: { id: 'NIK', en: 'NIK' }, card: '3313115507920003', registry: '3313115507920003', agrees: true },
  { key: 'namaLengkap', label: { id: 'Nama lengkap', en: 'Full name' }, card: 'RATNA KUSUMA LESTYANI', registry: 'RATNA KUSUMA LESTYANI', agrees: true },
  {
    key: 'alamat',
    label: { id: 'Alamat sekarang', en: 'Current address' },
    card: 'JL. MELATI PUTIH NO. 4 RT 001/RW 002, JATEN, JATEN, KARANGANYAR, JAWA TENGAH',
    registry: 'PERUM GRIYA ASRI BLOK C NO. 8 RT 006/RW 011, NGRINGO, JATEN, KARANGANYAR, JAWA TENGAH',
    agrees: false,
  },
] as const;
const NO_PIN_LIMIT = { attemptsLeft: null, lockedUntil: null };
const PHOTO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="40"><rect width="30" height="40" fill="#888"/></svg>').toString('base64')}`;

t.test('welcome greets in Bahasa Indonesia and switches to English and back', async (t) => {
  await show({ screen: 'welcome' });
  t.match(await screenText('welcome'), /Selamat datang[\s\S]*Letakkan KTP-el/);
  await page.getByTestId('language').click();
  t.match(await screenText('welcome'), /Welcome[\s\S]*Place your KTP-el/);
  await page.getByTestId('language').click();
  t.match(await screenText('welcome'), /Selamat datang/);
});

t.test('reading the card shows its progress and can be cancelled', async (t) => {
  await show({ screen: 'readingCard', phase: 'templates', progress: 0.42 });
  t.equal(await page.getByTestId('progress-percent').innerText(), '42%');
  t.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), '42');
  await show({ screen: 'readingCard', phase: 'record', progress: 0.9 });
  t.equal(await page.getByTestId('progress-percent').innerText(), '90%', 'a new push moves the bar');
  t.same(await tapAndGetIntent('cancel'), { type: 'cancel' });
});

t.test('the finger screen names and highlights the finger, counts attempts and gives feedback', async (t) => {
  await show({ screen: 'awaitingFinger', attempt: 2, maxAttempts: 4, fingerPosition: 7, feedback: 'noMatch' });
  t.match(await text('[data-screen="awaitingFinger"] h1'), /telunjuk kiri/);
  t.equal(await page.locator('rect.target').count(), 1, 'exactly one finger is highlighted');
  t.equal(await page.locator('rect.target').getAttribute('data-finger'), '7');
  t.equal(await page.getByTestId('finger-attempt').innerText(), 'Percobaan 2 dari 4');
  t.match(await page.getByTestId('finger-feedback').innerText(), /belum cocok/);
  await show({ screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 1, feedback: 'placeCentered' });
  t.equal(await page.locator('rect.target').getAttribute('data-finger'), '1');
  t.match(await text('[data-screen="awaitingFinger"] h1'), /ibu jari kanan/);
  t.match(await page.getByTestId('finger-feedback').innerText(), /tengah pemindai/);
  t.same(await tapAndGetIntent('cannot-give-finger'), { type: 'cannotGiveFinger' });
  t.same(await tapAndGetIntent('cancel'), { type: 'cancel' });
});

t.test('staff assist: the PIN is typed on the pad, hidden, sent once, and a rejection is shown', async (t) => {
  await show({ screen: 'staffAssist', step: 'callStaff', why: 'fingerNotMatched', pinRejected: false, helpNeeded: true, staffPin: NO_PIN_LIMIT, photo: null });
  t.match(await screenText('staffAssist'), /Mohon panggil petugas/);
  await page.getByTestId('staff-pad-open').click();
  for (const d of '2468109') await page.getByTestId(`pin-key-${d}`).click();
  await page.getByTestId('pin-back').click();
  t.equal(await page.getByTestId('pin-dots').innerText(), '●●●●●●', 'digits are masked');
  t.notMatch(await screenText('staffAssist'), /246810/);
  t.same(await tapAndGetIntent('pin-submit'), { type: 'staffUnlock', pin: '246810' });
  t.equal(await page.getByTestId('pin-dots').innerText(), '', 'the pad forgets the PIN once sent');
  await show({ screen: 'staffAssist', step: 'callStaff', why: 'fingerNotMatched', pinRejected: true, helpNeeded: true, staffPin: NO_PIN_LIMIT, photo: null });
  t.match(await page.getByTestId('pin-rejected').innerText(), /PIN salah/);
});

t.test('staff assist: the card photo is shown for the face comparison', async (t) => {
  await show({ screen: 'staffAssist', step: 'readingRecord', why: 'taxpayerChoice', pinRejected: false, helpNeeded: true, staffPin: NO_PIN_LIMIT, photo: null });
  t.equal(await page.getByRole('progressbar').count(), 1);
  await show({ screen: 'staffAssist', step: 'compareFace', why: 'taxpayerChoice', pinRejected: false, helpNeeded: false, staffPin: NO_PIN_LIMIT, photo: PHOTO });
  t.equal(await page.getByTestId('card-photo').getAttribute('src'), PHOTO);
  t.same(await tapAndGetIntent('face-differs'), { type: 'staffConfirmFace', matches: false });
  t.same(await tapAndGetIntent('face-matches'), { type: 'staffConfirmFace', matches: true });
});

t.test('validating shows an indeterminate bar', async (t) => {
  await show({ screen: 'validating' });
  t.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), null);
  t.match(await screenText('validating'), /Dukcapil/);
});

t.test('the result lists card and registry values with agree/differ marks, in the chosen language', async (t) => {
  const fields = [...RESULT_FIELDS, { key: 'jenisPekerjaan', label: { id: 'Jenis pekerjaan', en: 'Occupation' }, card: 'GURU', registry: null, agrees: false }];
  await show({ screen: 'result', outcome: 'dataDiffers', fields: fields as never, compared: true, canLinkReturnData: true });
  t.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'dataDiffers');
  t.match(await page.getByTestId('outcome').innerText(), /Sebagian data berbeda/);
  const address = page.getByTestId('field-alamat');
  t.equal(await address.getAttribute('data-agrees'), 'false');
  t.match(await address.innerText(), /Berbeda[\s\S]*JL\. MELATI PUTIH[\s\S]*PERUM GRIYA ASRI/);
  t.match(await page.getByTestId('field-nik').innerText(), /Sesuai/);
  t.equal(await page.getByTestId('field-jenisPekerjaan').getByTestId('registry-value').innerText(), '—', 'no registry value reads as a dash');
  await page.getByTestId('language').click();
  t.match(await address.innerText(), /Current address[\s\S]*Differs/);
  await page.getByTestId('language').click();
  t.same(await tapAndGetIntent('link-return-data'), { type: 'linkReturnData' });
  t.same(await tapAndGetIntent('finish'), { type: 'finish' });
  await show({ screen: 'result', outcome: 'notFound', fields: [{ ...RESULT_FIELDS[0], registry: null, agrees: false }], compared: false, canLinkReturnData: false });
  t.match(await page.getByTestId('outcome').innerText(), /NIK tidak ditemukan/);
  t.equal(await page.getByTestId('link-return-data').count(), 0, 'no linking when the registry does not know the person');
});

t.test('return data: the keypad types a masked NOP and an NPWPD with letters; errors are shown', async (t) => {
  await show({ screen: 'returnData', error: null });
  await page.getByTestId('nop-input').click();
  for (const d of '331301000100100010') await page.getByTestId(`key-${d}`).click();
  t.equal(await page.getByTestId('nop-input').inputValue(), '33.13.010.001.001-0001.0');
  await page.getByTestId('key-backspace').click();
  t.equal(await page.getByTestId('nop-input').inputValue(), '33.13.010.001.001-0001', 'backspace removes a digit with its separator');
  await page.getByTestId('key-0').click();
  t.equal(await page.getByTestId('key-mode').count(), 0, 'no letters for the NOP');
  await page.getByTestId('npwpd-input').click();
  await page.getByTestId('key-mode').click();
  await page.getByTestId('key-P').click();
  await page.getByTestId('key-mode').click();
  for (const k of '.2.0001234.33.13') await page.getByTestId(`key-${k}`).click();
  t.equal(await page.getByTestId('npwpd-input').inputValue(), 'P.2.0001234.33.13');
  t.same(await tapAndGetIntent('submit-return-data'), { type: 'submitReturnData', nop: '33.13.010.001.001-0001.0', npwpd: 'P.2.0001234.33.13' });
  await show({ screen: 'returnData', error: 'npwpdFormat' }, {});
  t.match(await page.getByTestId('return-data-error').innerText(), /Format NPWPD/);
  t.equal(await page.getByTestId('npwpd-input').inputValue(), 'P.2.0001234.33.13', 'what was typed survives a refusal');
  t.same(await tapAndGetIntent('skip-return-data'), { type: 'skipReturnData' });
});

t.test('failures: "Coba lagi" only when retrying can help; the staff code names reason and state', async (t) => {
  await show({ screen: 'failed', reason: 'cardRemoved', state: 'readingCard', retriable: true, detail: null, staffMessage: { id: 'Pesan untuk petugas', en: 'Message for staff' } });
  t.match(await screenText('failed'), /Kartu terangkat[\s\S]*Coba lagi/);
  await show({ screen: 'failed', reason: 'signatureInvalid', state: 'readingRecord', retriable: false, detail: null, staffMessage: { id: 'Pesan untuk petugas', en: 'Message for staff' } });
  t.match(await page.getByTestId('failure-title').innerText(), /Tanda tangan digital kartu tidak sah/);
  t.notMatch(await screenText('failed'), /Coba lagi/);
  t.match(await page.getByTestId('take-card').innerText(), /ambil kartu/);
  t.match(await page.getByTestId('failure-code').innerText(), /Untuk petugas: Tanda tangan digital kartu tidak sah \(membaca data kartu\) · signatureInvalid\/readingRecord/);
});

t.test('finished asks for the card back', async (t) => {
  await show({ screen: 'finished', why: 'returnDataSaved' });
  t.match(await screenText('finished'), /Silakan ambil kartu Anda[\s\S]*NOP\/NPWPD Anda telah dicatat/);
});

t.test('the last screens of a session show its reference code small, in both languages', async (t) => {
  const staffMessage = { id: 'Pesan untuk petugas', en: 'Message for staff' };
  await show({ screen: 'finished', why: 'completed', reference: '3F9A01BC' });
  t.match(await page.getByTestId('session-reference').innerText(), /Kode sesi[\s\S]*3F9A01BC/);
  const size = (sel: string) => page.locator(sel).first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  t.ok((await size('[data-testid="session-reference"]')) < (await size('[data-testid="finished-why"]')), 'smaller than the message');
  await page.getByTestId('language').click();
  t.match(await page.getByTestId('session-reference').innerText(), /Session code[\s\S]*3F9A01BC/);
  await page.getByTestId('language').click();
  await show({ screen: 'failed', reason: 'cardRemoved', state: 'readingCard', retriable: true, detail: null, staffMessage, reference: '00C0FFEE' });
  t.match(await page.getByTestId('session-reference').innerText(), /00C0FFEE/);
  await show({ screen: 'result', outcome: 'notFound', fields: [{ ...RESULT_FIELDS[0], registry: null, agrees: false }], compared: false, canLinkReturnData: false, reference: 'ABCDEF12' });
  t.match(await page.getByTestId('session-reference').innerText(), /ABCDEF12/);
  await show({ screen: 'finished', why: 'completed' });
  t.equal(await page.getByTestId('session-reference').count(), 0, 'no line without a reference');
});

t.test('every out-of-service reason shows its own message', async (t) => {
  const seen = new Set<string>();
  for (const reason of OUT_OF_SERVICE_REASONS) {
    await show({ screen: 'outOfService', reason });
    const msg = await page.getByTestId('out-of-service-reason').innerText();
    t.equal(await page.getByTestId('out-of-service-reason').getAttribute('data-reason'), reason);
    seen.add(msg);
  }
  t.equal(seen.size, OUT_OF_SERVICE_REASONS.length);
});

t.test('the idle warning counts down over the screen and "Lanjutkan" extends the time', async (t) => {
  await show({ screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 2, feedback: null }, { idleWarning: { secondsLeft: 20 } });
  const seconds = page.getByTestId('idle-seconds');
  t.equal(await seconds.innerText(), '20');
  await page.waitForFunction(
    `Number(document.querySelector('anj-app').shadowRoot.querySelector('anj-idle-overlay').shadowRoot.querySelector('[data-testid="idle-seconds"]').textContent) < 20`,
  );
  t.ok(Number(await seconds.innerText()) < 20, 'the countdown runs between pushes');
  t.same(await tapAndGetIntent('idle-continue'), { type: 'extendTime' });
  await show({ screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 2, feedback: null });
  t.equal(await page.getByTestId('idle-warning').count(), 0, 'the warning goes when the daemon drops it');
});

t.test('the demo panel drives the simulated world, and is absent outside demo mode', async (t) => {
  await show({ screen: 'welcome' });
  kiosk.demoCalls.length = 0;
  await page.getByTestId('demo-persona').selectOption('address-changed');
  // One click at a time, as a person clicks: each request has arrived before the next click.
  for (const [n, id] of ['demo-insert', 'demo-finger-genuine', 'demo-finger-stranger', 'demo-remove', 'demo-tamper', 'demo-tamper'].entries()) {
    await page.getByTestId(id).click();
    await eventually(() => kiosk.demoCalls.length > n, `the request of ${id}`);
  }
  t.same(
    kiosk.demoCalls.map((c) => [c.method, c.path, c.body]),
    [
      ['POST', '/api/demo/card', { persona: 'address-changed' }],
      ['POST', '/api/demo/finger', { genuine: true }],
      ['POST', '/api/demo/finger', { genuine: false }],
      ['DELETE', '/api/demo/card', null],
      ['POST', '/api/demo/tamper', { open: true }],
      ['POST', '/api/demo/tamper', { open: false }],
    ],
  );
  const lights = async () =>
    Promise.all(['green', 'amber', 'red'].map((c) => page.getByTestId(`demo-light-${c}`).getAttribute('data-state')));
  t.same(await lights(), ['on', 'off', 'off'], 'welcome: green');
  await show({ screen: 'staffAssist', step: 'callStaff', why: 'fingerNotMatched', pinRejected: false, helpNeeded: true, staffPin: { attemptsLeft: null, lockedUntil: null }, photo: null });
  t.same(await lights(), ['off', 'blink', 'off'], 'help needed: amber blinks');
  await show({ screen: 'outOfService', reason: 'tamper' });
  t.same(await lights(), ['off', 'off', 'on'], 'out of service: red');
  await show({ screen: 'welcome' });
  await page.getByTestId('demo-toggle').click();
  t.equal(await page.getByTestId('demo-insert').count(), 0, 'the panel collapses');
  await page.getByTestId('demo-toggle').click();
  await show({ screen: 'welcome' }, { demo: false });
  t.equal(await page.getByTestId('demo-panel').count(), 0);
  await show({ screen: 'welcome' }, { demo: true });
});

t.test('tamper: staff unlock the kiosk with their PIN on the screen; refusals are shown', async (t) => {
  await show({ screen: 'outOfService', reason: 'tamper' });
  const typePin = async (pin: string) => {
    for (const d of pin) await page.getByTestId(`pin-key-${d}`).click();
    await page.getByTestId('pin-submit').click();
  };
  kiosk.tamperClears.length = 0;
  kiosk.tamperAnswer = { status: 409, body: { error: 'switchOpen', message: 'close the enclosure first' } };
  await typePin('1357');
  await eventually(() => kiosk.tamperClears.length === 1, 'the PIN request');
  t.same(kiosk.tamperClears, [{ pin: '1357' }]);
  t.match(await page.getByTestId('tamper-clear-notice').innerText(), /Casing masih terbuka/);
  t.equal(await page.getByTestId('pin-dots').innerText(), '', 'the pad is cleared after a refusal');
  kiosk.tamperAnswer = { status: 403, body: { error: 'pinRejected', message: 'staff PIN not accepted' } };
  await typePin('2468');
  await eventually(() => kiosk.tamperClears.length === 2, 'the second PIN request');
  await page.getByTestId('tamper-clear-notice').filter({ hasText: 'PIN salah' }).waitFor();
  kiosk.tamperAnswer = { status: 200, body: { ok: true } };
  await typePin('1357');
  await eventually(() => kiosk.tamperClears.length === 3, 'the third PIN request');
  await show({ screen: 'welcome' });
  t.equal(await page.getByTestId('tamper-clear-notice').count(), 0);
});

t.test('a refused intent leaves the screen as it is', async (t) => {
  await show({ screen: 'validating' });
  kiosk.refuseIntents = true;
  t.same(await tapAndGetIntent('cancel'), { type: 'cancel' });
  kiosk.refuseIntents = false;
  t.equal(await page.locator('[data-screen="validating"]').count(), 1);
  t.equal(await page.getByTestId('reconnecting').count(), 0);
});

t.test('a lost connection is shown and recovered from; the fresh view replaces the old one', async (t) => {
  await show({ screen: 'validating' });
  kiosk.dropConnections();
  await page.getByTestId('reconnecting').waitFor();
  kiosk.show({ screen: 'finished', why: 'completed' });
  await page.locator('[data-screen="finished"]').waitFor();
  await page.getByTestId('reconnecting').waitFor({ state: 'detached' });
  t.pass('reconnected and showed the current view');
});

const NINE_FIELDS = [
  ...RESULT_FIELDS,
  { key: 'nomorKk', label: { id: 'No KK', en: 'Family card no.' }, card: '3313110101090007', registry: '3313110101090007', agrees: true },
  { key: 'tempatLahir', label: { id: 'Tempat lahir', en: 'Place of birth' }, card: 'KARANGANYAR', registry: 'KARANGANYAR', agrees: true },
  { key: 'tanggalLahir', label: { id: 'Tanggal lahir', en: 'Date of birth' }, card: '15-07-1992', registry: '15-07-1992', agrees: true },
  { key: 'jenisKelamin', label: { id: 'Jenis kelamin', en: 'Sex' }, card: 'PEREMPUAN', registry: 'PEREMPUAN', agrees: true },
  { key: 'jenisPekerjaan', label: { id: 'Jenis pekerjaan', en: 'Occupation' }, card: 'GURU', registry: 'GURU', agrees: true },
  { key: 'statusPerkawinan', label: { id: 'Status perkawinan', en: 'Marital status' }, card: 'KAWIN', registry: 'KAWIN', agrees: true },
];
const LAYOUT_VIEWS: { name: string; args: Shown }[] = [
  { name: 'welcome', args: [{ screen: 'welcome' }] },
  { name: 'starting', args: [{ screen: 'outOfService', reason: 'starting' }] },
  { name: 'readingCard', args: [{ screen: 'readingCard', phase: 'templates', progress: 0.5 }] },
  { name: 'awaitingFinger', args: [{ screen: 'awaitingFinger', attempt: 3, maxAttempts: 4, fingerPosition: 7, feedback: 'cleanFinger' }] },
  {
    name: 'staffAssist-callStaff',
    args: [{ screen: 'staffAssist', step: 'callStaff', why: 'fingerNotMatched', pinRejected: true, helpNeeded: true, staffPin: { attemptsLeft: 2, lockedUntil: null }, photo: null }],
  },
  { name: 'staffAssist-compareFace', args: [{ screen: 'staffAssist', step: 'compareFace', why: 'fingerNotMatched', pinRejected: false, helpNeeded: false, staffPin: NO_PIN_LIMIT, photo: PHOTO }] },
  { name: 'validating', args: [{ screen: 'validating' }] },
  { name: 'result', args: [{ screen: 'result', outcome: 'dataDiffers', fields: NINE_FIELDS as never, compared: true, canLinkReturnData: true, reference: '3F9A01BC' }] },
  { name: 'result-notFound', args: [{ screen: 'result', outcome: 'notFound', fields: NINE_FIELDS.map((f) => ({ ...f, registry: null, agrees: false })) as never, compared: false, canLinkReturnData: false }] },
  { name: 'returnData', args: [{ screen: 'returnData', error: 'nopFormat' }] },
  { name: 'finished', args: [{ screen: 'finished', why: 'completed', reference: '3F9A01BC' }] },
  { name: 'finished-cardTaken', args: [{ screen: 'finished', why: 'cardTaken' }] },
  { name: 'failed', args: [{ screen: 'failed', reason: 'uplinkUnavailable', state: 'validating', retriable: true, detail: { kind: 'registryRefusal', value: 'unavailable' }, staffMessage: { id: 'Pesan untuk petugas', en: 'Message for staff' }, reference: '3F9A01BC' }] },
  { name: 'outOfService', args: [{ screen: 'outOfService', reason: 'quotaReached' }] },
  { name: 'tamper', args: [{ screen: 'outOfService', reason: 'tamper' }] },
  { name: 'idleWarning', args: [{ screen: 'validating' }, { idleWarning: { secondsLeft: 20 } }] },
];

/** Buttons and inputs smaller than a fingertip or off the screen sideways, and regions that scroll sideways, in any shadow root. */
const LAYOUT_CHECK = `(() => {
  const problems = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      if (el.shadowRoot) visit(el.shadowRoot);
      if (!['BUTTON', 'INPUT', 'SELECT'].includes(el.tagName)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const name = el.getAttribute('data-testid') || (el.textContent || '').trim() || el.tagName;
      if (r.width < 48 || r.height < 48) problems.push(name + ' is ' + Math.round(r.width) + 'x' + Math.round(r.height));
      if (r.left < 0 || r.right > window.innerWidth + 0.5) problems.push(name + ' leaves the screen sideways');
    }
    for (const el of root.querySelectorAll('*')) {
      if (el.scrollWidth > el.clientWidth + 1 && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) {
        problems.push((el.className || el.tagName) + ' scrolls sideways');
      }
    }
  };
  visit(document);
  return problems;
})()`;
/** Buttons and inputs smaller than a fingertip or off the screen sideways, and regions that scroll sideways, in any shadow root. */
async function layoutProblems(): Promise<string[]> {
  // Passed as a string: the test's transpiler adds helpers to functions that the page lacks.
  return page.evaluate(LAYOUT_CHECK) as Promise<string[]>;
}

for (const viewport of Object.values(VIEWPORTS)) {
  t.test(`at ${viewport.width}×${viewport.height} every screen keeps touch targets ≥ 48 px inside the screen, with no serious accessibility violation`, async (t) => {
    await page.setViewportSize(viewport);
    for (const v of LAYOUT_VIEWS) {
      await show(...v.args);
      if (v.name === 'staffAssist-callStaff') await page.getByTestId('staff-pad-open').click();
      await page.waitForTimeout(150); // let transitions settle before the picture
      t.same(await layoutProblems(), [], v.name);
      t.same(await ui.axeViolations(), [], `${v.name}: axe-core finds no serious or critical violation`);
      await page.screenshot({ path: join(SHOTS, `ui-${v.name}-${viewport.width}x${viewport.height}.png`) });
    }
  });
}

t.test('large-text mode (≥ 1.4×) keeps every screen free of sideways scrolling at 800×480', async (t) => {
  await page.setViewportSize(VIEWPORTS.small);
  await show({ screen: 'validating' });
  const bodySize = () => page.getByTestId('cancel').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  const normal = await bodySize();
  await page.getByTestId('large-text').click();
  t.ok((await bodySize()) >= normal * 1.4 - 0.5, `text grows from ${normal} px to at least 1.4×`);
  for (const v of LAYOUT_VIEWS) {
    await show(...v.args);
    // Welcome and out of service end a session, which resets the mode: a new person turns it on again.
    if ((await page.getByTestId('large-text').getAttribute('aria-pressed')) === 'false') await page.getByTestId('large-text').click();
    if (v.name === 'staffAssist-callStaff') await page.getByTestId('staff-pad-open').click();
    await page.waitForTimeout(100);
    t.same((await layoutProblems()).filter((p) => /sideways/.test(p)), [], `${v.name} in large text`);
    await page.screenshot({ path: join(SHOTS, `ui-large-text-${v.name}-800x480.png`) });
  }
  await show({ screen: 'welcome' });
  t.equal(await page.getByTestId('large-text').getAttribute('aria-pressed'), 'false', 'the next person starts with normal text');
});

t.test('the discreet staff entry leads to /staff/ only on the screens staff use', async (t) => {
  const entryShown = () => page.getByTestId('staff-entry').count();
  await show({ screen: 'welcome' });
  t.equal(await entryShown(), 1, 'on the welcome screen');
  t.equal(await page.getByTestId('staff-entry').getAttribute('href'), '/staff/');
  t.equal(await page.getByTestId('staff-entry').innerText(), 'Petugas');
  await show({ screen: 'outOfService', reason: 'pausedByStaff' });
  t.equal(await entryShown(), 1, 'out of service');
  await show({ screen: 'staffAssist', step: 'callStaff', why: 'taxpayerChoice', pinRejected: false, helpNeeded: true, staffPin: NO_PIN_LIMIT, photo: null });
  t.equal(await entryShown(), 1, 'while a taxpayer waits for staff');
  await show({ screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 1, feedback: null });
  t.equal(await entryShown(), 0, 'not while a taxpayer is mid-session');
  await show({ screen: 'validating' });
  t.equal(await entryShown(), 0);
});

t.test('no script errors on the page', async (t) => {
  t.same(pageErrors, []);
});
