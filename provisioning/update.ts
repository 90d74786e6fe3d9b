/**
 * `anjungan-provision update`: software updates of the appliance through RAUC's A/B slots.
 *   install FILE    a signed bundle (from a USB stick): checked first (signature, payload, board,
 *                   release), then, once the kiosk is idle and paused, written into the slot not
 *                   running; the kiosk reboots to try it once.
 *   confirm-boot    at every boot (anjungan-update-check.service): on a trial boot waits for the
 *                   new release to prove itself (daemon, readers, sensor, screen) and marks it
 *                   good, or marks it bad and fails, and the unit reboots into the old slot; on
 *                   the old slot after a failed trial, records the rollback.
 *   status          the running release, both slots, where the last update stands.
 *   check-release   RAUC's pre-install handler: refuses a bundle not later than the running release.
 *   pull            from the update folder on the office LAN (config updates.source), when it
 *                   offers a later release: downloaded, then installed as from a stick.
 * Every step leaves an audit row (device/domain/audit.ts: update*) when the kiosk is provisioned.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { openDatabase, type Db } from '../device/store/db.ts';
import { AuditLog } from '../device/store/audit-log.ts';
import { KioskFlags } from '../device/store/kiosk-flags.ts';
import type { AuditEvent } from '../device/domain/audit.ts';
import { BundleRefused, inspectBundle } from '../device/update/bundle.ts';
import { allowedBundleFormats, parseIni } from '../device/update/ini.ts';
import { readJournal, writeJournal, type RollbackReason, type Slot, type UpdateJournal } from '../device/update/journal.ts';
import { missingProof, type HealthSample } from '../device/update/proof.ts';
import {
  compareReleases,
  describe,
  readReleaseFile,
  releaseOfManifest,
  ReleaseFormatError,
  type Release,
} from '../device/update/release.ts';
import { runner, type Run } from '../device/update/run.ts';
import { downloadBundle, FolderError, readFolderEntry } from '../device/update/folder.ts';
import type { CommandContext, Outcome } from './context.ts';
import { badInput, EXIT, ProvisionError, wrongState } from './errors.ts';
import { isInitialised, loadConfigFile } from './state.ts';

/** Who the audit rows and the kiosk's pause flag name: the technician's tool. */
export const UPDATE_ACTOR = 'anjungan-provision update';
const DEFAULT_PROOF_DEADLINE_S = 300;
const DEFAULT_IDLE_WAIT_S = 1800;
const POLL_MS = 1000;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const otherSlot = (s: Slot): Slot => (s === 'A' ? 'B' : 'A');
const releaseText = (r: Release) => `${r.version} ${r.build}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface RaucSlotStatus {
  name: string;
  bootname: Slot;
  state: string;
  bootStatus: 'good' | 'bad' | null;
  version: string | null;
}

interface RaucStatus {
  booted: Slot;
  /** The slot the next boot starts (the backend's get-primary: the tryboot target while armed). */
  primary: Slot | null;
  slots: RaucSlotStatus[];
}

/** `rauc status --detailed --output-format=json`: the booted slot and each root slot. */
export function parseRaucStatus(text: string): RaucStatus {
  const s = JSON.parse(text) as {
    booted?: string;
    boot_primary?: string | null;
    slots?: Array<
      Record<
        string,
        {
          class?: string;
          bootname?: string | null;
          state?: string;
          boot_status?: string | null;
          slot_status?: { bundle?: { version?: string | null } };
        }
      >
    >;
  };
  const slots: RaucSlotStatus[] = [];
  for (const entry of s.slots ?? []) {
    for (const [name, v] of Object.entries(entry)) {
      if (v.bootname !== 'A' && v.bootname !== 'B') continue;
      slots.push({
        name,
        bootname: v.bootname,
        state: v.state ?? 'unknown',
        bootStatus: v.boot_status === 'good' || v.boot_status === 'bad' ? v.boot_status : null,
        version: v.slot_status?.bundle?.version ?? null,
      });
    }
  }
  if (s.booted !== 'A' && s.booted !== 'B')
    throw new ProvisionError(EXIT.failure, `RAUC does not know which slot booted (${s.booted ?? 'none'})`);
  return { booted: s.booted, primary: slots.find((x) => x.name === s.boot_primary)?.bootname ?? null, slots };
}

/** What the update commands work with; built from the command's context. */
class UpdateHost {
  readonly run: Run;
  private db: Db | null = null;
  private audit: AuditLog | null = null;

  constructor(readonly ctx: CommandContext) {
    this.run = runner(ctx.env);
  }

  get layout() {
    return this.ctx.layout;
  }

  running(): Release {
    try {
      return readReleaseFile(this.layout.releaseFile);
    } catch (e) {
      if (e instanceof ReleaseFormatError) throw new ProvisionError(EXIT.failure, `the running release is unknown: ${e.message}`);
      throw e;
    }
  }

  raucConf() {
    try {
      return parseIni(readFileSync(this.layout.raucSystemConf, 'utf8'));
    } catch {
      throw new ProvisionError(EXIT.failure, `${this.layout.raucSystemConf} cannot be read: this root has no RAUC configuration`);
    }
  }

  async raucStatus(): Promise<RaucStatus> {
    const r = await this.run('rauc', [`--conf=${this.layout.raucSystemConf}`, 'status', '--detailed', '--output-format=json']);
    if (r.code !== 0) throw new ProvisionError(EXIT.failure, `rauc status failed: ${lastLine(r.stderr) || `exit ${r.code}`}`);
    try {
      return parseRaucStatus(r.stdout);
    } catch (e) {
      if (e instanceof ProvisionError) throw e;
      throw new ProvisionError(EXIT.failure, 'rauc status answered something that is not its JSON status');
    }
  }

  /** The daemon's store, when the kiosk is provisioned (an unprovisioned kiosk keeps no audit). */
  private store(): { db: Db; audit: AuditLog } | null {
    if (this.db && this.audit) return { db: this.db, audit: this.audit };
    if (!existsSync(this.layout.credentialFile)) return null;
    let auditKey: string;
    try {
      auditKey = (JSON.parse(readFileSync(this.layout.credentialFile, 'utf8')) as { auditKey: string }).auditKey;
    } catch {
      return null;
    }
    this.db = openDatabase(this.layout.stateDir);
    this.audit = new AuditLog(this.db, Buffer.from(auditKey, 'hex'), { now: () => new Date() });
    return { db: this.db, audit: this.audit };
  }

  /**
   * One update at a time: a second one would end the first one's pause. The lock file (in /run,
   * gone at the reboot) names its process; a lock whose process is gone is taken over.
   */
  lock(): () => void {
    const path = join(this.layout.root, 'run/anjungan-update.lock');
    mkdirSync(dirname(path), { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        return () => rmSync(path, { force: true });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        const holder = Number(readFileSync(path, 'utf8'));
        if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
          throw wrongState(`another update runs (process ${holder}); nothing was written`);
        }
        rmSync(path, { force: true });
      }
    }
    throw wrongState('the update lock could not be taken; nothing was written');
  }

  record(e: AuditEvent): void {
    this.store()?.audit.record({ staffId: UPDATE_ACTOR, ...e });
  }

  close(): void {
    this.db?.close();
    this.db = null;
  }

  /** The daemon's /healthz, or null when it does not answer. */
  async health(): Promise<(HealthSample & { state?: string }) | null> {
    if (!isInitialised(this.layout)) return null;
    const { host, port } = loadConfigFile(this.layout).http;
    try {
      const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/healthz`, { signal: AbortSignal.timeout(3000) });
      return (await res.json()) as HealthSample & { state?: string };
    } catch {
      return null;
    }
  }

  /** Makes the daemon re-read its flags now (device/main.ts: SIGHUP). */
  async pokeDaemon(): Promise<void> {
    await this.run('systemctl', ['kill', '--signal=SIGHUP', '--kill-whom=main', 'anjungan.service']);
  }

  /**
   * Pauses the kiosk for the update and waits until no session runs: the flag stops new sessions,
   * a running one finishes. A pause staff set stays theirs. Returns whether we paused it.
   */
  async holdIdle(waitS: number): Promise<boolean> {
    const store = this.store();
    let paused = false;
    if (store) {
      const flags = new KioskFlags(store.db, { now: () => new Date() });
      if (!flags.isSet('pausedByStaff')) {
        flags.set('pausedByStaff', UPDATE_ACTOR);
        this.record({ code: 'kioskPaused' });
        paused = true;
      }
      await this.pokeDaemon();
    }
    const deadline = Date.now() + waitS * 1000;
    let told = false;
    for (;;) {
      const h = await this.health();
      if (!h || h.state === 'outOfService') return paused;
      if (Date.now() > deadline) {
        if (paused) await this.release();
        throw wrongState(`the kiosk did not become idle within ${waitS} s (state ${h.state}); nothing was written`);
      }
      if (!told)
        this.ctx.progress(
          h.state === 'session' ? "waiting for the taxpayer's session to end" : `waiting for the kiosk to pause (${h.state})`,
        );
      told = true;
      await sleep(POLL_MS);
    }
  }

  /** Ends the update's pause (never a pause staff set). */
  async release(): Promise<void> {
    const store = this.store();
    if (!store) return;
    const flags = new KioskFlags(store.db, { now: () => new Date() });
    if (flags.value('pausedByStaff') !== UPDATE_ACTOR) return;
    flags.clear('pausedByStaff');
    this.record({ code: 'kioskResumed' });
    await this.pokeDaemon();
  }
}

