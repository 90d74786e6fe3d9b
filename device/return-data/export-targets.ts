/**
 * Where staff may write data balikan files: each folder directly inside a configured root (a
 * USB stick mounted under /media or /run/media/<user>), plus one fixed export folder. A target is
 * named by its real path, and a request may only name a target this list offers at that moment:
 * a path outside the roots, a `..`, or a symbolic link leading out is refused, not normalised.
 */
import { mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { KioskConfig } from '../config.ts';

export interface ExportTargetsConfig {
  roots: string[];
  folder?: string;
}

export const DEFAULT_EXPORT_ROOTS: ExportTargetsConfig = { roots: ['/media', '/run/media/*'] };

export interface ExportTarget {
  /** The target's real path: what a request names. */
  id: string;
  /** What staff see: the stick's volume label (its mount folder's name) or the folder's path. */
  label: string;
}

/** A target that is not one of those offered (outside the roots, gone, not a folder). */
export class ExportTargetRefused extends Error {
  override readonly name = 'ExportTargetRefused';
  readonly code = 'targetRefused';
  constructor() {
    super('the export target is not one of the offered folders');
  }
}

/** More targets than staff can choose between on one screen: the rest are not offered. */
const MAX_TARGETS = 64;

function realDirectory(path: string): string | null {
  try {
    const real = realpathSync(path);
    return statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
}

function childDirectories(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

export class ExportTargets {
  constructor(private readonly config: ExportTargetsConfig = DEFAULT_EXPORT_ROOTS) {}

  /** The targets offered now (sticks come and go: read at every call). */
  list(): ExportTarget[] {
    const targets: ExportTarget[] = [];
    const seen = new Set<string>();
    const offer = (id: string, label: string) => {
      if (seen.has(id) || targets.length >= MAX_TARGETS) return;
      seen.add(id);
      targets.push({ id, label });
    };
    if (this.config.folder) {
      const folder = realDirectory(this.config.folder);
      if (folder) offer(folder, folder);
    }
    for (const root of this.roots()) {
      for (const child of childDirectories(root)) {
        const real = realDirectory(child);
        // A link from inside a root to elsewhere is not a stick in that root.
        if (real && dirname(real) === root) offer(real, basename(real));
      }
    }
    return targets;
  }

  /** The target a request names, or ExportTargetRefused. */
  resolve(id: string): ExportTarget {
    const target = this.list().find((t) => t.id === id);
    if (!target) throw new ExportTargetRefused();
    return target;
  }

  /** The configured roots as real folders, a last `*` segment expanded. */
  private roots(): string[] {
    const roots: string[] = [];
    for (const pattern of this.config.roots) {
      const candidates = pattern.endsWith(`${sep}*`) ? childDirectories(pattern.slice(0, -2)) : [pattern];
      for (const c of candidates) {
        const real = realDirectory(c);
        if (real) roots.push(real);
      }
    }
    return roots;
  }
}

/**
 * The daemon's targets from its configuration. Demo and pcsc-sim kiosks, which have no stick,
 * also get a folder in their state folder (`data-balikan`, 0700) unless one is configured.
 */
export function exportTargetsFor(config: Pick<KioskConfig, 'mode' | 'stateDir' | 'returnDataExport'>): ExportTargets {
  const configured = config.returnDataExport ?? DEFAULT_EXPORT_ROOTS;
  if (configured.folder || config.mode === 'production') return new ExportTargets(configured);
  const folder = join(resolve(config.stateDir), 'data-balikan');
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  return new ExportTargets({ ...configured, folder });
}
