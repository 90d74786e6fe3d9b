/**
 * Spoken prompts: the pack holds a file for every prompt in both languages (and the three sounds)
 * with a pause between a prompt's parts; every state and every feedback of the screen says
 * something of its own; and the page, in Chromium, says it: the right files, in order, in the
 * chosen language, at the chosen volume, silent when muted, and again when a refusal repeats.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildPromptPack } from '../../build-prompts.mjs';
import type { KioskView } from '../../device/view/protocol.ts';
import { LOCALES } from '../../ui/i18n.ts';
import { PART_PAUSE_MS, promptCatalogue, promptFile, promptKeysFor, SOUNDS, utterance } from '../../ui/prompts.ts';
import { startUi } from './harness.ts';
import { allViews, type ViewBody } from './views.ts';

const run = promisify(execFile);
const asView = (body: ViewBody, idleWarning: KioskView['idleWarning'] = null): KioskView =>
  ({ ...body, seq: 1, idleWarning, demo: false }) as KioskView;

const pack = await mkdtemp(join(tmpdir(), 'anjungan-pack-'));
t.teardown(() => rm(pack, { recursive: true, force: true }));
await buildPromptPack(pack);

/** The longest stretch of near-silence inside a prompt (leading and trailing silence left out), in ms. */
async function longestInnerPauseMs(file: string): Promise<number> {
  const wav = join(pack, `${file}.wav`);
  await run('opusdec', ['--quiet', join(pack, 'prompts', file), wav]);
  const bytes = await readFile(wav);
  const rate = bytes.readUInt32LE(24);
  let at = 12;
  while (bytes.toString('latin1', at, at + 4) !== 'data') at += 8 + bytes.readUInt32LE(at + 4);
  const samples = new Int16Array(
    bytes.buffer.slice(bytes.byteOffset + at + 8, bytes.byteOffset + at + 8 + (bytes.readUInt32LE(at + 4) & ~1)),
  );
  const loud = (s: number) => Math.abs(s) >= 300;
  const first = samples.findIndex(loud);
  let last = samples.length - 1;
  while (last > first && !loud(samples[last]!)) last--;
  let best = 0;
  let quiet = 0;
  for (let i = first; i <= last; i++) {
    quiet = loud(samples[i]!) ? 0 : quiet + 1;
    best = Math.max(best, quiet);
  }
  return (best / rate) * 1000;
}

t.test('the prompt pack has a spoken file for every prompt in both languages, listed with its parts, and the sounds', async (t) => {
  const catalogue = promptCatalogue();
  t.ok(catalogue.length >= 80, `${catalogue.length} prompts`);
  const index = JSON.parse(await readFile(join(pack, 'prompts', 'index.json'), 'utf8')) as {
    file: string;
    text?: string;
    parts?: string[];
  }[];
  for (const prompt of catalogue) {
    for (const locale of LOCALES) {
      const file = promptFile(prompt.key, locale);
      const bytes = await readFile(join(pack, 'prompts', file));
      t.equal(bytes.subarray(0, 4).toString('latin1'), 'OggS', `${file} is an Ogg Opus file`);
      t.ok(bytes.length > 1500, `${file} holds speech (${bytes.length} bytes)`);
      t.same(index.find((e) => e.file === file)?.parts, prompt.parts[locale], `${file} is listed with its parts for a technician`);
    }
  }
  for (const file of Object.values(SOUNDS)) {
    t.equal((await readFile(join(pack, 'prompts', file))).subarray(0, 4).toString('latin1'), 'RIFF', `${file} is a WAV sound`);
  }
});

t.test('a pause separates title and instruction; a sentence break alone is shorter', async (t) => {
  for (const locale of LOCALES) {
    const twoParts = await longestInnerPauseMs(promptFile('welcome', locale));
    t.ok(twoParts >= PART_PAUSE_MS * 0.9, `welcome.${locale}: ${Math.round(twoParts)} ms between title and instruction`);
    // One part of two sentences: only espeak's own sentence pause.
    const onePart = await longestInnerPauseMs(promptFile('finger-feedback-noMatch', locale));
    t.ok(onePart < PART_PAUSE_MS * 0.9, `finger-feedback-noMatch.${locale}: ${Math.round(onePart)} ms at its sentence break`);
  }
});

