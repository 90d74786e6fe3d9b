/** What the fingerprint sensor asks of the taxpayer when a touch could not be used. */
export type CaptureHint = 'pressLonger' | 'cleanFinger' | 'placeCentered';
