/**
 * Every screen of the UI in Debian's Chromium, fed by a stand-in daemon: what the taxpayer sees
 * for each view and which intent each tap sends. (Whether each screen fits is layout.test.ts.)
 */
import t from 'tap';
import { OUT_OF_SERVICE_REASONS, SESSION_FAILURES, type SessionFailureReason } from '../../device/domain/failure.ts';
import { startUi } from './harness.ts';

const ui = await startUi();
const { kiosk, page, pageErrors, show, eventually, tapAndGetIntent, screenText } = ui;
t.teardown(() => ui.close());
const text = (sel: string) => page.locator(sel).first().innerText();

const RESULT_FIELDS = [
  { key: 'nik', label: { id: 'NIK', en: 'NIK' }, card: '3313115507920003', registry: '3313115507920003', agrees: true },
  {
    key: 'namaLengkap',
    label: { id: 'Nama lengkap', en: 'Full name' },
    card: 'RATNA KUSUMA LESTYANI',
    registry: 'RATNA KUSUMA LESTYANI',
    agrees: true,
  },
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
  // The third try asks for the card's other finger: the title, the drawing and the feedback all say which.
  await show({ screen: 'awaitingFinger', attempt: 3, maxAttempts: 4, fingerPosition: 7, feedback: 'otherFinger' });
  t.equal(await page.locator('rect.target').getAttribute('data-finger'), '7');
  t.match(await text('[data-screen="awaitingFinger"] h1'), /telunjuk kiri/);
  t.equal(await page.getByTestId('finger-feedback').innerText(), 'Sekarang ganti ke telunjuk kiri Anda.');
  t.same(await tapAndGetIntent('cannot-give-finger'), { type: 'cannotGiveFinger' });
  t.same(await tapAndGetIntent('cancel'), { type: 'cancel' });
});

t.test('staff assist: the PIN is typed on the pad, hidden, sent once, and a rejection is shown', async (t) => {
  await show({
    screen: 'staffAssist',
    step: 'callStaff',
    why: 'fingerNotMatched',
    pinRejected: false,
    helpNeeded: true,
    staffPin: NO_PIN_LIMIT,
    photo: null,
  });
  t.match(await screenText('staffAssist'), /Silakan tunggu petugas/);
  await page.getByTestId('staff-pad-open').click();
  for (const d of '2468109') await page.getByTestId(`pin-key-${d}`).click();
  await page.getByTestId('pin-back').click();
  t.equal(await page.getByTestId('pin-dots').innerText(), '●●●●●●', 'digits are masked');
  t.notMatch(await screenText('staffAssist'), /246810/);
  t.same(await tapAndGetIntent('pin-submit'), { type: 'staffUnlock', pin: '246810' });
  t.equal(await page.getByTestId('pin-dots').innerText(), '', 'the pad forgets the PIN once sent');
  await show({
    screen: 'staffAssist',
    step: 'callStaff',
    why: 'fingerNotMatched',
    pinRejected: true,
    helpNeeded: true,
    staffPin: NO_PIN_LIMIT,
    photo: null,
  });
  t.match(await page.getByTestId('pin-rejected').innerText(), /PIN tidak diterima/);
});

t.test('staff assist: the card photo is shown for the face comparison', async (t) => {
  await show({
    screen: 'staffAssist',
    step: 'readingRecord',
    why: 'taxpayerChoice',
    pinRejected: false,
    helpNeeded: true,
    staffPin: NO_PIN_LIMIT,
    photo: null,
  });
  t.equal(await page.getByRole('progressbar').count(), 1);
  await show({
    screen: 'staffAssist',
    step: 'compareFace',
    why: 'taxpayerChoice',
    pinRejected: false,
    helpNeeded: false,
    staffPin: NO_PIN_LIMIT,
    photo: PHOTO,
  });
  t.equal(await page.getByTestId('card-photo').getAttribute('src'), PHOTO);
  t.same(await tapAndGetIntent('face-differs'), { type: 'staffConfirmFace', matches: false });
  t.same(await tapAndGetIntent('face-matches'), { type: 'staffConfirmFace', matches: true });
});

