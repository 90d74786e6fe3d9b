/**
 * Secrets typed at a real terminal (a pty made by util-linux `script`): prompted, never echoed.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readCredentials } from '../../device/store/credentials.ts';
import { layout } from '../../provisioning/layout.ts';
import { cli, INIT, tempRoot } from './cli-harness.ts';

const BIN = fileURLToPath(new URL('../../provisioning/bin.mjs', import.meta.url));

t.test('credentials set at a terminal: the password and IP_USER are not echoed', async (t) => {
  const root = tempRoot(t, 'tty');
  t.equal((await cli([...INIT, '--root', root])).code, 0);
  const child = spawn('script', ['-qec', `${process.execPath} ${BIN} credentials set --root ${root} --user-id TTY-USER`, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  const answers: Array<[string, string]> = [
    ['Password: ', 'typed-secret-password\r'],
    ['IP_USER: ', '192.0.2.55\r'],
  ];
  child.stdout.on('data', (c: Buffer) => {
    screen += c.toString();
    const next = answers[0];
    // Each answer is typed only once its prompt is on screen: the terminal is then in raw mode.
    if (next && screen.includes(next[0])) {
      answers.shift();
      child.stdin.write(next[1]);
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.equal(code, 0, screen);
  t.match(screen, /Password: /);
  t.notMatch(screen, /typed-secret-password/, 'the password is not echoed');
  t.notMatch(screen, /192\.0\.2\.55/, 'IP_USER is not echoed');
  t.match(readCredentials(layout(root).credentialFile).dukcapil, {
    userId: 'TTY-USER',
    password: 'typed-secret-password',
    ipUser: '192.0.2.55',
  });
});
