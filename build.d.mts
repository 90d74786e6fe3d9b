/** Bundles the kiosk's screens, page and spoken prompts into `outdir` (see build.mjs). */
export function buildKioskUi(outdir: string): Promise<void>;
/** Bundles the staff dashboard and its page into `outdir` (see build.mjs). */
export function buildDashboardUi(outdir: string): Promise<void>;
