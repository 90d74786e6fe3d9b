/** The registry endpoint from the `uplink` section: its shape and times, and in production its address and CA. */
import { readFileSync } from 'node:fs';
import type { KioskConfig, ProductionConfig } from '../config.ts';
import type { UplinkEndpoint } from './endpoint.ts';

type RequestShape = Pick<UplinkEndpoint, 'keyCasing' | 'method' | 'verifyThreshold' | 'connectTimeoutMs' | 'totalTimeoutMs'>;

/** How requests are written and how long they may take: the same for the registry and its simulator. */
export function uplinkRequestShape(uplink: KioskConfig['uplink']): RequestShape {
  return {
    keyCasing: uplink.keyCasing,
    method: uplink.method,
    verifyThreshold: uplink.verifyThreshold,
    connectTimeoutMs: uplink.connectTimeoutMs,
    totalTimeoutMs: uplink.totalTimeoutMs,
  };
}

/** The one registry endpoint on the closed network, with its pinned CA read from the configured file. */
export function uplinkEndpointFromConfig(uplink: ProductionConfig['uplink']): UplinkEndpoint {
  return {
    baseUrl: uplink.baseUrl,
    institution: uplink.institution,
    caPem: readFileSync(uplink.caFile, 'utf8'),
    ...(uplink.spkiSha256 ? { spkiSha256: uplink.spkiSha256 } : {}),
    ...uplinkRequestShape(uplink),
  };
}
