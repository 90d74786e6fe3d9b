/** The dashboard's sections, in tab order: on a small screen (the kiosk's 800×480) one shows at a time. */
export const SECTIONS = ['assist', 'alerts', 'kiosk', 'quota', 'returnData', 'report', 'sessions'] as const;
export type Section = (typeof SECTIONS)[number];
