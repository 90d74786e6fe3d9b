/**
 * The taxpayer's experience, second round (issue 13), in Debian's Chromium against the stand-in
 * daemon: each finding of the walk-through as a behaviour the taxpayer would notice.
 */
import t, { type Test } from 'tap';
import { readFile } from 'node:fs/promises';
import { VIEWPORTS } from './browser.ts';
import { startUi } from './harness.ts';
import { turnToRow } from './layout.ts';

const ui = await startUi();
const { kiosk, page, show, eventually, screenText } = ui;
t.teardown(() => ui.close());

const field = (key: string, card: string, registry: string | null, agrees: boolean, label = key) => ({
  key,
  label: { id: label, en: label },
  card,
  registry,
  agrees,
});
const NINE = [
  field('nik', '3313115507920003', '3313115507920003', true, 'NIK'),
  field('nomorKk', '3313110101090007', '3313110101090007', true, 'No KK'),
  field('namaLengkap', 'RATNA KUSUMA LESTYANI', 'RATNA KUSUMA LESTYANI', true),
  field('tempatLahir', 'KARANGANYAR', 'KARANGANYAR', true),
  field('tanggalLahir', '15-07-1992', '15-07-1992', true),
  field('jenisKelamin', 'PEREMPUAN', 'PEREMPUAN', true),
  field('jenisPekerjaan', 'GURU', 'GURU', true),
  field('statusPerkawinan', 'KAWIN', 'KAWIN', true),
  field(
    'alamat',
    'JL. MELATI PUTIH NO. 4 RT 001/RW 002, JATEN, JATEN, KARANGANYAR, JAWA TENGAH',
    'PERUM GRIYA ASRI BLOK C NO. 8 RT 006/RW 011, NGRINGO',
    false,
  ),
];
const turnTo = (key: string) => turnToRow(page, key);
const callStaff = (staffPin = { attemptsLeft: null as number | null, lockedUntil: null as number | null }, pinRejected = false) =>
  show({ screen: 'staffAssist', step: 'callStaff', why: 'fingerNotMatched', pinRejected, helpNeeded: true, staffPin, photo: null });

t.beforeEach(async () => {
  await page.setViewportSize(VIEWPORTS.small);
});

t.test('1. taking the card after the result is a thanked ending, not an error', async (t) => {
  await show({ screen: 'result', outcome: 'verified', fields: NINE as never, compared: true, canLinkReturnData: true });
  await show({ screen: 'finished', why: 'cardTaken' });
  t.equal(await page.getByTestId('finished-title').innerText(), 'Terima kasih');
  t.notMatch(await screenText('finished'), /Kartu terangkat|Coba lagi|dibatalkan/);
});

t.test('2. when the registry returned nothing, nothing is marked as differing and there is no registry column', async (t) => {
  await show({
    screen: 'result',
    outcome: 'notFound',
    fields: NINE.map((f) => ({ ...f, registry: null, agrees: null })) as never,
    compared: false,
    canLinkReturnData: false,
  });
  const text = await screenText('result');
  t.notMatch(text, /Berbeda|Sesuai/, 'no agree/differ marks');
  t.notMatch(text, /Dukcapil\n/, 'no registry column header');
  t.equal(await page.locator('[data-screen="result"] thead th').count(), 2);
  t.equal(await page.getByTestId('registry-value').count(), 0);
  t.match(await page.getByTestId('not-compared').innerText(), /data pada KTP-el Anda/);
  t.equal(await page.locator('[data-agrees="unknown"]').count(), 9, 'every row is marked unknown');
});

