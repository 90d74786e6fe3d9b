import { css, html, type PropertyValues } from 'lit';
import { customElement, query } from 'lit/decorators.js';
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

  static override styles = [
    ...ScreenElement.styles,
    css`
      .side {
        display: grid;
        gap: var(--anj-gap);
        justify-items: center;
        max-width: 22em;
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
        height: min(40vh, 18em);
        aspect-ratio: 3 / 4;
        object-fit: cover;
        border: 4px solid var(--anj-ink);
        border-radius: 8px;
        background: #cfd8e3;
      }
    `,
  ];

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('view') && this.view.pinRejected) this.pinPad?.clear();
  }

  private callStaff() {
    const m = this.messages.staff;
    return html`<div class="split">
      <div class="side">
        <h1>${m.callTitle}</h1>
        <p>${m.why[this.view.why]}</p>
        ${this.view.pinRejected ? html`<p class="error" role="alert" data-testid="pin-rejected">${m.pinRejected}</p>` : null}
        <button class="btn quiet" data-testid="cancel" @click=${() => this.intent({ type: 'cancel' })}>${this.messages.cancel}</button>
      </div>
      <anj-pin-pad
        label=${m.pinLabel}
        unlockLabel=${m.unlock}
        clearLabel=${m.clear}
        backspaceLabel=${m.backspace}
        @anj-pin=${(e: CustomEvent<string>) => this.intent({ type: 'staffUnlock', pin: e.detail })}
      ></anj-pin-pad>
    </div>`;
  }

  private compareFace() {
    const m = this.messages.staff;
    return html`<div class="split">
      ${this.view.photo ? html`<img src=${this.view.photo} alt=${m.photoAlt} data-testid="card-photo" />` : null}
      <div class="side">
        <h1>${m.compareTitle}</h1>
        <p>${m.compareInstruction}</p>
        <div class="actions">
          <button class="btn ok" data-testid="face-matches" @click=${() => this.intent({ type: 'staffConfirmFace', matches: true })}>${m.faceMatches}</button>
          <button class="btn bad" data-testid="face-differs" @click=${() => this.intent({ type: 'staffConfirmFace', matches: false })}>${m.faceDiffers}</button>
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
        return html`<h1>${this.messages.staff.readingRecord}</h1>
          <anj-progress .value=${null} label=${this.messages.staff.readingRecord}></anj-progress>`;
      case 'compareFace':
        return this.compareFace();
    }
  }
}
