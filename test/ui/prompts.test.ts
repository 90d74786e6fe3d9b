/**
 * Spoken prompts: the pack holds a file for every prompt in both languages (and the three
 * sounds), and the page, in Chromium, starts the right file on each screen, in the chosen
 * language, at the chosen volume, and stays silent when muted.
 */
import t from 'tap';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPromptPack } from '../../build-prompts.mjs';
import { LOCALES } from '../../ui/i18n.ts';
import { promptCatalogue, promptFile, SOUNDS } from '../../ui/prompts.ts';
import { startUi, type Shown } from './harness.ts';

t.test('the prompt pack has a spoken file for every prompt in both languages, and the sounds', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'anjungan-pack-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await buildPromptPack(dir);
  const catalogue = promptCatalogue();
  t.ok(catalogue.length >= 60, `${catalogue.length} prompts`);
  const index = JSON.parse(await readFile(join(dir, 'prompts', 'index.json'), 'utf8')) as { file: string; text?: string }[];
  for (const prompt of catalogue) {
    for (const locale of LOCALES) {
      const file = promptFile(prompt.key, locale);
      const bytes = await readFile(join(dir, 'prompts', file));
      t.equal(bytes.subarray(0, 4).toString('latin1'), 'OggS', `${file} is an Ogg Opus file`);
      t.ok(bytes.length > 2000, `${file} holds speech (${bytes.length} bytes)`);
      t.equal(index.find((e) => e.file === file)?.text, prompt.text[locale], `${file} is listed with its text for a technician`);
    }
  }
  for (const file of Object.values(SOUNDS)) {
    t.equal((await readFile(join(dir, 'prompts', file))).subarray(0, 4).toString('latin1'), 'RIFF', `${file} is a WAV sound`);
  }
});

t.test('the page plays the prompt of each screen, in the chosen language; sounds for warning, card taken and error', async (t) => {
  const ui = await startUi();
  t.teardown(() => ui.close());
  const { page, show, kiosk } = ui;
  const audio = (id: string) => page.getByTestId(id);
  async function expectPlaying(testId: string, file: string, what: string): Promise<void> {
    const state = `(() => { const a = document.querySelector('anj-app').shadowRoot.querySelector('[data-testid="${testId}"]'); return [a.src, a.paused, a.ended, a.error && a.error.code].join(' '); })()`;
    await page.waitForFunction(
      `(() => { const a = document.querySelector('anj-app').shadowRoot.querySelector('[data-testid="${testId}"]'); return a.src.endsWith('/prompts/${file}') && (!a.paused || a.ended); })()`,
      undefined,
      { timeout: 10_000 },
    ).catch(async (e) => {
      throw new Error(`${what}: ${String(await page.evaluate(state))}: ${(e as Error).message}`);
    });
    t.ok(kiosk.promptRequests.includes(file), `${what}: ${file} was fetched and is playing`);
  }
  const views: { key: string; args: Shown }[] = [
    { key: 'reading-card-templates', args: [{ screen: 'readingCard', phase: 'templates', progress: 0.2 }] },
    { key: 'finger-7', args: [{ screen: 'awaitingFinger', attempt: 1, maxAttempts: 4, fingerPosition: 7, feedback: null }] },
    { key: 'staff-call-fingerNotMatched', args: [{ screen: 'staffAssist', step: 'callStaff', why: 'fingerNotMatched', pinRejected: false, helpNeeded: true, staffPin: { attemptsLeft: null, lockedUntil: null }, photo: null }] },
    { key: 'validating', args: [{ screen: 'validating' }] },
    { key: 'result-notFound', args: [{ screen: 'result', outcome: 'notFound', fields: [], compared: false, canLinkReturnData: false }] },
    { key: 'return-data', args: [{ screen: 'returnData', error: null }] },
    { key: 'finished-completed', args: [{ screen: 'finished', why: 'completed' }] },
    { key: 'welcome', args: [{ screen: 'welcome' }] },
    { key: 'starting', args: [{ screen: 'outOfService', reason: 'starting' }] },
    { key: 'out-of-service-quotaReached', args: [{ screen: 'outOfService', reason: 'quotaReached' }] },
  ];
  for (const v of views) {
    await show(...v.args);
    await expectPlaying('prompt-audio', promptFile(v.key, 'id'), v.key);
  }
  await show({ screen: 'validating' });
  await page.getByTestId('language').click();
  await expectPlaying('prompt-audio', promptFile('validating', 'en'), 'after switching to English');
  await page.getByTestId('language').click();

  await show({ screen: 'validating' }, { idleWarning: { secondsLeft: 20 } });
  await expectPlaying('sound-audio', SOUNDS.timeoutWarning, 'the idle warning');
  await show({ screen: 'failed', reason: 'cardUnreadable', state: 'readingTemplates', retriable: true, detail: null, staffMessage: { id: 'Pesan untuk petugas', en: 'Message for staff' } });
  await expectPlaying('sound-audio', SOUNDS.error, 'an error');
  await expectPlaying('prompt-audio', promptFile('failed-cardUnreadable-retry', 'id'), 'the failure');
  await show({ screen: 'result', outcome: 'notFound', fields: [], compared: false, canLinkReturnData: false });
  await show({ screen: 'finished', why: 'cardTaken' });
  await expectPlaying('sound-audio', SOUNDS.cardTaken, 'a card taken at the end');

  await show({ screen: 'validating' });
  const volumeOf = () => audio('prompt-audio').evaluate((a) => (a as HTMLAudioElement).volume);
  t.equal(await volumeOf(), 1, 'full volume by default');
  await page.getByTestId('volume').click();
  await page.waitForFunction(`document.querySelector('anj-app').shadowRoot.querySelector('[data-testid="prompt-audio"]').volume < 0.5`);
  t.ok((await volumeOf()) < 0.5, 'the volume button steps to the quietest level first');
  await page.getByTestId('mute').click();
  t.equal(await audio('prompt-audio').evaluate((a) => (a as HTMLAudioElement).paused), true, 'mute stops the prompt');
  await show({ screen: 'returnData', error: null });
  await page.waitForTimeout(500);
  t.equal(await audio('prompt-audio').evaluate((a) => (a as HTMLAudioElement).paused), true, 'and the next screen stays silent');
  await show({ screen: 'welcome' });
  t.equal(await page.getByTestId('mute').getAttribute('aria-pressed'), 'false', 'sound is back on for the next person');
  t.same(ui.pageErrors, []);
});
