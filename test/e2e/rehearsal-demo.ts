/**
 * `make demo PROD=1`: the production rehearsal (rehearsal.ts) for a person to try. The kiosk runs
 * in production mode on http://127.0.0.1:8080 (no demo panel: production has none); this
 * terminal stands in for the taxpayer's hands on the virtual card reader and fingerprint sensor.
 */
import { createInterface } from 'node:readline';
import { allPersonas, isPersonaId, persona, type Persona } from '../../device/sim/personas.ts';
import { holderTouch, strangerTouch } from '../support/rendered-persona-fingers.ts';
import { REHEARSAL_STAFF_PIN, startRehearsal } from './rehearsal.ts';

const HELP = `commands:
  card <persona>   put a persona's KTP-el on the reader (${allPersonas()
    .map((p) => p.id)
    .join(', ')})
  finger           the card holder touches the sensor
  stranger         somebody else's finger touches the sensor
  remove           take the card off the reader
  quit`;

const rehearsal = await startRehearsal({ port: Number(process.env.ANJUNGAN_PORT ?? 8080) });
process.stdout.write(`production rehearsal: open ${rehearsal.kiosk.url} (staff PIN ${REHEARSAL_STAFF_PIN})\n${HELP}\n`);
let holder: Persona | null = null;
let touches = 0;
const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: '> ' });
rl.prompt();
rl.on('line', (line) => {
  const [command, arg] = line.trim().split(/\s+/);
  void (async () => {
    try {
      if (command === 'card' && arg && isPersonaId(arg)) {
        holder = persona(arg);
        await rehearsal.devices.insert(holder);
      } else if (command === 'remove') {
        holder = null;
        await rehearsal.devices.remove();
      } else if (command === 'finger' && holder) {
        await rehearsal.sensor.place(holderTouch(holder, `demo-${touches++}`));
      } else if (command === 'stranger') {
        await rehearsal.sensor.place(strangerTouch('demo', `demo-${touches++}`));
      } else if (command === 'quit') {
        rl.close();
        return;
      } else if (command) {
        process.stdout.write(`${HELP}\n`);
      }
    } catch (err) {
      process.stdout.write(`${(err as Error).message}\n`);
    }
    rl.prompt();
  })();
});
rl.on('close', () => {
  void rehearsal.stop().then(() => process.exit(0));
});
process.on('SIGINT', () => rl.close());
