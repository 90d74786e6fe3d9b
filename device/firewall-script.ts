/**
 * anjungan-firewall.service's loader: prints the egress rule set for the configuration in
 * ANJUNGAN_CONFIG. An entry of its own, not a "run as a script" block in device/firewall.ts: a
 * bundle that imports the rules (the technician CLI) would run such a block as its own main.
 */
import { ConfigError, loadConfig, type KioskConfig } from './config.ts';
import { CLOSED_RULES, renderEgressRules } from './firewall.ts';

/**
 * A kiosk still being provisioned lacks what the daemon needs to serve (the uplink, the issuer
 * key) but already needs what is set, such as its NTP servers: a configuration that only fails
 * production's completeness check is read with the schema's rules alone.
 */
function egressConfig(env: NodeJS.ProcessEnv, now: Date): KioskConfig {
  try {
    return loadConfig(env, now);
  } catch (err) {
    if (
      !(err instanceof ConfigError) ||
      !err.problems.every((p) => / is required in production|needs url and caFile in production/.test(p))
    )
      throw err;
    return loadConfig({ ...env, ANJUNGAN_MODE: 'demo' }, now);
  }
}

// Fails closed: a configuration that cannot be read or rendered still gets a rule set.
try {
  process.stdout.write(renderEgressRules(egressConfig(process.env, new Date())));
} catch (err) {
  const e = err as Error;
  process.stderr.write(`anjungan-firewall: ${e.name}: ${e.message}; only loopback is allowed\n`);
  process.stdout.write(CLOSED_RULES());
}
