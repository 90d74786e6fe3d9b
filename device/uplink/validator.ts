/**
 * The validator: one quota hit, one request to the registry over the closed network, one typed
 * outcome with a per-field comparison. The order of a validation is fixed:
 *   breaker open? -> unavailable (no hit)
 *   reserve a hit -> none granted? quotaReached (no request; staff alerted if the day is used up)
 *   send -> a failure before the request could leave releases the hit; anything later keeps it
 *   parse, compare.
 * There is never an automatic retry: a second attempt is a new session and a new hit.
 * Logs carry outcome codes, HTTP status, timings and quota figures; never a NIK, a field value,
 * a credential or a response body.
 */
import { DeviceError } from '../domain/failure.ts';
import { QUOTA_ALERT_LEVELS, quotaLevelReached, type QuotaAlertLevel } from '../domain/quota.ts';
import type { PersonData } from '../domain/record.ts';
import type { Logger } from '../log.ts';
import type { ClockPort, UplinkHealth, ValidatorPort } from '../flow/ports.ts';
import type { RegistryOutcome } from '../domain/registry.ts';
import { CircuitBreaker } from './breaker.ts';
import { compareByElements, compareWithRegistry, verdictFromFields } from './compare.ts';
import { checkCredentials, resolveTarget, type DukcapilCredentials, type UplinkEndpoint } from './endpoint.ts';
import type { QuotaLedger, QuotaUsage } from './quota-ledger.ts';
import { buildRequestBody } from './request.ts';
import { parseRegistryResponse } from './response.ts';
import { createTransport, type TransportResult } from './transport.ts';

export type { DukcapilCredentials, UplinkEndpoint } from './endpoint.ts';

/** Consecutive transport failures that open the breaker. */
export const BREAKER_FAILURE_THRESHOLD = 3;

export interface Validator extends ValidatorPort {
  /** TLS handshake with the endpoint only; moves an open breaker to half-open on success. */
  probe(): Promise<boolean>;
  close(): void;
}

export function createValidator(opts: {
  endpoint: UplinkEndpoint;
  credentials: DukcapilCredentials;
  ledger: QuotaLedger;
  clock: ClockPort;
  logger: Logger;
  onQuotaAlert?: (level: QuotaAlertLevel, used: number, limit: number) => void;
}): Validator {
  const { endpoint, credentials, ledger, clock, logger } = opts;
  const target = resolveTarget(endpoint);
  checkCredentials(credentials);
  const path = target.pathFor(endpoint.method);
  const transport = createTransport(
    target,
    { caPem: endpoint.caPem, ...(endpoint.spkiSha256 ? { spkiSha256: endpoint.spkiSha256 } : {}) },
    { connectTimeoutMs: endpoint.connectTimeoutMs, totalTimeoutMs: endpoint.totalTimeoutMs },
  );
  const breaker = new CircuitBreaker(BREAKER_FAILURE_THRESHOLD, (from, to) =>
    logger.warn({ event: 'uplink.breaker', from, to }, 'uplink circuit breaker changed state'),
  );
  const alerted = new Set<string>();

  function alert(level: QuotaAlertLevel, usage: QuotaUsage): void {
    const key = `${usage.day}:${level}`;
    if (alerted.has(key)) return;
    alerted.add(key);
    logger.warn({ event: 'uplink.quotaAlert', level, used: usage.used, limit: usage.limit }, 'quota alert');
    try {
      opts.onQuotaAlert?.(level, usage.used, usage.limit);
    } catch {
      logger.error({ event: 'uplink.quotaAlertFailed', level }, 'quota alert callback threw');
    }
  }

  function alertOnUsage(usage: QuotaUsage): void {
    // Highest first: a jump over several levels logs the one that matters first.
    for (const level of [...QUOTA_ALERT_LEVELS].reverse()) if (quotaLevelReached(usage, level)) alert(level, usage);
  }

  async function validate(card: PersonData, signal: AbortSignal): Promise<RegistryOutcome> {
    signal.throwIfAborted();
    if (!/^[0-9]{16}$/.test(card.nik)) {
      throw new DeviceError('cardUnreadable', 'card NIK is not 16 digits; nothing sent');
    }
    const started = clock.now().getTime();
    const log = (fields: Record<string, unknown>, outcome: RegistryOutcome['kind'] | 'aborted') =>
      logger.info(
        { event: 'uplink.validate', method: endpoint.method, outcome, durationMs: clock.now().getTime() - started, ...fields },
        'validation finished',
      );

    if (!breaker.allowsRequest()) {
      log({ breaker: 'open' }, 'unavailable');
      return { kind: 'unavailable' };
    }
    const reservation = await ledger.reserve();
    if (!reservation.granted) {
      // Alerted only if the ledger says the day is used up (a fleet kiosk may be waiting for a lease).
      alertOnUsage(reservation.usage);
      log({ quotaUsed: reservation.usage.used, quotaLimit: reservation.usage.limit }, 'quotaReached');
      return { kind: 'quotaReached' };
    }
    alertOnUsage(reservation.usage);
    const id = reservation.id;
    if (signal.aborted) {
      await ledger.release(id);
      signal.throwIfAborted();
    }

    const result = await transport.post(path, buildRequestBody(endpoint, credentials, card), {
      signal,
      onSent: () => {
        ledger.markSent(id).catch(() => logger.error({ event: 'uplink.ledgerMarkFailed' }, 'could not mark quota hit as sent'));
      },
    });
    if (result.kind === 'failure' && !result.sent) await ledger.release(id);
    if (result.kind === 'failure' && result.failure === 'aborted') {
      log({ sent: result.sent }, 'aborted');
      signal.throwIfAborted();
    }
    const outcome = interpret(result, card);
    log(describe(result), outcome.kind);
    return outcome;
  }

  function interpret(result: TransportResult, card: PersonData): RegistryOutcome {
    if (result.kind === 'failure') {
      if (result.failure === 'bodyTooLarge') {
        breaker.recordSuccess();
        return { kind: 'serviceError' };
      }
      breaker.recordFailure();
      return { kind: 'unavailable' };
    }
    if (result.statusCode >= 500) breaker.recordFailure();
    else breaker.recordSuccess();
    const answer = parseRegistryResponse(result.statusCode, result.body, endpoint.verifyThreshold);
    switch (answer.kind) {
      case 'record':
        return verdictFromFields(compareWithRegistry(card, answer.record));
      case 'elements':
        return verdictFromFields(compareByElements(card, answer.elements));
      case 'outcome':
        if (answer.problem)
          logger.warn(
            { event: 'uplink.serviceProblem', problem: answer.problem, httpStatus: result.statusCode },
            'registry answer unusable',
          );
        return answer.outcome;
    }
  }

  function describe(result: TransportResult): Record<string, unknown> {
    return result.kind === 'failure'
      ? { failure: result.failure, sent: result.sent }
      : { httpStatus: result.statusCode, quota: ledger.usage().used };
  }

  async function probe(): Promise<boolean> {
    const ok = await transport.handshake();
    breaker.recordProbe(ok);
    logger.info({ event: 'uplink.probe', ok, breaker: breaker.state() }, 'uplink handshake probe');
    return ok;
  }

  function health(): UplinkHealth {
    return { breaker: breaker.state(), quota: ledger.usage() };
  }

  return { validate, health, probe, close: () => transport.close() };
}
