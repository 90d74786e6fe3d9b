/**
 * anjungan-provision: the technician's command line. Sets a kiosk up (init, credentials,
 * uplink, agreement, SAM, operators), keeps its agreement, checks it (doctor), and takes it down
 * at the end of the agreement (deactivate). It writes the very files the daemon reads, through
 * the daemon's own schema and writer; it never talks to a running kiosk (restart the service).
 */
import { Command, CommanderError, Option } from 'commander';
import type { Readable, Writable } from 'node:stream';
import type { CommandContext, Outcome } from './context.ts';
import { EXIT, EXIT_CODES_HELP, ProvisionError, type ExitCode } from './errors.ts';
import { layout } from './layout.ts';
import { joinFleetCommand, showFleet } from './fleet.ts';
import { init } from './init.ts';
import { setCredentials, showCredentials } from './credentials.ts';
import { checkAgreement, extendAgreement, setAgreement, showAgreement } from './agreement.ts';
import { setUplink, testUplink } from './uplink.ts';
import { installSam, samStatus } from './sam.ts';
import { doctor, doctorDevices } from './doctor.ts';
import { deactivate, type DeactivateOptions } from './deactivate.ts';
import { exportReturnDataFile, type ReturnDataExportOptions } from './return-data.ts';
import { disableStaffLan, enableStaffLan, showStaffLan } from './staff-lan.ts';
import { semesterReport, type SemesterReportOptions } from './report.ts';
import { addOperator, disableOperator, EMPLOYMENT_STATUSES, listOperators, writeRoster, type AddOptions } from './operators.ts';
import { updateCheckRelease, updateConfirmBoot, updateInstall, updatePull, updateStatus } from './update.ts';
import { setNetwork, setTime, showNetwork, showTime, type NetworkOptions } from './network.ts';
import { auditTechnicianCommand } from './audit.ts';
import { onRunningKiosk } from './system.ts';

export interface CliIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  now?: () => Date;
}

/** Options a secret could be passed by: refused outright, never parsed. */
const SECRET_FLAGS = /^--?(password|pass|passwd|ip-?user|pin|secret)(=|$)/i;

interface Common {
  root?: string;
  json?: boolean;
  at?: string;
}

