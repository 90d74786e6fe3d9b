/**
 * Every file git tracks that prettier formats is formatted (.prettierrc): a change that is not
 * fails here, so the tree never drifts back to hundreds of files off its width.
 */
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as prettier from 'prettier';

const root = resolve(import.meta.dirname, '../..');
const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);

t.test('every tracked file prettier formats is formatted', async (t) => {
  const unformatted: string[] = [];
  let checked = 0;
  for (const file of tracked) {
    const path = resolve(root, file);
    const info = await prettier.getFileInfo(path, { ignorePath: [resolve(root, '.gitignore'), resolve(root, '.prettierignore')] });
    if (info.ignored || info.inferredParser === null) continue;
    const options = { ...(await prettier.resolveConfig(path)), filepath: path };
    if (!(await prettier.check(readFileSync(path, 'utf8'), options))) unformatted.push(file);
    checked += 1;
  }
  t.ok(checked > 300, `${checked} files checked`);
  t.same(unformatted, [], 'run `npx prettier --write` on these');
});