t.test('validating shows an indeterminate bar', async (t) => {
  await show({ screen: 'validating' });
  t.equal(await page.getByRole('progressbar').getAttribute('aria-valuenow'), null);
  t.match(await screenText('validating'), /Memeriksa data kependudukan/);
});

t.test('the result lists card and registry values with agree/differ marks, in the chosen language', async (t) => {
  const fields = [
    ...RESULT_FIELDS,
    { key: 'jenisPekerjaan', label: { id: 'Jenis pekerjaan', en: 'Occupation' }, card: 'GURU', registry: null, agrees: null },
  ];
  await show({ screen: 'result', outcome: 'dataDiffers', fields: fields as never, compared: true, canLinkReturnData: true });
  t.equal(await page.getByTestId('outcome').getAttribute('data-outcome'), 'dataDiffers');
  t.match(await page.getByTestId('outcome').innerText(), /Sebagian data berbeda/);
  const address = page.getByTestId('field-alamat');
  t.equal(await address.getAttribute('data-agrees'), 'false');
  t.match(await address.innerText(), /Berbeda[\s\S]*JL\. MELATI PUTIH[\s\S]*PERUM GRIYA ASRI/);
  t.match(await page.getByTestId('field-nik').innerText(), /Sesuai/);
  const occupation = page.getByTestId('field-jenisPekerjaan');
  t.equal(await occupation.getByTestId('registry-value').innerText(), '—', 'no registry value reads as a dash');
  t.equal(await occupation.getAttribute('data-agrees'), 'unknown', 'a field the registry sent nothing for is unknown, not differing');
  t.match(await occupation.getByTestId('field-mark').innerText(), /Tidak ada data/);
  t.notMatch(await occupation.innerText(), /Berbeda/);
  await page.getByTestId('language').click();
  t.match(await address.innerText(), /Current address[\s\S]*Differs/);
  await page.getByTestId('language').click();
  t.same(await tapAndGetIntent('link-return-data'), { type: 'linkReturnData' });
  t.same(await tapAndGetIntent('finish'), { type: 'finish' });
  await show({
    screen: 'result',
    outcome: 'notFound',
    fields: [{ ...RESULT_FIELDS[0], registry: null, agrees: null }],
    compared: false,
    canLinkReturnData: false,
  });
  t.match(await page.getByTestId('outcome').innerText(), /Data belum ditemukan/);
  t.equal(await page.getByTestId('link-return-data').count(), 0, 'no linking when the registry does not know the person');
});

t.test('return data: the keypad types a masked NOP and an NPWPD with letters; errors are shown', async (t) => {
  await show({ screen: 'returnData', error: null, submissions: 0 });
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
  t.same(await tapAndGetIntent('submit-return-data'), {
    type: 'submitReturnData',
    nop: '33.13.010.001.001-0001.0',
    npwpd: 'P.2.0001234.33.13',
  });
  await show({ screen: 'returnData', error: 'npwpdFormat', submissions: 1 }, {});
  t.match(await page.getByTestId('return-data-error').innerText(), /Samakan NPWPD dengan kartu NPWPD/);
  t.equal(await page.getByTestId('npwpd-input').inputValue(), 'P.2.0001234.33.13', 'what was typed survives a refusal');
  t.same(await tapAndGetIntent('skip-return-data'), { type: 'skipReturnData' });
});

t.test('a second wrong NOP gets an answer: the refusal shows again, under the field, in view', async (t) => {
  await show({ screen: 'result', outcome: 'verified', fields: RESULT_FIELDS as never, compared: true, canLinkReturnData: true });
  await show({ screen: 'returnData', error: null, submissions: 0 });
  await page.getByTestId('nop-input').click();
  for (const d of '331301000100100015') await page.getByTestId(`key-${d}`).click();
  t.same(await tapAndGetIntent('submit-return-data'), { type: 'submitReturnData', nop: '33.13.010.001.001-0001.5' });
  await show({ screen: 'returnData', error: 'nopFormat', submissions: 1 });
  t.match(await page.getByTestId('return-data-error').innerText(), /NOP harus 18 angka/);
  await page.getByTestId('key-backspace').click();
  await page.getByTestId('return-data-error').waitFor({ state: 'detached' });
  await page.getByTestId('key-5').click();
  t.same(
    await tapAndGetIntent('submit-return-data'),
    { type: 'submitReturnData', nop: '33.13.010.001.001-0001.5' },
    'the same wrong NOP again',
  );
  await show({ screen: 'returnData', error: 'nopFormat', submissions: 2 });
  const error = page.getByTestId('return-data-error');
  t.equal(await error.getAttribute('data-submission'), '2', 'the answer to the second submission');
  t.equal(await error.getAttribute('role'), 'alert', 'announced again');
  const box = (await error.boundingBox())!;
  const input = (await page.getByTestId('nop-input').boundingBox())!;
  t.ok(box.y >= input.y + input.height - 1 && box.y + box.height <= 480, 'right under the NOP field, inside the screen');
  t.ok(await page.getByTestId('submit-return-data').isVisible(), 'the buttons stay in view');
});