export async function updateInstall(ctx: CommandContext, file: string, o: { waitIdleS?: string }): Promise<Outcome> {
  const waitS = o.waitIdleS === undefined ? DEFAULT_IDLE_WAIT_S : Number(o.waitIdleS);
  if (!Number.isInteger(waitS) || waitS < 0 || waitS > 86_400) throw badInput('--wait-idle-s must be 0 to 86400 seconds');
  const bundle = resolve(file);
  if (!existsSync(bundle)) throw badInput(`${bundle} does not exist (is the stick mounted?)`);
  const host = new UpdateHost(ctx);
  const unlock = host.lock();
  try {
    const running = host.running();
    const conf = host.raucConf();
    ctx.progress(`checking ${bundle}`);
    let info;
    try {
      info = await inspectBundle(host.run, { bundle, raucConf: host.layout.raucSystemConf, formats: allowedBundleFormats(conf), running });
    } catch (e) {
      if (!(e instanceof BundleRefused)) throw e;
      host.record({ code: 'updateRefused', outcome: e.refusal.code });
      throw badInput(e.message);
    }
    const status = await host.raucStatus();
    const booted = status.slots.find((s) => s.bootname === status.booted);
    if (booted?.bootStatus !== 'good') {
      throw wrongState(
        `the running slot ${status.booted} is on trial (not yet marked good): wait until anjungan-update-check has judged it; nothing was written`,
      );
    }
    const target = otherSlot(status.booted);
    ctx.progress(`release ${describe(info.release)} checked; pausing the kiosk`);
    const paused = await host.holdIdle(waitS);
    const installed = await host.run('rauc', [`--conf=${host.layout.raucSystemConf}`, 'install', bundle], (line) => {
      const m = /^\s*(\d{1,3})% (.+)$/.exec(line);
      if (m) ctx.progress(`${m[1]!.padStart(3)}% ${m[2]}`);
    });
    if (installed.code !== 0) {
      const why = raucError(installed.stdout + installed.stderr);
      host.record({ code: 'updateFailed', outcome: why.slice(0, 200) });
      if (paused) await host.release();
      throw new ProvisionError(
        EXIT.failure,
        `the installation failed: ${why}; the running release ${describe(running)} stays the boot slot`,
      );
    }
    const journal: UpdateJournal = {
      state: 'installed',
      slot: target,
      release: info.release,
      from: running,
      at: new Date().toISOString(),
    };
    writeJournal(host.layout.updateJournalFile, journal);
    host.record({ code: 'updateInstalled', state: target, outcome: releaseText(info.release) });
    host.close();
    ctx.progress(`rebooting to try release ${describe(info.release)} in slot ${target}`);
    // The Raspberry Pi kernel hands "tryboot" to the firmware: the next boot, only, is slot `target`.
    const reboot = await host.run('systemctl', ['reboot', '0 tryboot']);
    return {
      data: { installed: info.release, slot: target, from: running, rebooting: reboot.code === 0 },
      lines: [
        `release ${describe(info.release)} installed into slot ${target} (running: ${describe(running)})`,
        reboot.code === 0
          ? `rebooting to try it: it stays only once it shows the daemon, both readers, the sensor and the screen working; otherwise the kiosk returns to ${describe(running)} by itself`
          : `could not reboot (${lastLine(reboot.stderr)}): run \`systemctl reboot "0 tryboot"\` to try it`,
      ],
    };
  } finally {
    host.close();
    unlock();
  }
}

