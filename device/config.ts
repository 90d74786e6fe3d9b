/**
 * The kiosk's configuration: a JSON file (production: /etc/anjungan/config.json) checked against
 * a schema, with a few environment overrides for development and tests. It holds no secrets:
 * those live in the credential file in the state folder (store/credentials.ts).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { accessHoursProblems, type AccessHours } from './domain/access-hours.ts';
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import * as Value from 'typebox/value';

/**
 * The fingerprint sensor of a production kiosk: an image sensor through libfprint, captured by our
 * helper program (built from device/fingerprint/capture-helper.c). Demo and pcsc-sim simulate it.
 */
const FingerprintSchema = Type.Object(
  {
    driver: Type.Literal('libfprint'),
    /** Absolute path of the capture helper binary. */
    helperPath: Type.String({ pattern: '^/', maxLength: 4096 }),
    /** Which libfprint device: by driver name (e.g. "uru4000"), then the n-th such device. */
    device: Type.Optional(
      Type.Object(
        { driver: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), index: Type.Integer({ minimum: 0, maximum: 15 }) },
        { additionalProperties: false },
      ),
    ),
    /**
     * The true resolution of sensors by libfprint driver name, over the built-in table
     * (device/fingerprint/sensor-resolution.ts): native dpi and the driver's enlargement.
     */
    sensors: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^[a-z0-9_]{1,64}$' }),
        Type.Object(
          { nativeDpi: Type.Integer({ minimum: 100, maximum: 2000 }), enlargement: Type.Integer({ minimum: 1, maximum: 4 }) },
          { additionalProperties: false },
        ),
        { maxProperties: 32, additionalProperties: false },
      ),
    ),
    /** Where the matcher's minutiae come from: libfprint's NBIS (the default, measured best) or our extractor. */
    minutiae: Type.Optional(Type.Union([Type.Literal('libfprint-nbis'), Type.Literal('own')])),
    /**
     * The operating point: match scores at or above `score` are the same finger; `fmr` is the
     * false match rate per comparison it was calibrated for (docs/fingerprint.md).
     */
    threshold: Type.Optional(
      Type.Object(
        { score: Type.Number({ minimum: 1, maximum: 1000 }), fmr: Type.Number({ exclusiveMinimum: 0, maximum: 0.1 }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const GpioLine = Type.Object(
  {
    chip: Type.String({ minLength: 1, maxLength: 64 }),
    offset: Type.Integer({ minimum: 0, maximum: 1023 }),
    direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
    activeLow: Type.Optional(Type.Boolean()),
    debounceMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);

/**
 * The panel's GPIO: `gpiod` drives the lines named here through the GPIO character device (the
 * image's GPIO helper, libgpiod); `none` is a kiosk without a panel (a bench, a rehearsal),
 * chosen explicitly. Production without this section does not start.
 */
const GpioSchema = Type.Object(
  {
    driver: Type.Union([Type.Literal('gpiod'), Type.Literal('none')]),
    /** The GPIO helper binary (default /usr/lib/anjungan/anjungan-gpio). */
    helperPath: Type.Optional(Type.String({ pattern: '^/', maxLength: 4096 })),
    lines: Type.Optional(
      Type.Object(
        { ledGreen: GpioLine, ledAmber: GpioLine, ledRed: GpioLine, buzzer: GpioLine, readerPower: GpioLine, tamper: GpioLine },
        { additionalProperties: false },
      ),
    ),
    /** Consecutive reader failures before the reader's power is cycled (at most once per 10 min). */
    readerFailuresBeforePowerCycle: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  },
  { additionalProperties: false },
);

/**
 * Delivery of data balikan to Disdukcapil's web service through the uplink's pinned-TLS transport.
 * Production needs `url` and `caFile`; demo modes deliver to the built-in simulator instead.
 */
const ReturnDataDeliverySchema = Type.Object(
  {
    /** Full https URL of the return-data method on the closed network. */
    url: Type.Optional(Type.String({ pattern: '^https://', maxLength: 2048 })),
    caFile: Type.Optional(Type.String({ minLength: 1 })),
    spkiSha256: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' })),
    batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    idleIntervalS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
    retryBaseMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
    retryMaxMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 86_400_000 })),
    /** Tries before an entry the service never settles becomes a dead letter (left for a file export). */
    maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    connectTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60000 })),
    totalTimeoutMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 120000 })),
  },
  { additionalProperties: false },
);