const failed = (reason: SessionFailureReason, cardInReader: boolean, reference?: string) => ({
  screen: 'failed' as const,
  reason,
  state: 'readingRecord',
  retriable: SESSION_FAILURES[reason].retriable,
  cardInReader,
  detail: { kind: 'statusWord' as const, value: '6A82' },
  staffMessage: { id: 'Tanda tangan penerbit tidak sah', en: "The issuer's signature does not verify" },
  ...(reference ? { reference } : {}),
});

t.test('failures: the way on follows the card: lift and place back, place back, or take it', async (t) => {
  await show(failed('cardUnreadable', true));
  t.match(
    await page.getByTestId('try-again').innerText(),
    /angkat KTP-el, lalu letakkan kembali/,
    'card still on the reader: lift it, then place it back',
  );
  await show(failed('cardRemoved', false));
  t.match(await page.getByTestId('try-again').innerText(), /letakkan KTP-el di atas pembaca/);
  t.notMatch(await screenText('failed'), /\bangkat\b/i, 'a card already off is not asked to be lifted');
  await show(failed('signatureInvalid', true));
  t.equal(await page.getByTestId('try-again').count(), 0, 'no retry where it cannot help');
  t.match(await page.getByTestId('take-card').innerText(), /ambil kartu/);
  await show(failed('signatureInvalid', false));
  t.equal(await page.getByTestId('take-card').count(), 0, 'nothing to take once the card is gone');
});

t.test('no failure screen shows a code, a step name or the staff message, and none accuses', async (t) => {
  for (const reason of Object.keys(SESSION_FAILURES) as SessionFailureReason[]) {
    for (const locale of ['id', 'en'] as const) {
      await show(failed(reason, true, '3F9A01BC'));
      if ((await page.evaluate('document.documentElement.lang')) !== locale) await page.getByTestId('language').click();
      // The session code stays: a taxpayer quotes it to staff. Nothing else of the staff's.
      const text = (await screenText('failed')).replace(/^.*(Kode sesi|Session code).*$/gm, '');
      t.notMatch(
        text,
        new RegExp(
          `\\b${reason}\\b|readingRecord|6A82|statusWord|signature|tanda tangan|Pesan untuk petugas|Message for staff|petugas:|staff:`,
          'i',
        ),
        `${reason} (${locale}): no code or staff detail`,
      );
      t.notMatch(
        text,
        /palsu|fake|ditolak|refused|tidak sah|not valid|invalid|kesalahan Anda|your fault/i,
        `${reason} (${locale}): no accusation`,
      );
    }
  }
  await page.getByTestId('language').click();
});

t.test('finished asks for the card back', async (t) => {
  await show({ screen: 'finished', why: 'returnDataSaved' });
  t.match(await screenText('finished'), /Silakan ambil kartu Anda[\s\S]*NOP\/NPWPD Anda sudah diterima/);
});

