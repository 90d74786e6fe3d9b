/**
 * The one error a template codec throws. The code says what was wrong; the message is fixed
 * text naming the field, never the template bytes (a template is personal data).
 */
export type TemplateFormatErrorCode =
  | 'truncated'
  | 'trailingData'
  | 'badMagic'
  | 'badVersion'
  | 'lengthMismatch'
  | 'countMismatch'
  | 'badTag'
  | 'badFingerPosition'
  | 'badImageSize'
  | 'badResolution'
  | 'coordinateOutOfImage'
  | 'badMinutiaType'
  | 'badQuality'
  | 'badAngle'
  | 'badViewNumber'
  | 'tooManyViews'
  | 'duplicateView'
  | 'badImpressionType'
  | 'badExtendedData'
  | 'reservedBits';

export class TemplateFormatError extends Error {
  override readonly name = 'TemplateFormatError';
  constructor(
    readonly code: TemplateFormatErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isTemplateFormatError(e: unknown): e is TemplateFormatError {
  return e instanceof TemplateFormatError;
}