/**
 * The staff dashboard on the office LAN: a second listener, HTTPS only, with a certificate the
 * technician installs (`anjungan-provision staff-lan enable`). Off unless enabled.
 */
const StaffLanSchema = Type.Object(
  {
    enabled: Type.Boolean(),
    /** The kiosk's address on the office LAN (an IP literal, or a name staff type in the browser). */
    host: Type.String({ minLength: 1, maxLength: 253 }),
    /** Not a privileged port: the daemon runs without capabilities (anjungan.service). */
    port: Type.Integer({ minimum: 1024, maximum: 65535 }),
    /** PEM certificate (chain) and private key; readable by the daemon's group only. */
    certFile: Type.String({ pattern: '^/', maxLength: 4096 }),
    keyFile: Type.String({ pattern: '^/', maxLength: 4096 }),
  },
  { additionalProperties: false },
);

const ConfigSchema = Type.Object(
  {
    mode: Type.Union([Type.Literal('demo'), Type.Literal('pcsc-sim'), Type.Literal('production')]),
    stateDir: Type.String({ minLength: 1 }),
    http: Type.Object({ host: Type.String(), port: Type.Integer({ minimum: 0, maximum: 65535 }) }, { additionalProperties: false }),
    logLevel: Type.Union([Type.Literal('fatal'), Type.Literal('error'), Type.Literal('warn'), Type.Literal('info'), Type.Literal('debug')]),
    session: Type.Object(
      {
        idleTimeoutS: Type.Integer({ minimum: 5, maximum: 600 }),
        idleWarningS: Type.Integer({ minimum: 20, maximum: 120 }),
        failureDisplayS: Type.Integer({ minimum: 1, maximum: 60 }),
      },
      { additionalProperties: false },
    ),
    /** Which kiosk this is and where it stands (set by `anjungan-provision init`). */
    kiosk: Type.Optional(
      Type.Object(
        {
          id: Type.String({ pattern: '^[A-Za-z0-9-]{1,32}$' }),
          site: Type.String({ minLength: 1, maxLength: 200 }),
          /** Kemendagri region code of the office, e.g. 33.13 (Kabupaten Karanganyar). */
          regionCode: Type.String({ pattern: '^[0-9]{2}(\\.[0-9]{2}){0,3}$' }),
          officeAddress: Type.Optional(Type.String({ maxLength: 300 })),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * Set when the kiosk was taken down at the end of its agreement (its SAM material and uplink
     * credentials erased): it serves nobody until provisioned again.
     */
    deactivated: Type.Optional(Type.Object({ at: Type.String(), reason: Type.String({ minLength: 1 }) }, { additionalProperties: false })),
    /** The regency's NPWPD pattern (anchored regular expression source). */
    npwpdPattern: Type.String({ minLength: 2 }),
    /** Agreement in force: the kiosk verifies nobody outside it (Pasal 5, addenda extend it). */
    agreement: Type.Object(
      {
        numbers: Type.Array(Type.String()),
        start: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
        end: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
        /** Addenda that extended the period, oldest first; `end` already includes them. */
        addenda: Type.Optional(
          Type.Array(
            Type.Object(
              {
                number: Type.String({ minLength: 1 }),
                until: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }),
                recordedAt: Type.String(),
              },
              { additionalProperties: false },
            ),
          ),
        ),
      },
      { additionalProperties: false },
    ),
    card: Type.Object(
      {
        idReaderPattern: Type.String(),
        samReaderPattern: Type.String(),
        issuerPublicKeyFile: Type.Optional(Type.String()),
        transmitTimeoutMs: Type.Integer({ minimum: 100, maximum: 30000 }),
      },
      { additionalProperties: false },
    ),
    uplink: Type.Object(
      {
        baseUrl: Type.Optional(Type.String({ pattern: '^https://' })),
        institution: Type.String({ pattern: '^[A-Za-z0-9_-]+$' }),
        keyCasing: Type.Union([Type.Literal('upper'), Type.Literal('lower')]),
        method: Type.Union([Type.Literal('CALL_NIK'), Type.Literal('CALL_VERIFY_BY_ELEMEN')]),
        verifyThreshold: Type.Integer({ minimum: 0, maximum: 100 }),
        caFile: Type.Optional(Type.String()),
        spkiSha256: Type.Optional(Type.String()),
        connectTimeoutMs: Type.Integer({ minimum: 100, maximum: 60000 }),
        totalTimeoutMs: Type.Integer({ minimum: 500, maximum: 120000 }),
        dailyQuota: Type.Integer({ minimum: 1 }),
        /**
         * Dukcapil's access hours in WIB (domain/access-hours.ts): outside them the kiosk is out of
         * service and asks nothing (a question then costs a hit and gets code 06).
         */
        accessHours: Type.Optional(
          Type.Object(
            {
              from: Type.String({ pattern: '^[0-9]{2}:[0-9]{2}$' }),
              to: Type.String({ pattern: '^[0-9]{2}:[0-9]{2}$' }),
              weekdays: Type.Optional(
                Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true }),
              ),
            },
            { additionalProperties: false },
          ),
        ),
      },
      { additionalProperties: false },
    ),
    /** Data balikan: delivery by web service (optional: many sites upload files instead) and retention. */
    returnData: Type.Optional(
      Type.Object(
        {
          delivery: Type.Optional(ReturnDataDeliverySchema),
          /** Days a delivered entry is kept before it is deleted (default 30). */
          retentionDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 3650 })),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * Where staff may write data balikan files (the upload and removable-media methods): every
     * folder directly inside a root (a mounted USB stick) is offered, plus `folder` if set.
     */
    returnDataExport: Type.Optional(
      Type.Object(
        {
          /** Absolute folders; a last segment `*` stands for each folder inside (`/run/media/*`: one per user). */
          roots: Type.Array(Type.String({ pattern: '^/', maxLength: 4096 }), { maxItems: 16 }),
          /** A fixed export folder (absolute), e.g. one the office's upload PC shares. */
          folder: Type.Optional(Type.String({ pattern: '^/', maxLength: 4096 })),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * Membership of a fleet (device/fleet/, set by `anjungan-provision fleet join`): the shared
     * quota comes in leases from the fleet, and data balikan is forwarded to it.
     */
    fleet: Type.Optional(
      Type.Object(
        {
          url: Type.String({ pattern: '^https://', maxLength: 200 }),
          kioskId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$' }),
          caFile: Type.String({ minLength: 1, maxLength: 4096 }),
          certFile: Type.String({ minLength: 1, maxLength: 4096 }),
          keyFile: Type.String({ minLength: 1, maxLength: 4096 }),
          /** Hits asked for at once (default 20), and when to ask for more (default 5 left). */
          leaseSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          lowWater: Type.Optional(Type.Integer({ minimum: 0, maximum: 200 })),
          /** How often the heartbeat goes (default 30 s) and the semester figures (default hourly). */
          heartbeatEveryS: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
          figuresEveryS: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400 })),
        },
        { additionalProperties: false },
      ),
    ),
    fingerprint: Type.Optional(FingerprintSchema),
    gpio: Type.Optional(GpioSchema),
    staffLan: Type.Optional(StaffLanSchema),
    /** Other destinations the egress firewall allows (IP literals: it is loaded before DNS works). */
    egress: Type.Optional(
      Type.Object(
        {
          returnDataUrl: Type.Optional(Type.String({ pattern: '^https://' })),
          ntpServers: Type.Array(Type.String({ minLength: 2, maxLength: 45 }), { maxItems: 8 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** Software updates (docs/updates.md): how long a new release has to prove itself after its
     * first boot, and an optional HTTPS folder on the office LAN to pull signed bundles from. */
    updates: Type.Optional(
      Type.Object(
        {
          proofDeadlineS: Type.Optional(Type.Integer({ minimum: 30, maximum: 3600 })),
          source: Type.Optional(
            Type.Object(
              {
                /** The folder: `https://IP[:port]/path/` (the egress firewall allows that address only). */
                url: Type.String({ pattern: '^https://', maxLength: 2048 }),
                /** The pinned CA of the folder's server; only certificates chaining to it are accepted. */
                caFile: Type.String({ pattern: '^/', maxLength: 4096 }),
                spkiSha256: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' })),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    /**
     * The clock (production): the kiosk validates nobody until NTP has synchronised it. The flag
     * is the file systemd-timesyncd creates then; tests and rehearsals point it elsewhere.
     */
    clock: Type.Optional(
      Type.Object({ synchronisedFlag: Type.Optional(Type.String({ pattern: '^/', maxLength: 4096 })) }, { additionalProperties: false }),
    ),
    /** Free space on the data partition: below `lowMb` staff are alerted, below `reserveMb` the kiosk stops serving. */
    disk: Type.Optional(
      Type.Object(
        {
          lowMb: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
          reserveMb: Type.Optional(Type.Integer({ minimum: 1, maximum: 65536 })),
        },
        { additionalProperties: false },
      ),
    ),
    /** The semester report's PDF: the Chromium binary that prints it and how long it may take. */
    report: Type.Optional(
      Type.Object(
        {
          chromiumPath: Type.Optional(Type.String({ pattern: '^/', maxLength: 4096 })),
          pdfTimeoutS: Type.Optional(Type.Integer({ minimum: 5, maximum: 600 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export type KioskConfig = Static<typeof ConfigSchema>;
export type FingerprintConfig = Static<typeof FingerprintSchema>;
export type GpioConfig = Static<typeof GpioSchema>;
export type StaffLanConfig = Static<typeof StaffLanSchema>;
export type ReturnDataDeliveryConfig = Static<typeof ReturnDataDeliverySchema>;

/** What production needs that the schema leaves optional (demo modes run without it). */
export type ProductionConfig = KioskConfig & {
  mode: 'production';
  uplink: KioskConfig['uplink'] & { baseUrl: string; caFile: string };
  card: KioskConfig['card'] & { issuerPublicKeyFile: string };
  fingerprint: FingerprintConfig;
  gpio: GpioConfig;
  returnData?: { delivery?: ReturnDataDeliveryConfig & { url: string; caFile: string }; retentionDays?: number };
};

const out = (offset: number) => ({ chip: 'pinctrl-bcm2711', offset, direction: 'out' as const });
/** The reference enclosure on a Raspberry Pi 4: its panel lines by chip label and offset. */
export const REFERENCE_PANEL_GPIO: GpioConfig = {
  driver: 'gpiod',
  lines: {
    ledGreen: out(17),
    ledAmber: out(27),
    ledRed: out(22),
    buzzer: out(23),
    readerPower: out(24),
    tamper: { chip: 'pinctrl-bcm2711', offset: 25, direction: 'in', debounceMs: 50 },
  },
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`configuration is not valid: ${problems.join('; ')}`);
  }
}

/** Demo defaults: a developer machine, every device simulated, an agreement in force today. */
export function demoDefaults(today: Date): KioskConfig {
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const yearAgo = new Date(today.getTime() - 365 * 86_400_000);
  const yearAhead = new Date(today.getTime() + 365 * 86_400_000);
  return {
    mode: 'demo',
    stateDir: 'state',
    http: { host: '127.0.0.1', port: 8080 },
    logLevel: 'info',
    session: { idleTimeoutS: 60, idleWarningS: 20, failureDisplayS: 6 },
    npwpdPattern: '^P\\.[12]\\.[0-9]{7}\\.[0-9]{2}\\.[0-9]{2}$',
    agreement: { numbers: ['DEMO/AGREEMENT/1', 'DEMO/AGREEMENT/2'], start: iso(yearAgo), end: iso(yearAhead) },
    card: { idReaderPattern: 'PCD 00 00|PICC|Contactless', samReaderPattern: 'PCD 00 01|SAM', transmitTimeoutMs: 5000 },
    uplink: {
      institution: 'BKD_KARANGANYAR',
      keyCasing: 'upper',
      method: 'CALL_NIK',
      verifyThreshold: 90,
      connectTimeoutMs: 3000,
      totalTimeoutMs: 10000,
      dailyQuota: 1000,
    },
  };
}

const ENV_OVERRIDES: Array<[string, (c: KioskConfig, v: string) => void]> = [
  ['ANJUNGAN_MODE', (c, v) => (c.mode = v as KioskConfig['mode'])],
  ['ANJUNGAN_STATE_DIR', (c, v) => (c.stateDir = v)],
  ['ANJUNGAN_HOST', (c, v) => (c.http.host = v)],
  ['ANJUNGAN_PORT', (c, v) => (c.http.port = Number(v))],
  ['ANJUNGAN_LOG_LEVEL', (c, v) => (c.logLevel = v as KioskConfig['logLevel'])],
  ['ANJUNGAN_IDLE_TIMEOUT_S', (c, v) => (c.session.idleTimeoutS = Number(v))],
  ['ANJUNGAN_DAILY_QUOTA', (c, v) => (c.uplink.dailyQuota = Number(v))],
];

/**
 * Loads the file named by ANJUNGAN_CONFIG (if any) over the demo defaults, then the environment
 * overrides, and checks the result. Production requires a file.
 */
export function loadConfig(env: NodeJS.ProcessEnv, today: Date): KioskConfig {
  const config = demoDefaults(today);
  if (env.ANJUNGAN_CONFIG) {
    let file: unknown;
    try {
      file = JSON.parse(readFileSync(env.ANJUNGAN_CONFIG, 'utf8'));
    } catch {
      throw new ConfigError([`cannot read ${env.ANJUNGAN_CONFIG} as JSON`]);
    }
    deepMerge(config as unknown as Record<string, unknown>, file);
  }
  for (const [name, apply] of ENV_OVERRIDES) {
    const v = env[name];
    if (v !== undefined && v !== '') apply(config, v);
  }
  const problems = configProblems(config);
  if (config.mode === 'production') {
    if (!env.ANJUNGAN_CONFIG) problems.push('production needs ANJUNGAN_CONFIG');
    problems.push(...productionProblems(config));
  }
  if (problems.length === 0 && config.staffLan?.enabled) problems.push(...readStaffLanTls(config.staffLan, today).problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** What a production configuration lacks beyond the schema's rules. */
function productionProblems(config: KioskConfig): string[] {
  const problems: string[] = [];
  if (!config.uplink.baseUrl) problems.push('/uplink/baseUrl is required in production');
  if (!config.uplink.caFile) problems.push('/uplink/caFile is required in production');
  if (!config.card.issuerPublicKeyFile) problems.push('/card/issuerPublicKeyFile is required in production');
  if (!config.fingerprint)
    problems.push(
      '/fingerprint is required in production: {"driver": "libfprint", "helperPath": "/usr/lib/anjungan/anjungan-fprint-capture"}',
    );
  const delivery = config.returnData?.delivery;
  if (delivery && (!delivery.url || !delivery.caFile)) problems.push('/returnData/delivery needs url and caFile in production');
  if (!config.gpio)
    problems.push(
      '/gpio is required in production: {"driver": "gpiod", "lines": {...}} for the panel, or {"driver": "none"} for a kiosk without one',
    );
  return problems;
}

/** The configuration as production reads it: loadConfig checked it; a config built in code is checked here. */
export function productionConfig(config: KioskConfig): ProductionConfig {
  const problems = config.mode === 'production' ? productionProblems(config) : ['the production devices need mode "production"'];
  if (problems.length > 0) throw new ConfigError(problems);
  return config as ProductionConfig;
}

/** The staff LAN listener's certificate and key, read and checked as a pair. */
export interface StaffLanTls {
  cert: string;
  key: string;
}

/**
 * Reads the LAN listener's certificate and key: both readable PEM, the key the certificate's,
 * the certificate not expired. The daemon refuses to start on any problem: a LAN listener
 * without TLS is never the fallback.
 */
export function readStaffLanTls(lan: StaffLanConfig, now = new Date()): { tls: StaffLanTls | null; problems: string[] } {
  const read = (path: string, what: string): string | null => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      problems.push(`/staffLan/${what} ${path} cannot be read`);
      return null;
    }
  };
  const problems: string[] = [];
  const cert = read(lan.certFile, 'certFile');
  const key = read(lan.keyFile, 'keyFile');
  if (cert === null || key === null) return { tls: null, problems };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    return { tls: null, problems: ['/staffLan/certFile is not a PEM certificate'] };
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    return { tls: null, problems: ['/staffLan/keyFile is not a PEM private key (or it is encrypted)'] };
  }
  if (!x509.checkPrivateKey(privateKey)) problems.push('/staffLan/keyFile is not the key of /staffLan/certFile');
  if (Date.parse(x509.validTo) <= now.getTime())
    problems.push(`/staffLan/certFile expired on ${new Date(x509.validTo).toISOString().slice(0, 10)}`);
  return problems.length > 0 ? { tls: null, problems } : { tls: { cert, key }, problems };
}

/** What is wrong with a whole configuration, by the file's own rules (provisioning checks with it too). */
export function configProblems(config: unknown): string[] {
  const problems = [...Value.Errors(ConfigSchema, config)].map((e) => `${e.instancePath || '/'} ${e.message}`);
  const gpio = (config as { gpio?: { driver?: unknown; lines?: unknown } } | null)?.gpio;
  if (gpio?.driver === 'gpiod' && !gpio.lines) problems.push('/gpio/lines is required with driver "gpiod"');
  // The kiosk listener serves the screen, its stream (personal data) and the PIN routes to the
  // kiosk's own browser: over plain HTTP, so never beyond loopback (the LAN has its own listener).
  const host = (config as { http?: { host?: unknown } } | null)?.http?.host;
  if (typeof host === 'string' && !isLoopbackHost(host))
    problems.push('/http/host must be a loopback address (127.0.0.1, ::1 or localhost): the office LAN has the staff LAN listener');
  const hours = (config as { uplink?: { accessHours?: AccessHours } } | null)?.uplink?.accessHours;
  if (hours && typeof hours.from === 'string' && typeof hours.to === 'string') problems.push(...accessHoursProblems(hours));
  const pattern = (config as { npwpdPattern?: unknown } | null)?.npwpdPattern;
  try {
    new RegExp(String(pattern));
  } catch {
    problems.push('/npwpdPattern is not a regular expression');
  }
  return problems;
}

function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || (isIP(h) === 4 && h.startsWith('127.'));
}

function deepMerge(target: Record<string, unknown>, source: unknown): void {
  if (typeof source !== 'object' || source === null || Array.isArray(source))
    throw new ConfigError(['the config file must hold a JSON object']);
  for (const [k, v] of Object.entries(source)) {
    const t = target[k];
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && typeof t === 'object' && t !== null && !Array.isArray(t)) {
      deepMerge(t as Record<string, unknown>, v);
    } else {
      target[k] = v;
    }
  }
}
