/**
 * Per-field comparison of the card (read and signature-checked from the chip) with the
 * registry's answer. Each of the nine permitted fields is compared in its normal form
 * (normalize.ts), so only a real difference counts, and the result screen shows agree/differ
 * per field. Pure.
 */
import { PERMITTED_FIELDS, displayField, formatAlamat, type Alamat, type PermittedField, type PersonData } from '../domain/record.ts';
import type { FieldComparison, RegistryVerdict } from '../domain/registry.ts';
import {
  normalizeAddressText,
  normalizeDate,
  normalizeDigits,
  normalizeGender,
  normalizeRegionName,
  normalizeRtRw,
  normalizeText,
} from './normalize.ts';
import type { ElementVerdict, RegistryRecord } from './response.ts';

export function compareWithRegistry(card: PersonData, registry: RegistryRecord): FieldComparison[] {
  return PERMITTED_FIELDS.map((key) => {
    const registryText = registryDisplay(registry, key);
    return {
      key,
      card: displayField(card, key),
      registry: registryText,
      agrees: registryText !== null && fieldAgrees(card, registry, key),
    };
  });
}

/**
 * CALL_VERIFY_BY_ELEMEN answers "agrees or not" per element without the registry's value, so
 * `registry` stays null. Elements the service did not answer are left out rather than guessed.
 */
export function compareByElements(card: PersonData, elements: Partial<Record<PermittedField, ElementVerdict>>): FieldComparison[] {
  return PERMITTED_FIELDS.flatMap((key) => {
    const verdict = elements[key];
    return verdict ? [{ key, card: displayField(card, key), registry: null, agrees: verdict.agrees }] : [];
  });
}

/** Verified only when all nine fields were compared and every one agrees. */
export function verdictFromFields(fields: FieldComparison[]): Extract<RegistryVerdict, { fields: FieldComparison[] }> {
  const allAgree = PERMITTED_FIELDS.every((key) => fields.some((f) => f.key === key)) && fields.every((f) => f.agrees);
  return allAgree ? { kind: 'verified', fields } : { kind: 'dataDiffers', fields };
}

function registryDisplay(r: RegistryRecord, key: PermittedField): string | null {
  if (key === 'alamat') return r.alamat ? formatAlamat(r.alamat) : null;
  if (key === 'jenisKelamin') return r.jenisKelamin === null ? null : (normalizeGender(r.jenisKelamin) ?? r.jenisKelamin);
  return r[key];
}

function fieldAgrees(card: PersonData, r: RegistryRecord, key: PermittedField): boolean {
  switch (key) {
    case 'nik':
    case 'nomorKk': {
      const theirs = r[key];
      return theirs !== null && normalizeDigits(theirs) !== '' && normalizeDigits(theirs) === normalizeDigits(card[key]);
    }
    case 'jenisKelamin': {
      const ours = normalizeGender(card.jenisKelamin);
      return r.jenisKelamin !== null && ours !== null && normalizeGender(r.jenisKelamin) === ours;
    }
    case 'tanggalLahir': {
      const ours = normalizeDate(card.tanggalLahir);
      return r.tanggalLahir !== null && ours !== null && normalizeDate(r.tanggalLahir) === ours;
    }
    case 'alamat':
      return r.alamat !== null && addressAgrees(card.alamat, r.alamat);
    default: {
      const theirs = r[key];
      return theirs !== null && normalizeText(theirs) === normalizeText(card[key]);
    }
  }
}

function addressAgrees(card: Alamat, registry: Alamat): boolean {
  return (
    normalizeAddressText(card.jalan) === normalizeAddressText(registry.jalan) &&
    normalizeRtRw(card.rt) === normalizeRtRw(registry.rt) &&
    normalizeRtRw(card.rw) === normalizeRtRw(registry.rw) &&
    normalizeRegionName(card.kelurahan) === normalizeRegionName(registry.kelurahan) &&
    normalizeRegionName(card.kecamatan) === normalizeRegionName(registry.kecamatan) &&
    normalizeRegionName(card.kabupaten) === normalizeRegionName(registry.kabupaten) &&
    normalizeRegionName(card.provinsi) === normalizeRegionName(registry.provinsi)
  );
}
