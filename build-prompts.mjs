// Builds the spoken-prompt pack: every prompt of ui/prompts.ts in Bahasa Indonesia and English,
// spoken by espeak-ng (its parts separated by a pause, through SSML) and encoded with opusenc,
// plus three short sounds. Each file is cached by the hash of its voice and text (a rebuild
// speaks only what changed). The pack is `<outDir>/prompts/`, with index.json listing every file
// with its parts, for a technician who records a voice to replace it (docs/speech.md).
import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, copyFile, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const VOICES = { id: ['-v', 'id', '-s', '145', '-m'], en: ['-v', 'en', '-s', '150', '-m'] };

const escapeSsml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function cacheDir() {
  if (process.env.ANJUNGAN_CACHE_DIR) return process.env.ANJUNGAN_CACHE_DIR;
  return process.getuid?.() === 0 ? '/var/cache/anjungan' : join(homedir(), '.cache', 'anjungan');
}

async function exists(path) {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The catalogue is TypeScript shared with the page: bundle it for Node, then import it. */
async function loadCatalogue() {
  const dir = await mkdtemp(join(tmpdir(), 'anjungan-prompts-'));
  try {
    const outfile = join(dir, 'prompts.mjs');
    await build({ entryPoints: ['ui/prompts.ts'], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' });
    return await import(outfile);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A 16-bit mono WAV of sine tones: [frequency Hz, duration ms] pairs, 0 Hz for a pause. */
function tones(parts, rate = 22050) {
  const samples = [];
  for (const [hz, ms] of parts) {
    const n = Math.round((rate * ms) / 1000);
    for (let i = 0; i < n; i++) {
      const fade = Math.min(1, i / 200, (n - i) / 200);
      samples.push(hz === 0 ? 0 : Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 12000 * fade));
    }
  }
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVEfmt ', 8);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20);
  head.writeUInt16LE(1, 22);
  head.writeUInt32LE(rate, 24);
  head.writeUInt32LE(rate * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
}

const SOUND_TONES = {
  timeoutWarning: [
    [880, 160],
    [0, 90],
    [880, 160],
    [0, 90],
    [880, 160],
  ],
  cardTaken: [
    [660, 120],
    [990, 220],
  ],
  error: [
    [330, 260],
    [0, 60],
    [247, 360],
  ],
};

export async function buildPromptPack(outDir) {
  const { promptCatalogue, promptFile, SOUNDS, PART_PAUSE_MS } = await loadCatalogue();
  const packDir = join(outDir, 'prompts');
  const cache = join(cacheDir(), 'prompts');
  await rm(packDir, { recursive: true, force: true });
  await mkdir(packDir, { recursive: true });
  await mkdir(cache, { recursive: true });
  const index = [];
  let spoken = 0;
  for (const prompt of promptCatalogue()) {
    for (const [locale, voice] of Object.entries(VOICES)) {
      const parts = prompt.parts[locale];
      const ssml = parts.map(escapeSsml).join(`<break time="${PART_PAUSE_MS}ms"/>`);
      const hash = createHash('sha256')
        .update(JSON.stringify([voice, ssml]))
        .digest('hex')
        .slice(0, 24);
      const cached = join(cache, `${hash}.opus`);
      if (!(await exists(cached))) {
        // espeak-ng writes a 22 kHz WAV; Opus at 24 kbit/s keeps speech clear at a tenth of the size.
        await run('espeak-ng', [...voice, '-w', `${cached}.wav`, '--', ssml]);
        await run('opusenc', ['--quiet', '--bitrate', '24', `${cached}.wav`, `${cached}.tmp`]);
        await rm(`${cached}.wav`);
        await rename(`${cached}.tmp`, cached);
        spoken += 1;
      }
      const file = promptFile(prompt.key, locale);
      await copyFile(cached, join(packDir, file));
      index.push({ file, key: prompt.key, locale, text: parts.join(' '), parts });
    }
  }
  for (const [sound, file] of Object.entries(SOUNDS)) {
    await writeFile(join(packDir, file), tones(SOUND_TONES[sound]));
    index.push({ file, sound });
  }
  await writeFile(join(packDir, 'index.json'), JSON.stringify(index, null, 1));
  return { files: index.length, spoken };
}
