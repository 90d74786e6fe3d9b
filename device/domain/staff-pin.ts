/**
 * A staff PIN as it may be typed: 4 to 12 digits, on the kiosk's PIN pad and at the dashboard's
 * sign-in alike (anjungan-provision sets new ones at 6 or more). Never logged, shown or stored
 * in clear.
 */
export const STAFF_PIN_PATTERN = '^[0-9]{4,12}$';
