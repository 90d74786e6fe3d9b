/**
 * The fleet instance's configuration file (ANJUNGAN_FLEET_CONFIG, production
 * /etc/anjungan-fleet/config.json), checked against its schema. Files it names (TLS, CA key,
 * outbox key, Dukcapil credentials) are read at start; relative paths are relative to the file.
 * Every instance behind the address gets the same file.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import * as Value from 'typebox/value';
import { DEFAULT_QUOTA } from './quota/leases.ts';
import type { FleetInstanceConfig } from './service.ts';

const Port = Type.Integer({ minimum: 0, maximum: 65535 });
export const FleetConfigSchema = Type.Object(
  {
    listen: Type.Object({ host: Type.String({ minLength: 1 }), port: Port }, { additionalProperties: false }),
    publicAddress: Type.Object({ host: Type.String({ minLength: 1 }), port: Port }, { additionalProperties: false }),
    database: Type.Object(
      {
        host: Type.String({ minLength: 1 }),
        port: Port,
        database: Type.String({ minLength: 1 }),
        user: Type.String({ minLength: 1 }),
        passwordFile: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    tls: Type.Object(
      { certFile: Type.String(), keyFile: Type.String(), caFile: Type.String(), caKeyFile: Type.String() },
      { additionalProperties: false },
    ),
    quota: Type.Optional(
      Type.Object(
        {
          dailyLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
          maxLeaseSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          leaseTtlS: Type.Optional(Type.Integer({ minimum: 10, maximum: 86_400 })),
          maxOutstandingPerKiosk: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
        },
        { additionalProperties: false },
      ),
    ),
    outboxKeyFile: Type.String(),
    returnData: Type.Optional(
      Type.Object(
        {
          retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          delivery: Type.Optional(
            Type.Object(
              {
                url: Type.String({ pattern: '^https://' }),
                caFile: Type.String(),
                spkiSha256: Type.Optional(Type.String()),
                credentialsFile: Type.String(),
                connectTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
                totalTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000 })),
                batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
                retryBaseMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600_000 })),
                maxAttempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
                idleIntervalMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 3_600_000 })),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    report: Type.Optional(
      Type.Object(
        { agreementNumbers: Type.Array(Type.String({ maxLength: 80 }), { maxItems: 20 }), chromiumPath: Type.Optional(Type.String()) },
        { additionalProperties: false },
      ),
    ),
    kioskCertificateDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    uiDir: Type.Optional(Type.String()),
    poolSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  },
  { additionalProperties: false },
);
export type FleetConfigFile = Static<typeof FleetConfigSchema>;

export class FleetConfigError extends Error {
  override readonly name = 'FleetConfigError';
}

export function loadFleetConfig(file: string, defaultUiDir: string): FleetInstanceConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new FleetConfigError(`${file} cannot be read as JSON`);
  }
  if (!Value.Check(FleetConfigSchema, raw)) {
    const first = [...Value.Errors(FleetConfigSchema, raw)][0];
    throw new FleetConfigError(`${file}: ${first ? `${first.instancePath || '/'} ${first.message}` : 'not valid'}`);
  }
  const c = raw as FleetConfigFile;
  const base = dirname(resolve(file));
  const read = (p: string) => {
    try {
      return readFileSync(resolve(base, p), 'utf8');
    } catch {
      throw new FleetConfigError(`${p} (named in ${file}) cannot be read`);
    }
  };
  const outboxKey = Buffer.from(read(c.outboxKeyFile).trim(), 'hex');
  if (outboxKey.length !== 32) throw new FleetConfigError('outboxKeyFile must hold 64 hex digits (32 bytes)');
  const d = c.returnData?.delivery;
  let delivery: FleetInstanceConfig['delivery'] = null;
  if (d) {
    const credentials = JSON.parse(read(d.credentialsFile)) as { userId: string; password: string; ipUser: string };
    delivery = {
      endpoint: {
        url: d.url,
        caPem: read(d.caFile),
        ...(d.spkiSha256 ? { spkiSha256: d.spkiSha256 } : {}),
        connectTimeoutMs: d.connectTimeoutMs ?? 5_000,
        totalTimeoutMs: d.totalTimeoutMs ?? 30_000,
      },
      credentials,
      settings: {
        ...(d.batchSize ? { batchSize: d.batchSize } : {}),
        ...(d.retryBaseMs ? { retryBaseMs: d.retryBaseMs } : {}),
        ...(d.maxAttempts ? { maxAttempts: d.maxAttempts } : {}),
        ...(d.idleIntervalMs ? { idleIntervalMs: d.idleIntervalMs } : {}),
      },
    };
  }
  const q = c.quota ?? {};
  return {
    database: { ...c.database, ...(c.database.passwordFile ? { password: read(c.database.passwordFile).trim() } : {}) },
    listen: c.listen,
    publicAddress: c.publicAddress,
    tls: {
      certPem: read(c.tls.certFile),
      keyPem: read(c.tls.keyFile),
      caPem: read(c.tls.caFile),
      caKeyFile: resolve(base, c.tls.caKeyFile),
    },
    quota: {
      dailyLimit: q.dailyLimit ?? DEFAULT_QUOTA.dailyLimit,
      maxLeaseSize: q.maxLeaseSize ?? DEFAULT_QUOTA.maxLeaseSize,
      leaseTtlMs: (q.leaseTtlS ?? DEFAULT_QUOTA.leaseTtlMs / 1000) * 1000,
      maxOutstandingPerKiosk: q.maxOutstandingPerKiosk ?? DEFAULT_QUOTA.maxOutstandingPerKiosk,
    },
    outboxKey,
    delivery,
    retentionDays: c.returnData?.retentionDays ?? 30,
    report: {
      agreementNumbers: c.report?.agreementNumbers ?? [],
      ...(c.report?.chromiumPath ? { pdf: { chromiumPath: c.report.chromiumPath, timeoutMs: 60_000 } } : {}),
    },
    kioskCertificateDays: c.kioskCertificateDays ?? 730,
    uiDir: c.uiDir ? resolve(base, c.uiDir) : defaultUiDir,
    ...(c.poolSize ? { poolSize: c.poolSize } : {}),
  };
}
