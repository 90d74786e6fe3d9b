/**
 * Secrets (password, IP_USER, PINs) come from the terminal without echo, or from stdin when it
 * is not a terminal (scripts pipe them in, one per line). Never from argv or the environment:
 * both are visible to other processes and end up in shell history and logs.
 */
import type { Readable, Writable } from 'node:stream';
import { badInput } from './errors.ts';

const MAX_SECRET_INPUT = 4096;

export interface SecretSource {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  /** Where prompts go (stderr, so --json output on stdout stays clean). */
  prompt: Writable;
}

export async function readSecrets(src: SecretSource, labels: string[]): Promise<string[]> {
  if (src.stdin.isTTY && src.stdin.setRawMode) {
    const values: string[] = [];
    for (const label of labels) values.push(await readHidden(src, `${label}: `));
    return values;
  }
  const lines = (await readAll(src.stdin)).split(/\r?\n/);
  if (lines.length < labels.length || labels.some((_, i) => lines[i] === '')) {
    throw badInput(`expected ${labels.join(', ')} on stdin, one per line`);
  }
  return lines.slice(0, labels.length);
}

function readAll(stdin: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    stdin.setEncoding('utf8');
    stdin.on('data', (chunk: string) => {
      text += chunk;
      if (text.length > MAX_SECRET_INPUT) {
        stdin.destroy();
        reject(badInput('stdin is too long for a secret'));
      }
    });
    stdin.on('end', () => resolve(text));
    stdin.on('error', reject);
  });
}

function readHidden(src: SecretSource, prompt: string): Promise<string> {
  const stdin = src.stdin;
  // Echo off before the prompt shows: a key typed the moment the prompt appears is not echoed.
  stdin.setRawMode!(true);
  src.prompt.write(prompt);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const done = (err: Error | null) => {
      stdin.off('data', onData);
      stdin.setRawMode!(false);
      stdin.pause();
      src.prompt.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(value === '' ? badInput(`${prompt.trim()} is empty`) : null);
        if (ch === '\u0003') return done(badInput('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (value.length < MAX_SECRET_INPUT) value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
