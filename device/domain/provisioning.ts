/**
 * What a production kiosk needs before it can serve, one item per thing a technician sets with
 * `anjungan-provision`. A kiosk lacking any of them starts out of service (`notProvisioned`) and
 * its screen lists them (device/provisioning-state.ts finds them).
 */
export const PROVISIONING_ITEMS = [
  'config',
  'configInvalid',
  'credentials',
  'dukcapilCredentials',
  'uplink',
  'issuerKey',
  'agreement',
  'sam',
  'ntp',
  'fingerprint',
  'gpio',
] as const;

export type ProvisioningItem = (typeof PROVISIONING_ITEMS)[number];
