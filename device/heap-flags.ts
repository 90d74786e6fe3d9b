/**
 * The daemon's heap is sized on its command line (systemd/anjungan.service, `npm start`):
 * `--max-old-space-size=48 --max-semi-space-size=1 --initial-old-space-size=16`, which V8 reads
 * once, when it makes the heap. (The initial 16 MB lets a start reach `ready`, ~11 MB of heap,
 * without a full collection; the limit after that one is V8's own, from what is live.)
 * Any flag off its default also changes V8's flag hash, and V8 refuses a code cache made under
 * another hash: Node's cache of its own built-in modules, made without flags, was refused for
 * every built-in the daemon loads, each then compiled from source at every start (~20 ms of CPU
 * of a start here, ~70 ms of wall time at 30 % of one core; docs/boot-time.md). The heap is made
 * by the time this runs and V8 reads these flags nowhere else, so setting them back to their
 * defaults keeps the heap as it was made (its limits are checked in test/e2e/heap-flags.test.ts)
 * and gives Node's built-ins their cache again. A worker thread's heap, made later, is sized by
 * its `resourceLimits` (device/fingerprint/extractor-worker.ts).
 *
 * The flags are set through the binding node:v8 itself calls: loading node:v8 loads some twenty
 * other built-ins (its heap snapshot helpers and the streams they use), and loaded while the flags
 * were still set, every one of them was compiled from source at every start (~4 % of the
 * instructions of a demo start; docs/boot-time.md). `process.binding` is deprecated (DEP0111, in
 * the documentation only; a warning under --pending-deprecation, which the daemon does not use):
 * a Node that no longer offers it gets node:v8, as before.
 *
 * Imported first by device/boot.ts (main.cjs), so that as few built-ins as possible load before it.
 */
interface V8Flags {
  setFlagsFromString(flags: string): void;
}

function v8Flags(): V8Flags {
  try {
    const binding = (process as unknown as { binding(name: 'v8'): Partial<V8Flags> }).binding('v8');
    if (typeof binding.setFlagsFromString === 'function') return binding as V8Flags;
  } catch {
    // not offered: the public module below
  }
  return process.getBuiltinModule('node:v8');
}

const v8 = v8Flags();
for (const flag of ['max-old-space-size', 'max-semi-space-size', 'initial-old-space-size']) v8.setFlagsFromString(`--${flag}=0`);
