/** Every staff feature, each a plugin both listeners mount in their staff scope (staff/auth.ts). */
import type { KioskConfig } from '../config.ts';
import type { AuditPort, ClockPort } from '../flow/ports.ts';
import type { Logger } from '../log.ts';
import { pdfPrinterFromConfig, reportHeaderFromConfig } from '../report/from-config.ts';
import { exportTargetsFor } from '../return-data/export-targets.ts';
import type { KioskStore } from '../store/kiosk-store.ts';
import { reportRoutes } from './report-routes.ts';
import { returnDataRoutes } from './return-data-routes.ts';
import type { StaffRoutes } from './scope.ts';

export function staffFeatures(
  config: KioskConfig,
  parts: { dashboard: StaffRoutes; store: Pick<KioskStore, 'db' | 'outbox'>; audit: AuditPort; clock: ClockPort; logger: Logger },
): StaffRoutes[] {
  const { store, audit, clock, logger } = parts;
  const exportTargets = exportTargetsFor(config);
  return [
    // The kiosk's overview, alerts, sessions, pause and staff assist (device/kiosk.ts builds it).
    parts.dashboard,
    returnDataRoutes({
      outbox: store.outbox,
      targets: exportTargets,
      audit,
      clock,
      kiosk: config.kiosk ?? null,
      logger: logger.child({ component: 'return-data' }),
    }),
    reportRoutes({
      db: store.db,
      ...reportHeaderFromConfig(config),
      now: () => clock.now(),
      audit,
      pdf: pdfPrinterFromConfig(config),
      targets: exportTargets,
    }),
  ];
}