/**
 * Judges this boot. Exit 0 when there is nothing to judge, the release proved itself, or a
 * rollback was recorded; exit 5 (a check failed) when a trial release did not prove itself in
 * time and was marked bad: its unit then reboots the board, into the old slot.
 */
export async function updateConfirmBoot(ctx: CommandContext, o: { deadlineS?: string }): Promise<Outcome> {
  const host = new UpdateHost(ctx);
  try {
    const journal = readJournal(host.layout.updateJournalFile);
    const status = await host.raucStatus().catch((e: ProvisionError) => {
      // Without RAUC's view nothing is judged (and nothing rebooted): the firmware still boots
      // the last slot marked good at the next reset.
      ctx.progress(`${e.message}: this boot is not judged`);
      return null;
    });
    if (!status) return { data: { judged: false }, lines: ['RAUC did not answer: this boot is not judged'] };
    const booted = status.slots.find((s) => s.bootname === status.booted)!;
    const onTrial = booted.bootStatus === 'bad';
    if (!onTrial) return await settleOnGoodSlot(host, journal, status);

    // A trial boot: from here, anything unexpected fails the unit, and the board reboots.
    const deadlineS = o.deadlineS !== undefined ? Number(o.deadlineS) : proofDeadlineS(host);
    if (!Number.isFinite(deadlineS) || deadlineS <= 0) throw badInput('--deadline-s must be a positive number of seconds');
    const release = journal?.slot === status.booted ? journal.release : null;
    if (journal && release && journal.state === 'installed') {
      writeJournal(host.layout.updateJournalFile, { ...journal, state: 'booted', at: new Date().toISOString() });
      host.record({ code: 'updateBooted', state: status.booted, outcome: releaseText(release) });
    }
    ctx.progress(`slot ${status.booted} is on trial: waiting up to ${deadlineS} s for the daemon, readers, sensor and screen`);
    const deadline = Date.now() + deadlineS * 1000;
    let missing = missingProof(await host.health());
    while (missing.length > 0 && Date.now() < deadline) {
      await sleep(POLL_MS);
      missing = missingProof(await host.health());
    }
    const what = release ? `release ${describe(release)}` : `slot ${status.booted}`;
    if (missing.length === 0) {
      const marked = await host.run('rauc', [`--conf=${host.layout.raucSystemConf}`, 'status', 'mark-good']);
      if (marked.code !== 0)
        throw new ProvisionError(EXIT.failure, `rauc could not mark slot ${status.booted} good: ${lastLine(marked.stderr)}`);
      const at = new Date().toISOString();
      if (journal && release) writeJournal(host.layout.updateJournalFile, { ...journal, state: 'markedGood', at });
      host.record({ code: 'updateMarkedGood', state: status.booted, ...(release ? { outcome: releaseText(release) } : {}) });
      await host.release();
      if (journal && release)
        writeJournal(host.layout.updateJournalFile, { ...journal, state: 'markedGood', at, resumedAt: new Date().toISOString() });
      return { data: { judged: true, slot: status.booted, markedGood: true }, lines: [`${what} proved itself and is now the boot slot`] };
    }
    const marked = await host.run('rauc', [`--conf=${host.layout.raucSystemConf}`, 'status', 'mark-bad']);
    if (journal && release) {
      writeJournal(host.layout.updateJournalFile, {
        ...journal,
        state: 'rolledBack',
        reason: 'checkFailed',
        missing,
        at: new Date().toISOString(),
      });
    }
    host.record({ code: 'updateRolledBack', state: status.booted, outcome: `checkFailed: ${missing.join(', ')}` });
    return {
      exitCode: EXIT.checkFailed,
      data: { judged: true, slot: status.booted, markedGood: false, missing },
      lines: [
        `${what} did not show ${missing.join(', ')} within ${deadlineS} s: marked bad${marked.code === 0 ? '' : ` (rauc: ${lastLine(marked.stderr)})`}; the board reboots into the old slot`,
      ],
    };
  } finally {
    host.close();
  }
}