t.test('the last screens of a session show its reference code small, in both languages', async (t) => {
  await show({ screen: 'finished', why: 'completed', reference: '3F9A01BC' });
  t.match(await page.getByTestId('session-reference').innerText(), /Kode sesi[\s\S]*3F9A01BC/);
  const size = (sel: string) =>
    page
      .locator(sel)
      .first()
      .evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  t.ok((await size('[data-testid="session-reference"]')) < (await size('[data-testid="finished-why"]')), 'smaller than the message');
  await page.getByTestId('language').click();
  t.match(await page.getByTestId('session-reference').innerText(), /Session code[\s\S]*3F9A01BC/);
  await page.getByTestId('language').click();
  await show({ ...failed('cardRemoved', false), reference: '00C0FFEE' });
  t.match(await page.getByTestId('session-reference').innerText(), /00C0FFEE/);
  await show({
    screen: 'result',
    outcome: 'notFound',
    fields: [{ ...RESULT_FIELDS[0], registry: null, agrees: null }],
    compared: false,
    canLinkReturnData: false,
    reference: 'ABCDEF12',
  });
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

t.test('outside the access hours the screen says when service resumes, with the day when it is not today', async (t) => {
  // 07:00 WIB (00:00 UTC) on the office's calendar, `days` after today.
  const wibToday = new Date(Date.now() + 7 * 3600_000);
  const opening = (days: number) =>
    new Date(Date.UTC(wibToday.getUTCFullYear(), wibToday.getUTCMonth(), wibToday.getUTCDate() + days)).toISOString();
  await show({ screen: 'outOfService', reason: 'outsideAccessHours', reopensAt: opening(1) });
  t.match(await page.getByTestId('out-of-service-reason').innerText(), /di luar jam layanan/);
  t.equal(await page.getByTestId('reopens-at').innerText(), 'Layanan dibuka kembali besok pukul 07:00 WIB.');
  await show({ screen: 'outOfService', reason: 'outsideAccessHours', reopensAt: opening(3) });
  t.match(
    await page.getByTestId('reopens-at').innerText(),
    /^Layanan dibuka kembali hari (Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu) pukul 07:00 WIB\.$/,
    'after a weekend, the weekday',
  );
  await page.getByTestId('language').click();
  t.match(
    await page.getByTestId('reopens-at').innerText(),
    /^Service resumes on (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) at 07:00 WIB\.$/,
  );
  await page.getByTestId('language').click();
  await show({ screen: 'outOfService', reason: 'outsideAccessHours' });
  t.equal(await page.getByTestId('reopens-at').count(), 0, 'no time where the kiosk does not know it');
  t.match(await screenText('outOfService'), /loket pelayanan/, 'and the counter is the way on');
});

t.test('the idle warning counts down over the screen and "Lanjutkan" extends the time', async (t) => {
  await show(
    { screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 2, feedback: null },
    { idleWarning: { secondsLeft: 20 } },
  );
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
  for (const [n, id] of [
    'demo-insert',
    'demo-finger-genuine',
    'demo-finger-stranger',
    'demo-remove',
    'demo-tamper',
    'demo-tamper',
  ].entries()) {
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
  await show({
    screen: 'staffAssist',
    step: 'callStaff',
    why: 'fingerNotMatched',
    pinRejected: false,
    helpNeeded: true,
    staffPin: { attemptsLeft: null, lockedUntil: null },
    photo: null,
  });
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
  await page.getByTestId('tamper-clear-notice').filter({ hasText: 'PIN tidak diterima' }).waitFor();
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

t.test('the discreet staff entry leads to /staff/ only on the screens staff use', async (t) => {
  const entryShown = () => page.getByTestId('staff-entry').count();
  await show({ screen: 'welcome' });
  t.equal(await entryShown(), 1, 'on the welcome screen');
  t.equal(await page.getByTestId('staff-entry').getAttribute('href'), '/staff/');
  t.equal(await page.getByTestId('staff-entry').innerText(), 'Petugas');
  await show({ screen: 'outOfService', reason: 'pausedByStaff' });
  t.equal(await entryShown(), 1, 'out of service');
  await show({
    screen: 'staffAssist',
    step: 'callStaff',
    why: 'taxpayerChoice',
    pinRejected: false,
    helpNeeded: true,
    staffPin: NO_PIN_LIMIT,
    photo: null,
  });
  t.equal(await entryShown(), 1, 'while a taxpayer waits for staff');
  await show({ screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 1, feedback: null });
  t.equal(await entryShown(), 0, 'not while a taxpayer is mid-session');
  await show({ screen: 'validating' });
  t.equal(await entryShown(), 0);
});

t.test('no script errors on the page', async (t) => {
  t.same(pageErrors, []);
});
