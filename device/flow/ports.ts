/**
 * The ports the flow talks to. Real drivers and simulators both implement them; main.ts
 * chooses; flow tests inject fakes. Nothing here carries personal data except CardRecord and
 * PersonData (and the registry's answer, domain/registry.ts), which stay in the session context.
 */
import type { AuditEvent } from '../domain/audit.ts';
import type { CaptureHint } from '../domain/capture-hint.ts';
import type { CardRecord, PersonData } from '../domain/record.ts';
import type { FingerTemplate } from '../domain/finger-template.ts';
import type { OutOfServiceReason, ServiceStop } from '../domain/failure.ts';
import type { RegistryOutcome, RegistryRefusal } from '../domain/registry.ts';

// ---- Card reader, SAM and the KTP-el read profile -------------------------------------------

/** Health of the reader side, a closed union per part (vxsuite style), for /healthz and boot. */
export interface ReaderHealth {
  /** The contactless reader the taxpayer puts the KTP-el on. */
  idReader: 'ready' | 'noReader' | 'error';
  cardPresent: boolean;
  /** The SAM: opened once per boot with PCID ⊕ configuration; never retried after a refusal. */
  sam: 'ready' | 'missing' | 'refused' | 'unknown';
  /** How many PC/SC readers are attached (losing one of two is not "no reader"). */
  readers: number;
}

export type CardReaderEvent =
  | { type: 'cardInserted' }
  | { type: 'cardRemoved' }
  | { type: 'readerAdded' }
  | { type: 'readerRemoved' }
  | { type: 'healthChanged'; health: ReaderHealth };

export interface ReadProgress {
  bytesRead: number;
  bytesTotal: number;
}

export interface CardTemplates {
  /** One or two templates (EF 6FF4 / 6FF5), each with its finger position code. */
  templates: FingerTemplate[];
}

/**
 * One card session = one authenticated channel. Errors are DeviceError with reasons
 * cardRemoved | readerRemoved | cardUnreadable | cardNotGenuine | signatureInvalid | samRefused.
 */
export interface CardPort {
  /** Starts watching readers and opens the SAM (once). Resolves when health is known. */
  start(): Promise<void>;
  stop(): Promise<void>;
  health(): ReaderHealth;
  subscribe(listener: (event: CardReaderEvent) => void): () => void;
  /** Authenticates the card now present (through the SAM) and reads its fingerprint templates. */
  readTemplates(signal: AbortSignal, onProgress: (p: ReadProgress) => void): Promise<CardTemplates>;
  /**
   * Reads biodata, photo and signature image over the channel readTemplates opened, verifies the
   * issuer's signature and returns the nine permitted elements (everything else dropped).
   */
  readRecord(signal: AbortSignal, onProgress: (p: ReadProgress) => void): Promise<CardRecord>;
  /** Forgets session keys and anything buffered from the card. Idempotent. */
  endSession(): void;
}

// ---- Fingerprint ------------------------------------------------------------------------------

export type FingerCapture = { kind: 'captured'; template: FingerTemplate; quality: number } | { kind: 'poorQuality'; hint: CaptureHint };

export interface FingerprintSensorPort {
  health(): 'ready' | 'missing' | 'error';
  /** Waits for a finger and captures it; rejects with DeviceError('sensorUnavailable') or on abort. */
  capture(fingerPosition: number, signal: AbortSignal): Promise<FingerCapture>;
}

export interface MatchDecision {
  matched: boolean;
  /** Best score over the card's templates. */
  score: number;
  /** The probe is not fit to match (e.g. far denser than a finger): ask for another touch. */
  poorQuality?: true;
}

export interface FingerMatcherPort {
  /** 1:1 decision of a live template against every template on the card. */
  decide(probe: FingerTemplate, references: readonly FingerTemplate[]): MatchDecision;
}

// ---- Uplink: Dukcapil web service -------------------------------------------------------------

export interface UplinkHealth {
  breaker: 'closed' | 'open' | 'halfOpen';
  quota: { used: number; limit: number; day: string };
}

export interface ValidatorPort {
  /**
   * Reserves one quota hit, asks the registry about the card's NIK, compares card and registry
   * field by field. Never retries after a request may have left. Never throws for a service
   * answer; throws only on abort.
   */
  validate(card: PersonData, signal: AbortSignal): Promise<RegistryOutcome>;
  health(): UplinkHealth;
}

// ---- GPIO --------------------------------------------------------------------------------------

export type Light = 'off' | 'on' | 'blink';

/** The panel's three lights: green ready, amber busy or waiting for the taxpayer, red fault. */
export interface PanelLights {
  green: Light;
  amber: Light;
  red: Light;
}

/** Buzzer tones: short on a card read, distinct on an error and on the idle warning. */
export type PanelTone = 'cardRead' | 'error' | 'idleWarning';

export type GpioEvent = { type: 'tamper'; open: boolean };

export interface GpioPort {
  setLights(lights: PanelLights): void;
  sound(tone: PanelTone): void;
  setReaderPower(on: boolean): Promise<void>;
  /** The enclosure's tamper switch, debounced. */
  tamperOpen(): boolean;
  subscribe(listener: (event: GpioEvent) => void): () => void;
  close(): void;
}

// ---- Clock, audit, return data, staff ----------------------------------------------------------

export interface ClockPort {
  now(): Date;
}

export interface AuditPort {
  record(event: AuditEvent): void;
}

export interface ReturnDataEntry {
  nik: string;
  nop: string | null;
  npwpd: string | null;
}

/** Data balikan outbox: the one place the NIK is kept, encrypted at rest. */
export interface ReturnDataPort {
  /** Stored once per idempotency key (the session id), so a retried submission is not doubled. */
  enqueue(entry: ReturnDataEntry, idempotencyKey: string): void;
}

export interface StaffAuthPort {
  /** Resolves the staff member's id for a correct PIN, null otherwise (rate-limited). */
  verifyPin(pin: string): Promise<{ staffId: string } | null>;
}

/** What the kiosk needs before it can serve: agreement in force, SAM, reader, quota. */
export interface ReadinessPort {
  check(): Promise<{ ready: true } | { ready: false; reason: OutOfServiceReason }>;
  /**
   * A session learnt that the kiosk must stop serving (the day's quota is gone, our access is
   * refused); later checks answer accordingly, across restarts.
   */
  stopService(reason: ServiceStop, cause: RegistryRefusal['kind']): void;
}