/**
 * On a slot marked good. The update's own slot running: it was marked good (the journal may lag
 * behind a restart of this unit). The other slot running while the update is not settled: the
 * update never got through its trial, and this slot, the old one, records that, once.
 */
async function settleOnGoodSlot(host: UpdateHost, journal: UpdateJournal | null, status: RaucStatus): Promise<Outcome> {
  const now = () => new Date().toISOString();
  const booted = status.booted;
  if (!journal || journal.resumedAt) return { data: { judged: false }, lines: ['no update waits for a decision'] };
  if (journal.slot === booted) {
    if (journal.state !== 'markedGood') {
      writeJournal(host.layout.updateJournalFile, { ...journal, state: 'markedGood', at: now() });
      host.record({ code: 'updateMarkedGood', state: booted, outcome: releaseText(journal.release) });
    }
    await host.release();
    writeJournal(host.layout.updateJournalFile, { ...journal, state: 'markedGood', resumedAt: now() });
    return { data: { judged: false, slot: booted }, lines: [`release ${describe(journal.release)} runs, marked good`] };
  }
  if (journal.state === 'markedGood') return { data: { judged: false }, lines: ['no update waits for a decision'] };
  if (journal.state === 'installed' && status.primary === journal.slot) {
    return { data: { judged: false }, lines: [`release ${describe(journal.release)} waits for the reboot that tries it`] };
  }
  let settled = journal;
  if (journal.state !== 'rolledBack') {
    const reason: RollbackReason = journal.state === 'booted' ? 'failedBoot' : 'neverChecked';
    settled = { ...journal, state: 'rolledBack', reason, at: now() };
    host.record({ code: 'updateRolledBack', state: journal.slot, outcome: reason });
  }
  await host.release();
  writeJournal(host.layout.updateJournalFile, { ...settled, resumedAt: now() });
  const why = {
    checkFailed: `did not show ${settled.missing?.join(', ') ?? 'what it must'} in time`,
    failedBoot: 'started but was never marked good',
    neverChecked:
      'never reached its boot check (it did not boot, the board lost power first, or the kernel could not ask the firmware for the tryboot)',
  }[settled.reason ?? 'neverChecked'];
  return {
    data: { judged: true, rolledBack: true, slot: booted, release: journal.release, reason: settled.reason },
    lines: [`release ${describe(journal.release)} ${why}: slot ${booted} with release ${describe(journal.from)} runs again`],
  };
}

