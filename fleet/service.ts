/**
 * One fleet instance: a connection pool, the HTTPS listener, the data balikan delivery worker and
 * the retention pass. Run two (or more) against one PostgreSQL behind one address: they share
 * nothing but the database, so either answers any kiosk and either may stop at any time.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Logger } from '../device/log.ts';
import type { ReturnDataEndpoint } from '../device/return-data/delivery.ts';
import type { DukcapilCredentials } from '../device/uplink/endpoint.ts';
import { DEFAULT_PDF_PRINTER, type PdfPrinterOptions } from '../device/report/pdf.ts';
import { AdminAuth } from './admin/auth.ts';
import { Enrolment } from './enrolment.ts';
import { createPool, type DatabaseConnection } from './postgres/pool.ts';
import { migrate } from './postgres/schema.ts';
import { DEFAULT_QUOTA, QuotaLeases, type QuotaSettings } from './quota/leases.ts';
import {
  DEFAULT_FLEET_DELIVERY,
  FleetReturnData,
  startFleetDelivery,
  type FleetDelivery,
  type FleetDeliverySettings,
} from './return-data.ts';
import { buildFleetApp, type FleetTls } from './server.ts';

export interface FleetInstanceConfig {
  database: DatabaseConnection;
  /** Where this instance listens. */
  listen: { host: string; port: number };
  /** The one address kiosks and browsers use (a balancer in front of the instances, or the instance itself). */
  publicAddress: { host: string; port: number };
  tls: FleetTls & { caKeyFile: string };
  quota: QuotaSettings;
  /** 32 bytes: the fleet's data balikan entries are sealed under it, as on the kiosk. */
  outboxKey: Buffer;
  /** Delivery to Disdukcapil by web service, when the site uses it (else export only). */
  delivery: { endpoint: ReturnDataEndpoint; credentials: DukcapilCredentials; settings?: Partial<FleetDeliverySettings> } | null;
  retentionDays: number;
  report: { agreementNumbers: string[]; pdf?: PdfPrinterOptions };
  kioskCertificateDays: number;
  uiDir: string;
  silentAfterMs?: number;
  poolSize?: number;
}

export interface FleetInstance {
  port: number;
  instance: string;
  pool: Pool;
  leases: QuotaLeases;
  delivery: FleetDelivery | null;
  close(): Promise<void>;
}

const PURGE_EVERY_MS = 3_600_000;

export async function startFleetInstance(
  config: FleetInstanceConfig,
  logger: Logger,
  now: () => Date = () => new Date(),
): Promise<FleetInstance> {
  const instance = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const log = logger.child({ component: 'fleet', instance });
  const pool = createPool(config.database, { max: config.poolSize ?? 10 });
  const closers: Array<() => Promise<void> | void> = [() => pool.end()];
  const close = async () => {
    for (const c of closers.reverse()) await Promise.resolve(c()).catch(() => undefined);
  };
  try {
    await migrate(pool);
    const leases = new QuotaLeases(pool, config.quota, now);
    const returnData = new FleetReturnData(pool, config.outboxKey, now);
    const enrolment = new Enrolment(pool, { caPem: config.tls.caPem, caKeyFile: config.tls.caKeyFile }, config.kioskCertificateDays, now);
    const app = await buildFleetApp({
      pool,
      leases,
      enrolment,
      returnData,
      auth: new AdminAuth(pool, now),
      tls: config.tls,
      publicAddress: config.publicAddress,
      report: {
        agreementNumbers: config.report.agreementNumbers,
        dailyQuota: config.quota.dailyLimit,
        pdf: config.report.pdf ?? DEFAULT_PDF_PRINTER,
      },
      uiDir: config.uiDir,
      silentAfterMs: config.silentAfterMs ?? 120_000,
      instance,
      now,
      logger: log,
    });
    closers.push(() => app.close());
    await app.listen({ host: config.listen.host, port: config.listen.port });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.listen.port;

    let delivery: FleetDelivery | null = null;
    if (config.delivery) {
      delivery = startFleetDelivery({
        pool,
        returnData,
        endpoint: config.delivery.endpoint,
        credentials: config.delivery.credentials,
        settings: { ...DEFAULT_FLEET_DELIVERY, ...config.delivery.settings },
        now,
        logger: log.child({ component: 'returnData' }),
      });
      const d = delivery;
      closers.push(() => d.stop());
    }
    const purge = () =>
      returnData.purgeSettled(config.retentionDays).then(
        (n) => n > 0 && log.info({ event: 'fleetReturnDataPurged', count: n }, 'settled data balikan purged after retention'),
        (e: Error) =>
          log.error({ event: 'fleetReturnDataPurgeFailed', error: e.name }, 'data balikan purge failed: tried again within the hour'),
      );
    void purge();
    const timer = setInterval(() => void purge(), PURGE_EVERY_MS);
    timer.unref();
    closers.push(() => clearInterval(timer));
    log.info({ event: 'fleetReady', port }, 'fleet instance ready');
    return { port, instance, pool, leases, delivery, close };
  } catch (e) {
    await close();
    throw e;
  }
}

export { DEFAULT_QUOTA };
