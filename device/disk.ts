/**
 * The data partition's free space, watched so the kiosk goes out of service cleanly while SQLite
 * can still write (the audit row, the alert) instead of failing mid-session: below the reserve it
 * is `diskFull`; below the low mark staff get a `diskLow` alert first. Read with statfs: no I/O.
 */
import { statfsSync } from 'node:fs';
import type { KioskConfig } from './config.ts';

export type DiskLevel = 'ok' | 'low' | 'full';

export interface DiskThresholds {
  /** Below this many free bytes staff are alerted. */
  lowBytes: number;
  /** Below this many free bytes the kiosk stops serving. */
  reserveBytes: number;
}

export const DEFAULT_DISK: DiskThresholds = { lowBytes: 128 * 1048576, reserveBytes: 32 * 1048576 };

/** The `disk` section's thresholds (MiB), the defaults where it says nothing. */
export function diskThresholdsFromConfig(config: Pick<KioskConfig, 'disk'>): DiskThresholds {
  return {
    lowBytes: (config.disk?.lowMb ?? DEFAULT_DISK.lowBytes / 1048576) * 1048576,
    reserveBytes: (config.disk?.reserveMb ?? DEFAULT_DISK.reserveBytes / 1048576) * 1048576,
  };
}
const CHECK_EVERY_MS = 10_000;

export function diskLevel(freeBytes: number, t: DiskThresholds): DiskLevel {
  if (freeBytes < t.reserveBytes) return 'full';
  if (freeBytes < t.lowBytes) return 'low';
  return 'ok';
}

/** Bytes an unprivileged writer may still use on the file system holding `dir`. */
export function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

export class DiskWatch {
  private current: DiskLevel;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly opts: {
      dir: string;
      thresholds: DiskThresholds;
      onChange: (level: DiskLevel, freeBytes: number) => void;
      free?: (dir: string) => number;
    },
  ) {
    this.current = this.measure().level;
  }

  level(): DiskLevel {
    return this.current;
  }

  /** Measures now (readiness asks before every session); reports a change. */
  check(): DiskLevel {
    const { level, free } = this.measure();
    if (level !== this.current) {
      this.current = level;
      this.opts.onChange(level, free);
    }
    return level;
  }

  start(): void {
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private measure(): { level: DiskLevel; free: number } {
    try {
      const free = (this.opts.free ?? freeBytes)(this.opts.dir);
      return { level: diskLevel(free, this.opts.thresholds), free };
    } catch {
      // The state folder cannot even be looked at: as good as full.
      return { level: 'full', free: 0 };
    }
  }
}
