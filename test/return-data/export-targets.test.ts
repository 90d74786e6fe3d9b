/** The export targets the daemon offers from its configuration. */
import t from 'tap';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportTargetsFor } from '../../device/return-data/export-targets.ts';

t.test('a demo kiosk without a stick offers a folder in its state folder; production only what is configured', async (t) => {
  const base = mkdtempSync(join(tmpdir(), 'anj14e-targets-'));
  t.teardown(() => rmSync(base, { recursive: true, force: true }));
  const stateDir = join(base, 'state');
  const roots = { roots: [join(base, 'media')] };
  const demo = exportTargetsFor({ mode: 'demo', stateDir, returnDataExport: roots }).list();
  t.same(demo, [{ id: join(stateDir, 'data-balikan'), label: join(stateDir, 'data-balikan') }]);
  t.equal(statSync(join(stateDir, 'data-balikan')).mode & 0o777, 0o700);
  t.same(
    exportTargetsFor({ mode: 'production', stateDir: join(base, 'other'), returnDataExport: roots }).list(),
    [],
    'no stick, no folder: nothing',
  );
  const folder = join(base, 'ekspor');
  t.same(
    exportTargetsFor({ mode: 'pcsc-sim', stateDir, returnDataExport: { ...roots, folder } }).list(),
    [],
    'a configured folder that is missing is not offered',
  );
});