t.test(
  "3. the result table comes in pages of whole rows, the differing row's page first, with buttons that say where the taxpayer is",
  async (t) => {
    await show({ screen: 'result', outcome: 'dataDiffers', fields: NINE as never, compared: true, canLinkReturnData: true });
    const table = page.locator('[data-screen="result"] .table-wrap');
    t.equal(await table.getAttribute('role'), 'region');
    t.equal(await table.evaluate((el) => getComputedStyle(el).overflowY), 'hidden', 'the table does not scroll: it pages');
    const rowsOnPage = () => page.locator('[data-screen="result"] tbody tr:visible');
    const wholeInTable = async () => {
      const wrap = (await table.boundingBox())!;
      for (const row of await rowsOnPage().all()) {
        const b = (await row.boundingBox())!;
        if (b.y < wrap.y - 1 || b.y + b.height > wrap.y + wrap.height + 1) return false;
      }
      return true;
    };
    for (const largeText of [false, true]) {
      if ((await page.getByTestId('large-text').getAttribute('aria-pressed')) !== String(largeText))
        await page.getByTestId('large-text').click();
      const label = largeText ? 'large text' : 'normal text';
      await page.getByTestId('pager').waitFor();
      const [at, of] = (await page.getByTestId('page-at').innerText()).split('/').map(Number);
      t.ok(of! > 1, `${label}: the nine rows take ${of} pages`);
      t.equal(at, of, `${label}: the page with the differing row (the last) is shown first`);
      t.ok(await page.getByTestId('field-alamat').isVisible(), `${label}: the differing row is in sight`);
      t.ok(await wholeInTable(), `${label}: every row on the page is whole`);
      t.ok(await page.getByTestId('page-next').isDisabled(), `${label}: no page after the last`);
      await page.getByTestId('page-previous').click();
      t.equal(await page.getByTestId('page-at').innerText(), `${at! - 1}/${of}`, `${label}: "Sebelumnya" turns back a page`);
      t.notOk(await page.getByTestId('field-alamat').isVisible(), `${label}: the rows of the page before replace it`);
      t.ok(await wholeInTable(), `${label}: and are whole too`);
      t.equal(
        await page.getByTestId('page-at').getAttribute('aria-label'),
        `Halaman ${at! - 1} dari ${of}`,
        `${label}: the page is named in words for a screen reader`,
      );
      const seen = new Set<string>();
      while (await page.getByTestId('page-previous').isEnabled()) await page.getByTestId('page-previous').click();
      for (let p = 1; p <= of!; p++) {
        if (p > 1) await page.getByTestId('page-next').click();
        for (const row of await rowsOnPage().all()) seen.add((await row.getAttribute('data-testid'))!);
      }
      t.equal(seen.size, NINE.length, `${label}: turning through the pages shows each of the nine rows`);
    }
    await page.getByTestId('large-text').click();
  },
);

t.test('4. keypad presses, touches and turning a page count as activity; a pending staff call says help is coming', async (t) => {
  await show({ screen: 'returnData', error: null, submissions: 0 });
  await page.waitForTimeout(2100); // the page reports activity at most every 2 s
  kiosk.intents.length = 0;
  await page.getByTestId('key-3').click();
  await eventually(() => kiosk.intents.some((i) => i.type === 'activity'), 'an activity report from a keypad press');
  await show({ screen: 'result', outcome: 'dataDiffers', fields: NINE as never, compared: true, canLinkReturnData: true });
  await page.waitForTimeout(2100);
  kiosk.intents.length = 0;
  await page.getByTestId('page-previous').click();
  await eventually(() => kiosk.intents.some((i) => i.type === 'activity'), 'an activity report from turning a page');
  await callStaff();
  t.match(await page.getByTestId('help-needed').innerText(), /Sesi tidak berakhir selama Anda menunggu/);
  await show({ screen: 'welcome' });
  await page.waitForTimeout(2100);
  kiosk.intents.length = 0;
  await page.mouse.click(10, 300);
  await page.waitForTimeout(300);
  t.same(kiosk.intents, [], 'no activity is reported outside a session');
});

t.test('5. the staff PIN pad waits behind "Petugas"; attempts left and a lockout are shown', async (t) => {
  await callStaff({ attemptsLeft: 3, lockedUntil: null });
  t.equal(await page.getByTestId('pin-key-1').count(), 0, 'no PIN pad in front of the taxpayer');
  await page.getByTestId('staff-pad-open').click();
  t.equal(await page.getByTestId('pin-key-1').count(), 1);
  t.match(await page.getByTestId('pin-attempts-left').innerText(), /Sisa 3 kali/);
  await callStaff({ attemptsLeft: 2, lockedUntil: null }, true);
  t.match(await page.getByTestId('pin-rejected').innerText(), /PIN tidak diterima/);
  t.match(await page.getByTestId('pin-attempts-left').innerText(), /Sisa 2 kali/);
  const until = Date.UTC(2030, 0, 2, 3, 45); // 10:45 WIB
  await callStaff({ attemptsLeft: 0, lockedUntil: until }, true);
  t.match(await page.getByTestId('pin-locked').innerText(), /terkunci sampai pukul 10:45/);
  t.equal(await page.getByTestId('pin-rejected').count(), 0, 'a lockout is not reported as a wrong PIN');
  t.equal(await page.getByTestId('pin-key-1').count(), 0, 'no pad while locked');
  t.ok(await page.getByTestId('staff-pad-open').isDisabled());
});

