/** Data balikan delivery and retention from the `returnData` section. */
import { readFileSync } from 'node:fs';
import type { KioskConfig, ProductionConfig, ReturnDataDeliveryConfig } from '../config.ts';
import type { AuditPort, ClockPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import type { ReturnDataOutbox } from '../store/return-data-outbox.ts';
import type { DukcapilCredentials } from '../uplink/endpoint.ts';
import { DEFAULT_DELIVERY, startReturnDataDelivery, type DeliverySettings, type ReturnDataEndpoint } from './delivery.ts';
import { DEFAULT_RETENTION_DAYS, startReturnDataRetention } from './retention.ts';

/** A delivery's own timeouts, else the uplink's. */
export function deliveryTimeouts(delivery: ReturnDataDeliveryConfig, uplink: KioskConfig['uplink']) {
  return {
    connectTimeoutMs: delivery.connectTimeoutMs ?? uplink.connectTimeoutMs,
    totalTimeoutMs: delivery.totalTimeoutMs ?? uplink.totalTimeoutMs,
  };
}

/** The configured Disdukcapil method, with its pinned CA read from the configured file. */
export function deliveryEndpointFromConfig(
  delivery: NonNullable<NonNullable<ProductionConfig['returnData']>['delivery']>,
  uplink: KioskConfig['uplink'],
): ReturnDataEndpoint {
  return {
    url: delivery.url,
    caPem: readFileSync(delivery.caFile, 'utf8'),
    ...(delivery.spkiSha256 ? { spkiSha256: delivery.spkiSha256 } : {}),
    ...deliveryTimeouts(delivery, uplink),
  };
}

export function deliverySettingsFromConfig(delivery: ReturnDataDeliveryConfig): DeliverySettings {
  return {
    ...DEFAULT_DELIVERY,
    maxEntryAttempts: delivery.maxAttempts ?? DEFAULT_DELIVERY.maxEntryAttempts,
    batchSize: delivery.batchSize ?? DEFAULT_DELIVERY.batchSize,
    idleIntervalMs: (delivery.idleIntervalS ?? DEFAULT_DELIVERY.idleIntervalMs / 1000) * 1000,
    retryBaseMs: delivery.retryBaseMs ?? DEFAULT_DELIVERY.retryBaseMs,
    retryMaxMs: delivery.retryMaxMs ?? DEFAULT_DELIVERY.retryMaxMs,
  };
}

/**
 * The outbox's background work: delivery by web service where the device set offers an
 * endpoint (many sites upload files instead), and retention always. Returns the stop.
 */
export function startReturnDataWork(
  config: Pick<KioskConfig, 'returnData'>,
  deps: {
    service: { endpoint: ReturnDataEndpoint; credentials: DukcapilCredentials } | null;
    outbox: ReturnDataOutbox;
    audit: AuditPort;
    clock: ClockPort;
    logger: Logger;
    /** Entries given up on after every try (dead letters): staff are told. */
    onDeadLettered: () => void;
  },
): () => Promise<void> {
  const logger = deps.logger.child({ component: 'returnData' });
  const delivery = config.returnData?.delivery;
  const worker =
    deps.service && delivery
      ? startReturnDataDelivery({
          ...deps.service,
          outbox: deps.outbox,
          clock: deps.clock,
          logger,
          audit: deps.audit,
          onDeadLettered: deps.onDeadLettered,
          settings: deliverySettingsFromConfig(delivery),
        })
      : null;
  const stopRetention = startReturnDataRetention({
    outbox: deps.outbox,
    retentionDays: config.returnData?.retentionDays ?? DEFAULT_RETENTION_DAYS,
    logger,
  });
  return async () => {
    stopRetention();
    await worker?.stop();
  };
}
