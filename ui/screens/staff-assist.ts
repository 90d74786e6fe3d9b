import { css, html, type PropertyValues } from 'lit';
import { customElement, query, state } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import type { AnjPinPad } from '../components/pin-pad.ts';
import '../components/pin-pad.ts';
import '../components/progress.ts';

/**
 * The fallback when fingerprints fail or the taxpayer cannot give one: a staff member signs in
 * with a PIN, then compares the taxpayer's face with the card photo.
 */
@customElement('anj-screen-staff-assist')
export class StaffAssistScreen extends ScreenElement<'staffAssist'> {
  readonly screenName = 'staffAssist';
  @query('anj-pin-pad') private pinPad?: AnjPinPad;
  /** The PIN pad is for staff: hidden behind a "Petugas" button, so a taxpayer's taps cannot lock staff out. */
  @state() private padOpen = false;

  static override styles = [
    ...ScreenElement.styles,
    css`
      .split {
        width: 100%;
      }
      .side {
        display: grid;
        gap: var(--anj-gap);
        justify-items: center;
        flex: 1 1 10em;
        min-width: 0;
        max-width: 24em;
      }
      anj-pin-pad {
        flex: 0 0 auto;
      }
      /* Once staff opened the pad, the words are theirs: the base size, whatever the taxpayer chose. */
      .side.staff {
        font-size: var(--anj-text-base);
      }
      .staff-note {
        font-size: var(--anj-text-base);
      }
      .side.staff h1 {
        font-size: calc(var(--anj-title) / var(--anj-text-scale, 1));
      }
      .error {
        color: var(--anj-bad);
        background: var(--anj-bad-bg);
        border: 2px solid var(--anj-bad);
        border-radius: var(--anj-radius);
        padding: 0.3em 0.8em;
        font-weight: 700;
      }
      img {
        flex: 0 0 auto;
        height: min(50vh, 18em);
        aspect-ratio: 3 / 4;
        object-fit: cover;
        border: 4px solid var(--anj-ink);
        border-radius: 8px;
        background: #cfd8e3;
      }
    `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('view') && (this.view.step !== 'callStaff' || this.lockedUntil() !== null)) this.padOpen = false;
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('view') && this.view.pinRejected) this.pinPad?.clear();
  }

  private lockedUntil(): string | null {
    const until = this.view.staffPin.lockedUntil;
    if (until === null || until <= Date.now()) return null;
    return new Intl.DateTimeFormat('id-ID', { hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Jakarta' })
      .format(new Date(until))
      .replace('.', ':');
  }

  private callStaff() {
    const m = this.messages.staff;
    const locked = this.lockedUntil();
    const attemptsLeft = this.view.staffPin.attemptsLeft;
    // With the pad open a staff member is at the kiosk: the words for the taxpayer give way to theirs.
    const pad = this.padOpen && locked === null;
    return html`<div class="split">
      <div class="side ${pad ? 'staff' : ''}">
        <h1 tabindex="-1">${pad ? m.padTitle : m.callTitle}</h1>
        ${pad ? null : html`<p>${m.why[this.view.why]}</p>`}
        ${this.view.helpNeeded && !pad ? html`<p data-testid="help-needed">${m.helpNeeded}</p>` : null}
        ${
          locked !== null
            ? html`<p class="error staff-note" role="alert" data-testid="pin-locked">${m.lockedUntil(locked)}</p>`
            : this.view.pinRejected
              ? html`<p class="error staff-note" role="alert" data-testid="pin-rejected">${m.pinRejected}</p>`
              : null
        }
        ${
          locked === null && attemptsLeft !== null && (this.view.pinRejected || this.padOpen)
            ? html`<p class="staff-note" data-testid="pin-attempts-left">${m.attemptsLeft(attemptsLeft)}</p>`
            : null
        }
        <div class="actions">
          ${
            this.padOpen
              ? html`<button class="btn quiet" data-testid="staff-pad-close" @click=${() => (this.padOpen = false)}>${m.hidePad}</button>`
              : html`<button class="btn" data-testid="staff-pad-open" ?disabled=${locked !== null} @click=${() => (this.padOpen = true)}>
                  ${m.staffButton}
                </button>`
          }
          <button class="btn quiet" data-testid="cancel" @click=${() => this.intent({ type: 'cancel' })}>${this.messages.cancel}</button>
        </div>
      </div>
      ${pad ? this.pinPadElement() : null}
    </div>`;
  }

  private pinPadElement() {
    const m = this.messages.staff;
    return html`<anj-pin-pad
      label=${m.pinLabel}
      unlockLabel=${m.unlock}
      clearLabel=${m.clear}
      backspaceLabel=${m.backspace}
      @anj-pin=${(e: CustomEvent<string>) => this.intent({ type: 'staffUnlock', pin: e.detail })}
    ></anj-pin-pad>`;
  }

  private compareFace() {
    const m = this.messages.staff;
    return html`<div class="split">
      ${this.view.photo ? html`<img src=${this.view.photo} alt=${m.photoAlt} data-testid="card-photo" />` : null}
      <div class="side">
        <h1 tabindex="-1">${m.compareTitle}</h1>
        <p>${m.compareInstruction}</p>
        <div class="actions">
          <button class="btn ok" data-testid="face-matches" @click=${() => this.intent({ type: 'staffConfirmFace', matches: true })}>
            ${m.faceMatches}
          </button>
          <button class="btn bad" data-testid="face-differs" @click=${() => this.intent({ type: 'staffConfirmFace', matches: false })}>
            ${m.faceDiffers}
          </button>
        </div>
        <button class="btn quiet" data-testid="cancel" @click=${() => this.intent({ type: 'cancel' })}>${this.messages.cancel}</button>
      </div>
    </div>`;
  }

  override render() {
    switch (this.view.step) {
      case 'callStaff':
        return this.callStaff();
      case 'readingRecord':
        return html`<h1 tabindex="-1">${this.messages.staff.readingRecord}</h1>
          <anj-progress .value=${null} label=${this.messages.staff.readingRecord}></anj-progress>`;
      case 'compareFace':
        return this.compareFace();
    }
  }
}