t.test('6. the failure screen: the next step is an instruction, not a fake button', async (t) => {
  await show({
    screen: 'failed',
    reason: 'signatureInvalid',
    state: 'readingRecord',
    retriable: false,
    cardInReader: true,
    detail: null,
    staffMessage: { id: 'Pesan untuk petugas', en: 'Message for staff' },
  });
  const next = await page.getByTestId('take-card').evaluate((el) => {
    const s = getComputedStyle(el);
    return { border: s.borderTopStyle, radius: s.borderTopLeftRadius, cursor: s.cursor };
  });
  t.same(next, { border: 'none', radius: '0px', cursor: 'default' });
  t.equal(await page.getByTestId('failure-code').count(), 0, 'no staff code line: that detail goes to the dashboard and the audit');
});

t.test('7. NOP/NPWPD entry: examples visible, a digit counter, no dead keys, errors that clear, clear labels', async (t) => {
  await show({ screen: 'returnData', error: null, submissions: 0 });
  t.ok(await page.getByText('contoh 33.13.010.001.001-0001.0').isVisible(), 'the NOP example shows at 800×480');
  t.match(await page.getByTestId('nop-count').innerText(), /^0 dari 18 angka$/);
  await page.getByTestId('nop-input').click();
  t.equal(await page.getByTestId('key-.').count(), 0, 'no "." key for the NOP, whose separators come by themselves');
  t.equal(await page.getByTestId('key--').count(), 0, 'no "-" key for the NOP');
  for (const d of '3313') await page.getByTestId(`key-${d}`).click();
  t.match(await page.getByTestId('nop-count').innerText(), /^4 dari 18 angka$/);
  t.match(await page.getByTestId('kept-for').innerText(), /Tidak wajib\. Nomor ini dikirim ke Disdukcapil bersama NIK Anda/);
  t.notMatch(
    await screenText('returnData'),
    /tersegel|data balikan|Tautkan|disimpan/i,
    'no jargon, and nothing that contradicts "deleted" on the welcome screen',
  );
  t.equal(await page.getByTestId('cancel').count(), 0, 'no "Batal" that would call a verified session cancelled');
  t.match(await page.getByTestId('skip-return-data').innerText(), /^Lewati$/);
  await show({ screen: 'returnData', error: 'npwpdFormat', submissions: 1 });
  t.match(await page.getByTestId('return-data-error').innerText(), /Samakan NPWPD dengan kartu NPWPD Anda/);
  await page.getByTestId('key-1').click();
  await page.getByTestId('return-data-error').waitFor({ state: 'detached' });
  t.pass('the error goes once the input changes');
});

t.test('8. dates read as on the KTP-el (derivation covered in test/view/derive.test.ts)', async (t) => {
  await show({ screen: 'result', outcome: 'verified', fields: NINE as never, compared: true, canLinkReturnData: true });
  await turnTo('tanggalLahir');
  t.match(await page.getByTestId('field-tanggalLahir').getByTestId('card-value').innerText(), /^15-07-1992$/);
});

t.test('9. starting up is a wait, not a refusal', async (t) => {
  await show({ screen: 'outOfService', reason: 'starting' });
  t.equal(await page.getByTestId('no-entry-sign').count(), 0, 'no red no-entry sign');
  t.notMatch(await screenText('outOfService'), /loket|tidak melayani/);
  t.match(await screenText('outOfService'), /disiapkan/);
  await show({ screen: 'outOfService', reason: 'quotaReached' });
  t.equal(await page.getByTestId('no-entry-sign').count(), 1, 'a real refusal keeps its sign');
});

