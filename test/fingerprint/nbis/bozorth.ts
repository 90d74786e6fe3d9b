/**
 * The benchmark's NBIS matcher: bozorth3 scores computed by libfprint itself (bozorth-identify.c)
 * for a probe image placed on libfprint's virtual sensor against a gallery of NBIS prints.
 * Test tooling.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NbisMinutia } from '../../../device/fingerprint/nbis.ts';
import { virtualSensor, type VirtualSensor } from '../../support/virtual-fingerprint-sensor.ts';

const here = dirname(fileURLToPath(import.meta.url));

/** bozorth3 reads at most this many minutiae per print (MAX_BOZORTH_MINUTIAE). */
export const BOZORTH_MAX_MINUTIAE = 200;

export class BozorthOracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly sensor: VirtualSensor;
  private buffered = '';
  private readonly waiting: Array<(line: string) => void> = [];
  private gallerySize = 0;

  private constructor() {
    const bin = execFileSync('bash', [join(here, 'build.sh')], { encoding: 'utf8' }).trim();
    this.sensor = virtualSensor();
    this.child = spawn(bin, [], { env: { ...this.sensor.env, PATH: process.env.PATH ?? '/usr/bin' } });
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.buffered += chunk.toString('utf8');
      let at: number;
      while ((at = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, at);
        this.buffered = this.buffered.slice(at + 1);
        this.waiting.shift()?.(line);
      }
    });
  }

  static async start(): Promise<BozorthOracle> {
    const oracle = new BozorthOracle();
    const ready = await oracle.next();
    if (ready !== 'ready') throw new Error(`bozorth tool: ${ready}`);
    return oracle;
  }

  private next(): Promise<string> {
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async setGallery(prints: readonly NbisMinutia[][]): Promise<void> {
    const lines = prints.map((p) => {
      const m = p.slice(0, BOZORTH_MAX_MINUTIAE);
      return `${m.length}${m.map((q) => ` ${Math.round(q.x)} ${Math.round(q.y)} ${Math.round(q.theta)}`).join('')}\n`;
    });
    const answer = this.next();
    this.child.stdin.write(`gallery ${prints.length}\n${lines.join('')}`);
    const line = await answer;
    if (line !== `ok ${prints.length}`) throw new Error(`bozorth tool: ${line}`);
    this.gallerySize = prints.length;
  }

  /** bozorth3 score of the probe image against every gallery print, in gallery order. */
  async scores(probe: { width: number; height: number; pixels: Uint8Array }): Promise<number[]> {
    const all: number[] = [];
    while (all.length < this.gallerySize) {
      const from = all.length;
      const answer = this.next();
      this.child.stdin.write(`identify ${from} ${this.gallerySize}\n`);
      await this.sensor.place(probe);
      const line = await answer;
      // No minutiae in the probe: libfprint asks for another touch; nothing can match it.
      if (line.startsWith('error Minutiae detection failed')) return new Array<number>(this.gallerySize).fill(0);
      const m = /^scores([\d -]*) ; match (-?\d+)$/.exec(line);
      if (!m) throw new Error(`bozorth tool: ${line}`);
      const got = m[1]!.trim() ? m[1]!.trim().split(' ').map(Number) : [];
      if (got.length === 0) throw new Error('bozorth tool returned no score');
      all.push(...got);
    }
    return all;
  }

  async stop(): Promise<void> {
    this.child.stdin.end();
    await new Promise((r) => this.child.once('close', r));
    this.sensor.cleanup();
  }
}