function proofDeadlineS(host: UpdateHost): number {
  if (!isInitialised(host.layout)) return DEFAULT_PROOF_DEADLINE_S;
  return loadConfigFile(host.layout).updates?.proofDeadlineS ?? DEFAULT_PROOF_DEADLINE_S;
}

export async function updateStatus(ctx: CommandContext): Promise<Outcome> {
  const host = new UpdateHost(ctx);
  const running = host.running();
  const status = await host.raucStatus();
  const journal = readJournal(host.layout.updateJournalFile);
  const slotLine = (s: RaucSlotStatus) =>
    `slot ${s.bootname}: ${s.state}${s.bootname === status.booted ? ' (running)' : ''}, ${s.bootStatus ?? 'unknown'}, ${s.version ? `release ${s.version}` : 'no release installed'}`;
  return {
    data: { running, booted: status.booted, slots: status.slots, lastUpdate: journal },
    lines: [
      `running release ${describe(running)} for ${running.compatible}, slot ${status.booted}`,
      ...status.slots.sort((a, b) => a.bootname.localeCompare(b.bootname)).map(slotLine),
      journal
        ? `last update: release ${describe(journal.release)} ${journal.state} ${journal.at}${journal.reason ? ` (${journal.reason})` : ''}`
        : 'no update installed yet',
    ],
  };
}