t.test('every state and every feedback of the screen says something, from the pack, of its own', async (t) => {
  const keys = new Set(promptCatalogue().map((p) => p.key));
  const said = new Map<string, string>();
  const views: [string, KioskView][] = allViews().map((v) => [v.name, asView(v.view)]);
  // Each finger attempt after the first, with each feedback.
  for (const attempt of [2, 3, 4]) {
    for (const feedback of ['noMatch', 'pressLonger', 'cleanFinger', 'placeCentered', 'otherFinger'] as const) {
      views.push([
        `attempt ${attempt} ${feedback}`,
        asView({ screen: 'awaitingFinger', attempt, maxAttempts: 4, fingerPosition: 2, feedback }),
      ]);
    }
  }
  for (const [name, view] of views) {
    const list = promptKeysFor(view);
    t.ok(list.length > 0 && list.every((k) => keys.has(k)), `${name}: ${list.join(' + ')}`);
    if (!name.startsWith('outOfService') || name === 'outOfService-starting') said.set(name, list.join(' + '));
  }
  // Screens that differ for the taxpayer say different things.
  const distinct = (names: string[]) => t.equal(new Set(names.map((n) => said.get(n))).size, names.length, names.join(', '));
  distinct(['attempt 2 noMatch', 'attempt 3 noMatch', 'attempt 4 noMatch']);
  distinct(['attempt 2 noMatch', 'attempt 2 pressLonger', 'attempt 2 cleanFinger', 'attempt 2 placeCentered', 'attempt 2 otherFinger']);
  distinct(['result-verified', 'result-dataDiffers', 'result-notFound', 'result-deceased', 'result-inactive', 'result-duplicateRecords']);
  distinct(['returnData', 'returnData-nopFormat', 'returnData-npwpdFormat', 'returnData-nothingEntered']);
  distinct(['finished-completed', 'finished-cancelled', 'finished-returnDataSaved', 'finished-cardTaken']);
  distinct(['staffAssist-fingerNotMatched', 'staffAssist-pinRejected', 'staffAssist-readingRecord', 'staffAssist-compareFace']);
  t.same(promptKeysFor(asView({ screen: 'awaitingFinger', attempt: 2, maxAttempts: 4, fingerPosition: 2, feedback: 'noMatch' })), [
    'finger-feedback-noMatch',
    'finger-attempt-2-of-4',
  ]);
  // A change of finger names the finger now asked for, each finger its own prompt, in both languages.
  const otherFinger = (fingerPosition: number) =>
    promptKeysFor(asView({ screen: 'awaitingFinger', attempt: 3, maxAttempts: 4, fingerPosition, feedback: 'otherFinger' }));
  t.same(otherFinger(7), ['finger-other-7', 'finger-attempt-3-of-4']);
  t.equal(new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((f) => otherFinger(f)[0])).size, 10, 'ten fingers, ten prompts');
  const parts = promptCatalogue().find((p) => p.key === 'finger-other-7')!.parts;
  t.same(parts, { id: ['Sekarang ganti ke telunjuk kiri Anda.'], en: ['Now switch to your left index finger.'] });
  // A refusal repeated is news; a progress step is not.
  const nop = (submissions: number) => utterance(asView({ screen: 'returnData', error: 'nopFormat', submissions })).id;
  t.not(nop(1), nop(2), 'the same wrong NOP submitted again is said again');
  const reading = (progress: number) => utterance(asView({ screen: 'readingCard', phase: 'templates', progress })).id;
  t.equal(reading(0.2), reading(0.6), 'the progress bar moving is not said again');
});