t.test('10. NIK and No KK are partly masked, shown in full only while held', async (t) => {
  await show({ screen: 'result', outcome: 'verified', fields: NINE as never, compared: true, canLinkReturnData: true });
  const nik = page.getByTestId('field-nik').getByTestId('card-value');
  t.notMatch(await screenText('result'), /3313115507920003|3313110101090007/, 'neither number in full');
  await turnTo('nik');
  t.match(await nik.innerText(), /^331311••••••0003/);
  const reveal = page.getByTestId('reveal-nik');
  const box = (await reveal.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  t.match(await nik.innerText(), /^3313115507920003/, 'shown while held');
  await page.mouse.up();
  t.match(await nik.innerText(), /^331311••••••0003/, 'hidden again when released');
});

t.test('11. portrait: the settings and language are within reach at the bottom, content starts high', async (t) => {
  await page.setViewportSize(VIEWPORTS.portrait);
  await show({ screen: 'result', outcome: 'verified', fields: NINE as never, compared: true, canLinkReturnData: true });
  const lang = (await page.getByTestId('language').boundingBox())!;
  t.ok(lang.y > VIEWPORTS.portrait.height * 0.8, `language button at y=${Math.round(lang.y)}, in the bottom fifth`);
  const title = (await page.locator('[data-screen="result"] h1').boundingBox())!;
  t.ok(title.y < VIEWPORTS.portrait.height / 3, 'the result starts in the top third');
  const finish = (await page.getByTestId('finish').boundingBox())!;
  t.ok(
    finish.y < VIEWPORTS.portrait.height * 0.7,
    `the result's buttons follow the table (y=${Math.round(finish.y)}), not at the bottom edge`,
  );
  await show({ screen: 'validating' });
  const h1 = (await page.locator('[data-screen="validating"] h1').boundingBox())!;
  t.ok(h1.y < VIEWPORTS.portrait.height / 3, 'a short screen starts in the top third, not the middle');
});

t.test(
  '12. accessibility: zoom allowed, screen changes announced and focused, finger named, rings visible, text large enough',
  async (t) => {
    const html = await readFile('ui/index.html', 'utf8');
    t.notMatch(html, /user-scalable=no/);
    await show({ screen: 'validating' });
    await show({ screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 7, feedback: null });
    await page.waitForFunction(
      `document.querySelector('anj-app').shadowRoot.querySelector('[data-testid=announcement]').textContent.includes('telunjuk kiri')`,
    );
    const focused = await page.evaluate(
      `(() => { const s = document.querySelector('anj-app').shadowRoot.querySelector('[data-screen]'); return s.shadowRoot.activeElement && s.shadowRoot.activeElement.tagName; })()`,
    );
    t.equal(focused, 'H1', 'focus moves to the new screen heading');
    t.match(await page.getByRole('img').first().getAttribute('aria-label'), /telunjuk kiri/, 'the picture names the finger');
    t.equal(
      await page.locator('rect.target').evaluate((el) => getComputedStyle(el).fill.startsWith('url(')),
      true,
      'the target finger is striped, not only coloured',
    );
    const body = await page.getByTestId('finger-attempt').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    t.ok(body >= 20, `body text ${body} px ≥ 20 px at 800×480`);
    await show({ screen: 'returnData', error: null, submissions: 0 });
    const hint = await page.locator('#nop-hint').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    t.ok(hint >= 16, `hints ${hint} px ≥ 16 px`);
    await page.getByTestId('nop-input').click();
    const ring = await page.getByTestId('nop-input').evaluate((el) => getComputedStyle(el).outlineColor);
    t.equal(ring, 'rgb(13, 27, 42)', 'the active field is ringed in dark ink (≥ 3:1 on white)');
  },
);

t.test('reduced motion stops animations', async (t) => {
  const running = `(() => { let n = 0; const visit = (root) => { for (const el of root.querySelectorAll('*')) { if (el.shadowRoot) visit(el.shadowRoot); n += el.getAnimations().filter((a) => a.playState === 'running').length; } }; visit(document); return n; })()`;
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  await show({ screen: 'validating' });
  t.ok(((await page.evaluate(running)) as number) > 0, 'the indeterminate bar moves normally');
  await page.emulateMedia({ reducedMotion: 'reduce' });
  for (const v of [
    { screen: 'welcome' },
    { screen: 'validating' },
    { screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 2, feedback: null },
  ] as const) {
    await show(v as never);
    t.equal(await page.evaluate(running), 0, `${v.screen}: nothing moves`);
  }
  await page.emulateMedia({ reducedMotion: 'no-preference' });
});

t.test('the step bar shows where the taxpayer is on every session screen', async (t) => {
  const current = () => page.locator('[data-testid="step-bar"] li[aria-current="step"]').getAttribute('data-step');
  await show({ screen: 'welcome' });
  t.equal(await page.getByTestId('step-bar').count(), 0, 'not before a session');
  await show({ screen: 'readingCard', phase: 'templates', progress: 0.1 });
  t.equal(await current(), 'card');
  await show({ screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 2, feedback: null });
  t.equal(await current(), 'finger');
  await callStaff();
  t.equal(await current(), 'finger');
  await show({ screen: 'validating' });
  t.equal(await current(), 'check');
  await show({ screen: 'result', outcome: 'verified', fields: NINE as never, compared: true, canLinkReturnData: true });
  t.equal(await current(), 'result');
  t.match(await page.getByTestId('step-bar').innerText(), /Kartu[\s\S]*Sidik jari[\s\S]*Pemeriksaan[\s\S]*Hasil/);
  await show({
    screen: 'failed',
    reason: 'uplinkUnavailable',
    state: 'validating',
    retriable: true,
    cardInReader: true,
    detail: null,
    staffMessage: { id: 'Pesan untuk petugas', en: 'Message for staff' },
  });
  t.equal(await current(), 'check');
});

const settings = () =>
  page.evaluate(
    '[document.documentElement.lang, document.documentElement.dataset.textSize, document.documentElement.dataset.contrast].join(" ")',
  );
async function chooseEverything(t: Test): Promise<void> {
  await page.getByTestId('high-contrast').click();
  await page.getByTestId('large-text').click();
  await page.getByTestId('language').click();
  t.equal(await settings(), 'en large high', 'English, large text and high contrast chosen');
}

t.test('high contrast and large text are one tap away and stay on for the whole session', async (t) => {
  await show({ screen: 'validating' });
  await chooseEverything(t);
  const ink = await page.locator('[data-screen="validating"] h1').evaluate((el) => getComputedStyle(el).color);
  t.equal(ink, 'rgb(0, 0, 0)', 'pure black text');
  await show({ screen: 'result', outcome: 'verified', fields: NINE as never, compared: true, canLinkReturnData: true });
  await show({ screen: 'finished', why: 'completed' });
  t.equal(await settings(), 'en large high', 'kept on the "take your card" screen, for the person still there');
  await show({
    screen: 'failed',
    reason: 'cardUnreadable',
    state: 'readingTemplates',
    retriable: true,
    cardInReader: true,
    detail: null,
    staffMessage: { id: 'x', en: 'x' },
  });
  t.equal(await settings(), 'en large high', 'and on a failure the person can still act on');
});

t.test('settings reset the moment a session ends: card taken, timed out, back at rest', async (t) => {
  await show({ screen: 'welcome' });
  for (const [what, end] of [
    ['the card taken at the end', { screen: 'finished', why: 'cardTaken' }],
    [
      'a session that timed out (nobody there)',
      {
        screen: 'failed',
        reason: 'sessionTimeout',
        state: 'result',
        retriable: true,
        cardInReader: true,
        detail: null,
        staffMessage: { id: 'x', en: 'x' },
      },
    ],
    ['the welcome screen', { screen: 'welcome' }],
    ['out of service', { screen: 'outOfService', reason: 'pausedByStaff' }],
  ] as const) {
    await show({ screen: 'result', outcome: 'verified', fields: NINE as never, compared: true, canLinkReturnData: true });
    await chooseEverything(t);
    await show(end as never);
    t.equal(await settings(), 'id normal normal', `${what}: Bahasa Indonesia, normal text and contrast at once`);
    t.equal(await page.getByTestId('mute').getAttribute('aria-pressed'), 'false');
  }
});

t.test('no script errors on the page', async (t) => {
  t.same(ui.pageErrors, []);
});