/** RAUC's pre-install handler: the bundle (its mounted manifest) must be later than the running release. */
export async function updateCheckRelease(ctx: CommandContext, manifestPath: string): Promise<Outcome> {
  const host = new UpdateHost(ctx);
  const running = host.running();
  let bundle: Release;
  try {
    bundle = releaseOfManifest(readFileSync(manifestPath, 'utf8'), manifestPath);
  } catch (e) {
    throw badInput(`the bundle's manifest cannot be read: ${(e as Error).message}`);
  }
  if (compareReleases(bundle, running) <= 0) {
    const refusal = new BundleRefused({ code: 'notNewer', bundle, running });
    host.record({ code: 'updateRefused', outcome: 'notNewer' });
    host.close();
    throw badInput(refusal.message);
  }
  return { data: { bundle, running }, lines: [`release ${describe(bundle)} is later than the running ${describe(running)}`] };
}

/**
 * Pulls from the office LAN's update folder. Exit 0 when nothing is configured, the kiosk is up
 * to date, or the offered release was rolled back here before (it is not tried again by itself:
 * a technician can install it by hand); exit 5 when the folder cannot be read or its file does not
 * match its entry. A later release is downloaded to the data partition and installed.
 */
export async function updatePull(ctx: CommandContext, o: { waitIdleS?: string }): Promise<Outcome> {
  const source = isInitialised(ctx.layout) ? loadConfigFile(ctx.layout).updates?.source : undefined;
  if (!source) return { data: { pulled: false }, lines: ['no update folder is configured (updates.source): nothing to pull'] };
  const host = new UpdateHost(ctx);
  const running = host.running();
  let caPem: string;
  try {
    caPem = readFileSync(source.caFile, 'utf8');
  } catch {
    throw new ProvisionError(EXIT.failure, `updates.source.caFile ${source.caFile} cannot be read`);
  }
  const folder = { url: source.url, caPem, ...(source.spkiSha256 ? { spkiSha256: source.spkiSha256 } : {}) };
  const checkFailed = (e: FolderError) => new ProvisionError(EXIT.checkFailed, `the update folder: ${e.message}; nothing was written`);
  let entry;
  try {
    entry = await readFolderEntry(folder, running.compatible);
  } catch (e) {
    if (e instanceof FolderError) throw checkFailed(e);
    throw e;
  }
  if (compareReleases(entry.release, running) <= 0) {
    return {
      data: { pulled: false, running, offered: entry.release },
      lines: [`up to date: the folder offers ${describe(entry.release)}, this kiosk runs ${describe(running)}`],
    };
  }
  const last = readJournal(host.layout.updateJournalFile);
  if (last?.state === 'rolledBack' && compareReleases(last.release, entry.release) === 0) {
    return {
      data: { pulled: false, running, offered: entry.release, rolledBack: true },
      lines: [
        `release ${describe(entry.release)} was rolled back on this kiosk (${last.reason ?? 'rolled back'}): not tried again by itself; install it by hand to retry`,
      ],
    };
  }
  mkdirSync(host.layout.updateDownloadDir, { recursive: true, mode: 0o700 });
  const file = join(host.layout.updateDownloadDir, entry.file);
  ctx.progress(`downloading ${entry.file} (${Math.ceil(entry.size / 1024 ** 2)} MiB) from the update folder`);
  try {
    try {
      await downloadBundle(folder, entry, file);
    } catch (e) {
      if (e instanceof FolderError) throw checkFailed(e);
      throw e;
    }
    return await updateInstall(ctx, file, o);
  } finally {
    // Written into the slot, or refused: either way the copy is not kept on the data partition.
    rmSync(file, { force: true });
  }
}

/** The message of RAUC's last error line (`LastError: …`, or the last line it printed). */
function raucError(output: string): string {
  const last = /LastError: (.+)/.exec(output);
  return (last ? last[1]! : lastLine(output)).trim() || 'rauc install failed';
}

const lastLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('rauc-Message'))
    .at(-1) ?? '';