export async function runCli(argv: string[], io: CliIo): Promise<ExitCode> {
  const write = (s: Writable, text: string) => s.write(text.endsWith('\n') ? text : `${text}\n`);
  const fail = (e: ProvisionError, json: boolean): ExitCode => {
    write(io.stderr, `anjungan-provision: ${e.message}`);
    if (json) write(io.stdout, JSON.stringify({ ok: false, exitCode: e.exitCode, error: e.message }));
    return e.exitCode;
  };
  const json = argv.includes('--json');
  const secretFlag = argv.find((a) => SECRET_FLAGS.test(a));
  if (secretFlag) {
    return fail(
      new ProvisionError(
        EXIT.badInput,
        `${secretFlag.split('=')[0]} is not accepted: secrets are typed at the prompt (no echo) or piped on stdin, never given on the command line`,
      ),
      json,
    );
  }

  let exitCode: ExitCode = EXIT.ok;
  const program = new Command('anjungan-provision')
    .description('Technician tool: set up a kiosk, keep its agreement, take its SAM back at the end.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, w) => w(`anjungan-provision: ${s.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(run with --help for usage and examples)')
    .addHelpText(
      'after',
      `${EXIT_CODES_HELP}

Order on a new kiosk: init, network set, time set, credentials set, uplink set, uplink test,
agreement set, sam install, operators add, doctor. Until all of it is set the kiosk shows what is
missing; it starts serving by itself once nothing is. Later changes: restart the service.`,
    );

  const command = (
    parent: Command,
    name: string,
    description: string,
    examples: string[],
    run: (ctx: CommandContext, opts: never, args: string[]) => Outcome | Promise<Outcome>,
  ) => {
    const c = parent
      .command(name)
      .description(description)
      .option('--root <dir>', 'the tree under this folder instead of / (tests, image builds)')
      .option('--json', 'one JSON object on stdout, for scripts')
      .addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ anjungan-provision ${e}`).join('\n')}\n${EXIT_CODES_HELP}`)
      .action(async (...all: unknown[]) => {
        const cmd = all[all.length - 1] as Command;
        const opts = cmd.opts() as Common;
        const now = opts.at !== undefined ? parseAt(opts.at) : (io.now?.() ?? new Date());
        const ctx: CommandContext = {
          layout: layout(opts.root ?? '/'),
          now,
          secrets: { stdin: io.stdin, prompt: io.stderr },
          progress: (line) => write(io.stderr, `… ${line}`),
          env: io.env,
        };
        const path = cmd.parent && cmd.parent !== program ? `${cmd.parent.name()} ${cmd.name()}` : cmd.name();
        let code: ExitCode = EXIT.failure;
        try {
          const outcome = await run(ctx, opts as never, cmd.args);
          exitCode = code = outcome.exitCode ?? EXIT.ok;
          if (opts.json) write(io.stdout, JSON.stringify({ ok: exitCode === EXIT.ok, exitCode, ...outcome.data }));
          else for (const line of outcome.lines) write(io.stdout, line);
        } catch (e) {
          code = e instanceof ProvisionError ? e.exitCode : EXIT.failure;
          throw e;
        } finally {
          try {
            auditTechnicianCommand(ctx.layout, path, code, now, onRunningKiosk(ctx));
          } catch (e) {
            write(io.stderr, `anjungan-provision: warning: the command was not recorded in the audit trail (${(e as Error).name})`);
          }
        }
      });
    return c;
  };
  const group = (name: string, description: string) => program.command(name).description(description);

  command(
    program,
    'init',
    'create the config and state folders and files (config 0640, state 0700, secrets 0600)',
    [
      'init --kiosk-id KRA-01 --site "BKD Kabupaten Karanganyar" --region-code 33.13',
      'init --kiosk-id KRA-01 --site "BKD Karanganyar" --region-code 33.13 --office-address "Jl. Lawu No. 385" --issuer-key issuer.pem --owner anjungan',
    ],
    (ctx, o: { kioskId: string; site: string; regionCode: string; officeAddress?: string; issuerKey?: string; owner?: string }) =>
      init(ctx, o),
  )
    .requiredOption('--kiosk-id <id>', 'kiosk identifier: letters, digits, -')
    .requiredOption('--site <name>', 'office name where the kiosk stands')
    .requiredOption('--region-code <code>', 'Kemendagri region code of the office, e.g. 33.13')
    .option('--office-address <text>', 'office address (for the operators roster)')
    .option('--issuer-key <file>', 'KTP-el issuer public key (PEM) the kiosk checks card signatures with')
    .option('--owner <user>', "the daemon's user: owns the state folder, its group reads the config");

  const credentials = group('credentials', 'the Dukcapil User ID, password and IP_USER');
  command(
    credentials,
    'set',
    'store the User ID; password and IP_USER are asked without echo (or read from stdin, one per line)',
    [
      'credentials set --user-id BKD-KRA-01',
      'printf \'%s\\n%s\\n\' "$PASSWORD" "$IP_USER" | anjungan-provision credentials set --user-id BKD-KRA-01',
    ],
    (ctx, o: { userId: string }) => setCredentials(ctx, o),
  ).requiredOption('--user-id <id>', 'the User ID Dukcapil issued');
  command(
    credentials,
    'show',
    'which secrets are set and when (never their values)',
    ['credentials show', 'credentials show --json'],
    (ctx) => showCredentials(ctx),
  );

  const agreement = group('agreement', 'the data-access agreement with Disdukcapil and its addenda');
  command(
    agreement,
    'set',
    'record the agreement numbers and period (whole days in WIB, both ends included)',
    ['agreement set --numbers 470/123/2022,027/45/2022 --from 2022-11-10 --until 2024-11-09'],
    (ctx, o: { numbers: string; from: string; until: string }) => setAgreement(ctx, o),
  )
    .requiredOption('--numbers <list>', 'agreement numbers of both parties, separated by commas')
    .requiredOption('--from <date>', 'first day in force, YYYY-MM-DD')
    .requiredOption('--until <date>', 'last day in force, YYYY-MM-DD');
  command(
    agreement,
    'extend',
    'record an addendum that extends the period',
    ['agreement extend --addendum 470/9/2024 --until 2026-11-09'],
    (ctx, o: { addendum: string; until: string }) => extendAgreement(ctx, o),
  )
    .requiredOption('--addendum <number>', 'the addendum number')
    .requiredOption('--until <date>', 'new last day in force, YYYY-MM-DD');
  command(agreement, 'show', 'the agreement, its addenda and its state today', ['agreement show'], (ctx) => showAgreement(ctx)).option(
    '--at <time>',
    'as at this ISO time instead of now',
  );
  command(
    agreement,
    'check',
    'exit 0 in force, 3 ending within 30 days, 4 ended or not started (for a daily timer)',
    ['agreement check', 'agreement check --at 2024-11-09T23:59:00+07:00'],
    (ctx) => checkAgreement(ctx),
  ).option('--at <time>', 'as at this ISO time instead of now');

  const uplink = group('uplink', 'the Dukcapil web service endpoint and its pinned CA');
  command(
    uplink,
    'set',
    'set the endpoint URL, institution segment and the CA to pin',
    [
      'uplink set --url https://10.1.2.3:8443 --institution BKD_KARANGANYAR --ca dukcapil-ca.pem',
      'uplink set --url https://10.1.2.3:8443 --institution BKD_KARANGANYAR --ca ca.pem --spki-pin 3q2+7w...=',
    ],
    (ctx, o: { url: string; institution: string; ca: string; spkiPin?: string }) => setUplink(ctx, o),
  )
    .requiredOption('--url <url>', 'https://host[:port][/prefix]')
    .requiredOption('--institution <segment>', 'the institution path segment Dukcapil assigned')
    .requiredOption('--ca <file>', 'PEM CA certificate the server certificate must chain to')
    .option('--spki-pin <base64>', "optional pin of the server's public key (base64 SHA-256 of its SPKI)");
  command(
    uplink,
    'test',
    'TLS handshake and certificate check against the pinned CA; sends no request, spends no quota',
    ['uplink test'],
    async (ctx) => {
      ctx.progress('TLS handshake with the uplink');
      return testUplink(ctx);
    },
  );

  const network = group('network', "the kiosk's address on the closed network (systemd-networkd)");
  command(
    network,
    'set',
    'DHCP or a fixed address; written to the data partition and applied at once',
    [
      'network set --dhcp',
      'network set --address 10.20.30.41/24 --gateway 10.20.30.1',
      'network set --address 10.20.30.41/24 --gateway 10.20.30.1 --dns 10.20.30.2 --interface end0',
    ],
    (ctx, o: NetworkOptions) => setNetwork(ctx, o),
  )
    .option('--dhcp', 'take the address from DHCP')
    .option('--address <cidr>', 'fixed address with prefix length, e.g. 10.20.30.41/24')
    .option('--gateway <ip>', 'default gateway (with --address)')
    .option('--dns <ips>', 'up to 3 name servers, separated by commas (with --address)')
    .option('--interface <name>', 'the port to configure (default: every Ethernet port)');
  command(network, 'show', 'the network file in force', ['network show'], (ctx) => showNetwork(ctx));

  const time = group('time', "the closed network's NTP servers (systemd-timesyncd); the kiosk serves only with a synchronised clock");
  command(
    time,
    'set',
    'set the NTP servers (IP addresses); the firewall and timesyncd are updated at once',
    ['time set --ntp 10.20.30.5', 'time set --ntp 10.20.30.5,10.20.31.5'],
    (ctx, o: { ntp: string }) => setTime(ctx, o),
  ).requiredOption('--ntp <ips>', 'up to 8 NTP server addresses, separated by commas');
  command(time, 'show', 'the NTP servers and whether the clock is synchronised (read locally)', ['time show'], (ctx) => showTime(ctx));

  const sam = group('sam', "the reader's SAM: its PCID and configuration file from Disdukcapil");
  command(
    sam,
    'install',
    'check the PCID and configuration file, open the SAM exactly once to prove the pair, store both (0600)',
    ['sam install --pcid 0123...ef --config /media/usb/sam-configuration.bin'],
    (ctx, o: { pcid: string; config: string }) => installSam(ctx, o),
  )
    .requiredOption('--pcid <hex>', 'the PCID, 32 bytes as 64 hex digits')
    .requiredOption('--config <file>', 'the SAM configuration file as Disdukcapil delivered it');
  command(
    sam,
    'status',
    'reader, ATR, state and the agreement the SAM serves (the SAM is not opened)',
    ['sam status', 'sam status --json'],
    (ctx) => samStatus(ctx),
  );

  const operators = group('operators', 'staff who may use the kiosk (NDA signed first); PINs from here');
  command(
    operators,
    'add',
    'add an operator; the PIN is asked without echo (or read from stdin)',
    [
      'operators add --user-id budi --name "Budi Contoh" --nip 198001012010011001 --employment-status PNS --position "Pengelola Layanan" --nda-signed 2024-01-15',
    ],
    (ctx, o: AddOptions) => addOperator(ctx, o),
  )
    .requiredOption('--user-id <id>', 'local user ID: lowercase letters, digits, -')
    .requiredOption('--name <name>', 'full name')
    .requiredOption('--nip <nip>', 'NIP, 18 digits')
    .requiredOption('--employment-status <status>', EMPLOYMENT_STATUSES.join(' | '))
    .requiredOption('--position <title>', 'position (jabatan)')
    .option('--nda-signed <date>', 'date the NDA was signed, YYYY-MM-DD (required)');
  command(operators, 'list', 'operators, their NDA date and whether they are active', ['operators list', 'operators list --json'], (ctx) =>
    listOperators(ctx),
  );
  command(
    operators,
    'disable',
    'disable an operator: the PIN stops working (the record stays)',
    ['operators disable budi'],
    (ctx, _o, args) => disableOperator(ctx, args[0]!),
  ).argument('<user-id>', 'the operator to disable');
  command(
    operators,
    'roster',
    'write the User ID request fields (Juknis) of active operators as CSV',
    ['operators roster --out roster.csv'],
    (ctx, o: { out: string }) => writeRoster(ctx, o.out),
  ).requiredOption('--out <file>', 'CSV file to write');

  const returnData = group('return-data', 'data balikan (NIK with NOP PBB-P2 / NPWPD) for Disdukcapil');
  command(
    returnData,
    'export',
    'write the pending entries as XLSX or CSV with a manifest (SHA-256) and mark them exported',
    [
      'return-data export --format xlsx --out /media/KINGSTON',
      'return-data export --format csv --out /media/KINGSTON --from 2026-11-01 --until 2026-11-30 --json',
    ],
    (ctx, o: ReturnDataExportOptions) => exportReturnDataFile(ctx, o),
  )
    .requiredOption('--format <format>', 'xlsx | csv')
    .requiredOption('--out <dir>', 'existing folder to write into (e.g. a mounted USB stick)')
    .option('--from <date>', 'only entries queued from this WIB day, YYYY-MM-DD')
    .option('--until <date>', 'only entries queued until this WIB day (included), YYYY-MM-DD');

  const staffLan = group('staff-lan', 'the staff dashboard on the office LAN (HTTPS only, off by default)');
  command(
    staffLan,
    'enable',
    'install the certificate and key and listen on one LAN address (the service restart applies it)',
    ['staff-lan enable --cert kiosk-kra-01.pem --key kiosk-kra-01.key --listen 192.168.10.20:8443'],
    (ctx, o: { cert: string; key: string; listen: string }) => enableStaffLan(ctx, o),
  )
    .requiredOption('--cert <file>', 'PEM server certificate (with its chain) for the LAN address')
    .requiredOption('--key <file>', 'its PEM private key, unencrypted')
    .requiredOption('--listen <host:port>', "the kiosk's own LAN address and a port, e.g. 192.168.10.20:8443");
  command(staffLan, 'disable', 'stop the LAN listener and erase its key', ['staff-lan disable'], (ctx) => disableStaffLan(ctx));
  command(staffLan, 'show', 'whether the LAN listener is on, where, and any problem with its files', ['staff-lan show'], (ctx) =>
    showStaffLan(ctx),
  );

  const fleet = group('fleet', 'membership of a fleet: one shared quota, data balikan and report for several kiosks');
  command(
    fleet,
    'join',
    'enrol with the fleet using the one-time token its administrator gave (mutual TLS from then on)',
    ['fleet join https://10.20.0.5:8443 TOKEN'],
    (ctx, _o, args) => joinFleetCommand(ctx, args[0]!, args[1]!),
  )
    .argument('<url>', 'https://ADDRESS:PORT of the fleet')
    .argument('<token>', 'the one-time enrolment token');
  command(fleet, 'show', 'whether and where this kiosk is a member of a fleet', ['fleet show'], (ctx) => showFleet(ctx));

  command(
    program,
    'deactivate',
    'end of agreement: write and verify the return package for Disdukcapil, then erase the SAM material and credentials',
    [
      'deactivate --out /media/usb/pengembalian-KRA-01 --reason "Perjanjian berakhir tanpa addendum" --technician "Andi Teknisi"',
      'deactivate --out /media/usb/pengembalian --reason "..." --technician "..." --yes   # scripts: no typed confirmation',
    ],
    (ctx, o: DeactivateOptions) => deactivate(ctx, o),
  )
    .requiredOption('--out <dir>', 'new or empty folder for the return package (e.g. on a USB stick)')
    .requiredOption('--reason <text>', 'why the kiosk is taken down (goes into the letter and the manifest)')
    .requiredOption('--technician <name>', 'who does this (signs the letter)')
    .option('--yes', 'skip the typed confirmation (scripts)');

  const report = group('report', 'reports the agreement asks for, from the kiosk database (read-only)');
  command(
    report,
    'semester',
    'the semester utilisation report (1: January-June, 2: July-December, WIB) as XLSX and PDF',
    ['report semester 2026-2 --out /media/usb/laporan', 'report semester 2026-1 --out . --format xlsx'],
    (ctx, o: SemesterReportOptions, args) => semesterReport(ctx, args[0]!, o),
  )
    .argument('<semester>', 'YYYY-1 or YYYY-2')
    .requiredOption('--out <dir>', 'folder for the report files (created if missing)')
    .option('--format <list>', 'xlsx, pdf or xlsx,pdf', 'xlsx,pdf');

  const update = group(
    'update',
    'software updates: a signed bundle goes into the slot not running, is tried once and stays if it proves itself',
  );
  command(
    update,
    'install',
    'check a signed update bundle (from a USB stick), write it once the kiosk is idle (paused meanwhile), reboot to try it',
    ['update install /media/usb/anjungan-anjungan-rpi4-rpi5-0.2.0-20261206T101500Z.raucb', 'update install bundle.raucb --wait-idle-s 600'],
    (ctx, o: { waitIdleS?: string }, args) => updateInstall(ctx, args[0]!, o),
  )
    .argument('<file>', 'the bundle (.raucb)')
    .option('--wait-idle-s <seconds>', "how long to wait for a taxpayer's session to end (default 1800)");
  command(
    update,
    'pull',
    'from the update folder on the office LAN (config updates.source): download a later release and install it as `update install` does',
    ['update pull', 'update pull --wait-idle-s 600'],
    (ctx, o: { waitIdleS?: string }) => updatePull(ctx, o),
  ).option('--wait-idle-s <seconds>', "how long to wait for a taxpayer's session to end (default 1800)");
  command(
    update,
    'status',
    'the running release, both slots, where the last update stands',
    ['update status', 'update status --json'],
    (ctx) => updateStatus(ctx),
  );
  command(
    update,
    'confirm-boot',
    'judge this boot (anjungan-update-check.service): a release on trial is marked good once it proves itself, else marked bad (exit 5)',
    ['update confirm-boot', 'update confirm-boot --deadline-s 120'],
    (ctx, o: { deadlineS?: string }) => updateConfirmBoot(ctx, o),
  ).option('--deadline-s <seconds>', 'how long a release on trial has to prove itself (default: updates.proofDeadlineS, else 300)');
  command(
    update,
    'check-release',
    "RAUC's pre-install handler: refuse a bundle whose release is not later than the running one",
    ['update check-release "$RAUC_BUNDLE_MOUNT_POINT/manifest.raucm"'],
    (ctx, _o, args) => updateCheckRelease(ctx, args[0]!),
  ).argument('<manifest>', "the bundle's manifest.raucm");

  command(
    program,
    'doctor',
    'one table of checks with pass/fail and the fix for each (looks only, changes nothing)',
    ['doctor', 'doctor --json'],
    (ctx, o: { devicesOnly?: boolean }) => (o.devicesOnly ? doctorDevices(ctx) : doctor(ctx)),
  ).addOption(new Option('--devices-only', "only the device probes (doctor runs them so as the daemon's user)").hideHelp());

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return EXIT.ok;
      if (json) write(io.stdout, JSON.stringify({ ok: false, exitCode: EXIT.badInput, error: e.message }));
      return EXIT.badInput;
    }
    if (e instanceof ProvisionError) return fail(e, json);
    const err = e as NodeJS.ErrnoException;
    return fail(new ProvisionError(EXIT.failure, `unexpected failure: ${err.code ?? err.name}: ${err.message}`), json);
  }
}

function parseAt(value: string): Date {
  const d = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(d.getTime())) {
    throw new ProvisionError(EXIT.badInput, `--at ${JSON.stringify(value)} is not an ISO time, e.g. 2024-11-09T23:59:00+07:00`);
  }
  return d;
}

/** Entry point for the bin launcher and the bundle. */
export async function main(): Promise<void> {
  const code = await runCli(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  });
  process.exitCode = code;
}