t.test('the page says each screen in order, in the chosen language; sounds come first', async (t) => {
  const ui = await startUi();
  t.teardown(() => ui.close());
  const { page, show, kiosk } = ui;
  const speech = page.getByTestId('speech');
  /** Shows a view and waits until the page has fetched and played these files, in this order. */
  async function expectSaid(files: string[], what: string, show: () => Promise<void>): Promise<void> {
    kiosk.promptRequests.length = 0;
    await show();
    for (const file of files) {
      await page
        .waitForFunction(
          `(() => { const a = document.querySelector('anj-app').shadowRoot.querySelector('[data-testid="speech"]'); return a.dataset.file === '${file}' && a.readyState >= 2 && (a.currentTime > 0 || a.ended); })()`,
          undefined,
          { timeout: 20_000 },
        )
        .catch(() => {
          throw new Error(`${what}: ${file} was not played (fetched: ${kiosk.promptRequests.join(', ')})`);
        });
    }
    const order = files.map((f) => kiosk.promptRequests.indexOf(f));
    t.ok(
      order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!)),
      `${what}: ${files.join(' → ')}`,
      { fetched: kiosk.promptRequests },
    );
  }
  const finger = (attempt: number, feedback: 'noMatch' | 'cleanFinger' | 'otherFinger' | null) =>
    show({ screen: 'awaitingFinger', attempt, maxAttempts: 4, fingerPosition: 7, feedback });
  await expectSaid(['reading-card-templates.id.opus'], 'reading the card', () =>
    show({ screen: 'readingCard', phase: 'templates', progress: 0.2 }),
  );
  await expectSaid(['finger-7.id.opus'], 'the first finger prompt', () => finger(1, null));
  await expectSaid(['finger-feedback-noMatch.id.opus', 'finger-attempt-2-of-4.id.opus'], 'attempt 2', () => finger(2, 'noMatch'));
  await expectSaid(['finger-feedback-cleanFinger.id.opus', 'finger-attempt-3-of-4.id.opus'], 'attempt 3, a capture hint', () =>
    finger(3, 'cleanFinger'),
  );
  await expectSaid(['finger-other-7.id.opus', 'finger-attempt-3-of-4.id.opus'], 'attempt 3 asks for the other finger', () =>
    finger(3, 'otherFinger'),
  );
  await expectSaid([SOUNDS.timeoutWarning, 'idle-warning.id.opus'], 'the idle warning', () =>
    show(
      { screen: 'awaitingFinger', attempt: 3, maxAttempts: 4, fingerPosition: 7, feedback: 'cleanFinger' },
      { idleWarning: { secondsLeft: 20 } },
    ),
  );
  await expectSaid(['result-dataDiffers.id.opus'], 'the result', () =>
    show({ screen: 'result', outcome: 'dataDiffers', fields: [], compared: true, canLinkReturnData: true }),
  );
  await expectSaid(['return-data.id.opus'], 'the NOP/NPWPD form', () => show({ screen: 'returnData', error: null, submissions: 0 }));
  await expectSaid(['return-data-error-nopFormat.id.opus'], 'a wrong NOP', () =>
    show({ screen: 'returnData', error: 'nopFormat', submissions: 1 }),
  );
  await expectSaid(['return-data-error-nopFormat.id.opus'], 'the same wrong NOP again', () =>
    show({ screen: 'returnData', error: 'nopFormat', submissions: 2 }),
  );
  await expectSaid([SOUNDS.cardTaken, 'finished-cardTaken.id.opus'], 'the card taken', () =>
    show({ screen: 'finished', why: 'cardTaken' }),
  );
  const failure = {
    screen: 'failed' as const,
    reason: 'cardUnreadable' as const,
    state: 'readingTemplates',
    retriable: true,
    cardInReader: true,
    detail: null,
    staffMessage: { id: 'x', en: 'x' },
  };
  await expectSaid([SOUNDS.error, 'failed-cardUnreadable.id.opus', 'failed-next-retry-card-in.id.opus'], 'a failure and the way on', () =>
    show(failure),
  );
  await expectSaid(['validating.id.opus'], 'validating', () => show({ screen: 'validating' }));
  await expectSaid(['validating.en.opus'], 'after switching to English', () => page.getByTestId('language').click());
  await page.getByTestId('language').click();

  const volumeOf = () => speech.evaluate((a) => (a as HTMLAudioElement).volume);
  t.equal(await volumeOf(), 1, 'full volume by default');
  await page.getByTestId('volume').click();
  await page.waitForFunction(`document.querySelector('anj-app').shadowRoot.querySelector('[data-testid="speech"]').volume < 0.5`);
  t.ok((await volumeOf()) < 0.5, 'the volume button steps to the quietest level first');
  await page.getByTestId('mute').click();
  t.equal(await speech.evaluate((a) => (a as HTMLAudioElement).paused), true, 'mute stops the prompt');
  await show({ screen: 'returnData', error: null, submissions: 0 });
  await page.waitForTimeout(500);
  t.equal(await speech.evaluate((a) => (a as HTMLAudioElement).paused), true, 'and the next screen stays silent');
  await show({ screen: 'welcome' });
  t.equal(await page.getByTestId('mute').getAttribute('aria-pressed'), 'false', 'sound is back on for the next person');
  t.same(ui.pageErrors, []);
});
