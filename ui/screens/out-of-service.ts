import { css, html, type PropertyValues } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import '../components/progress.ts';
import type { AnjPinPad } from '../components/pin-pad.ts';
import '../components/pin-pad.ts';
import { emitStaff } from '../events.ts';

@customElement('anj-screen-out-of-service')
export class OutOfServiceScreen extends ScreenElement<'outOfService'> {
  readonly screenName = 'outOfService';
  /** The answer to the last staff PIN for the tamper lock. */
  @property({ attribute: false }) staffNotice: 'pinRejected' | 'switchOpen' | null = null;
  @query('anj-pin-pad') private pinPad?: AnjPinPad;
  static override styles = [
    ...ScreenElement.styles,
    css`
      :host {
        background: var(--anj-canvas);
      }
      svg {
        width: calc(var(--anj-title) * 2);
      }
      ul {
        text-align: left;
        margin: 0 auto;
        max-width: 36em;
      }
      .error {
        color: var(--anj-bad);
        background: var(--anj-bad-bg);
        border: 2px solid var(--anj-bad);
        border-radius: var(--anj-radius);
        padding: 0.3em 0.8em;
        font-weight: 700;
      }
    `,
  ];

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('staffNotice') && this.staffNotice) this.pinPad?.clear();
  }

  /** An opened enclosure keeps the kiosk locked until staff clear it here with their PIN. */
  private tamperClear() {
    const m = this.messages.outOfService.tamperClear;
    const s = this.messages.staff;
    const notice = this.staffNotice === 'pinRejected' ? s.pinRejected : this.staffNotice === 'switchOpen' ? m.closeFirst : null;
    return html`<p>${m.instruction}</p>
      ${notice ? html`<p class="error" role="alert" data-testid="tamper-clear-notice">${notice}</p>` : null}
      <anj-pin-pad
        label=${s.pinLabel}
        unlockLabel=${s.unlock}
        clearLabel=${s.clear}
        backspaceLabel=${s.backspace}
        @anj-pin=${(e: CustomEvent<string>) => emitStaff(this, { type: 'clearTamper', pin: e.detail })}
      ></anj-pin-pad>`;
  }

  override render() {
    const m = this.messages.outOfService;
    // Starting up is not a refusal: no no-entry sign and no "go to the counter", just a wait.
    if (this.view.reason === 'starting') {
      return html`<h1>${m.startingTitle}</h1>
        <anj-progress .value=${null} label=${m.startingTitle}></anj-progress>
        <p data-testid="out-of-service-reason" data-reason="starting">${m.reason.starting}</p>`;
    }
    if (this.view.reason === 'tamper') {
      return html`<h1>${m.title}</h1>
        <p data-testid="out-of-service-reason" data-reason=${this.view.reason}>${m.reason[this.view.reason]}</p>
        ${this.tamperClear()}`;
    }
    // Not provisioned: a calm screen for the technician setting the kiosk up, listing what is missing.
    if (this.view.reason === 'notProvisioned') {
      return html`<h1>${m.title}</h1>
        <p data-testid="out-of-service-reason" data-reason="notProvisioned">${m.reason.notProvisioned}</p>
        <p class="muted">${m.missing.title}</p>
        <ul data-testid="provisioning-missing">
          ${(this.view.missing ?? []).map((item) => html`<li data-item=${item}>${m.missing.items[item]}</li>`)}
        </ul>`;
    }
    return html`<svg data-testid="no-entry-sign" viewBox="0 0 100 100" aria-hidden="true">
        <circle cx="50" cy="50" r="44" fill="#a4161a"></circle><rect x="22" y="42" width="56" height="16" rx="4" fill="#fff"></rect>
      </svg>
      <h1>${m.title}</h1>
      <p data-testid="out-of-service-reason" data-reason=${this.view.reason}>${m.reason[this.view.reason]}</p>
      ${this.view.reopensAt ? html`<p data-testid="reopens-at" data-at=${this.view.reopensAt}>${m.reopensAt(wibClock(this.view.reopensAt))}</p>` : null}
      <p class="muted">${m.goToCounter}</p>`;
  }
}

/** HH:MM in WIB, the office's clock. */
function wibClock(iso: string): string {
  return new Intl.DateTimeFormat('id-ID', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Jakarta' }).format(new Date(iso)).replace('.', ':');
}
