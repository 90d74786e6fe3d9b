/**
 * Child of export-killed.test.ts: runs a real export whose first rename waits for a kill -9, after
 * telling the parent that both files are written and fsynced under their temporary names.
 */
import { open, readdir, rename, unlink } from 'node:fs/promises';
import { openDatabase } from '../../device/store/db.ts';
import { ReturnDataOutbox } from '../../device/store/return-data-outbox.ts';
import { exportReturnData } from '../../device/return-data/export.ts';

const [stateDir, keyHex, target] = process.argv.slice(2) as [string, string, string];
const db = openDatabase(stateDir);
const outbox = new ReturnDataOutbox(db, Buffer.from(keyHex, 'hex'), { now: () => new Date() });
await exportReturnData({
  source: outbox,
  dir: target,
  format: 'xlsx',
  now: new Date(),
  kiosk: null,
  fs: {
    open,
    readdir,
    unlink,
    rename: (async () => {
      process.stdout.write('written\n');
      await new Promise(() => undefined);
    }) as unknown as typeof rename,
  },
});
