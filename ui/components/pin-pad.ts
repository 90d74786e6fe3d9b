/** Staff PIN pad: digits shown as dots, never echoed; raises `anj-pin` with the PIN on unlock. */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controls } from '../styles.ts';

export const PIN_MAX_DIGITS = 12;

@customElement('anj-pin-pad')
export class AnjPinPad extends LitElement {
  @property() label = '';
  @property() unlockLabel = '';
  @property() clearLabel = '';
  @property() backspaceLabel = '';
  @state() private pin = '';

  static override styles = [
    controls,
    css`
      /* For staff: large-text mode (the taxpayer's setting) does not grow it. */
      :host {
        display: grid;
        gap: 8px;
        justify-items: stretch;
        font-size: var(--anj-text-base);
      }
      .entry {
        display: flex;
        align-items: center;
        gap: 0.5em;
      }
      .dots {
        flex: 1 1 auto;
        min-height: 1.6em;
        min-width: 6em;
        padding: 2px 10px;
        border: 3px solid var(--anj-ink);
        border-radius: var(--anj-radius);
        background: var(--anj-paper);
        font-size: 1.2em;
        letter-spacing: 0.3em;
        line-height: 1.6;
      }
      /* Digits in three columns as on a phone, the unlock key down the whole right side. */
      .keys {
        display: grid;
        grid-template-columns: repeat(3, minmax(var(--anj-touch), 4.5em)) minmax(var(--anj-touch), max-content);
        grid-auto-rows: var(--anj-touch);
        gap: 8px;
      }
      .btn {
        padding: 0;
      }
      .btn.quiet {
        font-size: 0.75em;
      }
      .unlock {
        padding: 0 0.5em;
        grid-column: 4;
        grid-row: 1 / span 4;
      }
    `,
  ];

  /** Forgets typed digits, e.g. after the daemon rejected a PIN. */
  clear(): void {
    this.pin = '';
  }

  private press(key: string): void {
    if (key === 'clear') this.pin = '';
    else if (key === 'back') this.pin = this.pin.slice(0, -1);
    else if (this.pin.length < PIN_MAX_DIGITS) this.pin += key;
  }

  private submit(): void {
    if (this.pin === '') return;
    const pin = this.pin;
    this.pin = '';
    this.dispatchEvent(new CustomEvent<string>('anj-pin', { detail: pin, bubbles: true, composed: true }));
  }

  override render() {
    const digit = (d: string) => html`<button class="btn" data-testid=${`pin-key-${d}`} @click=${() => this.press(d)}>${d}</button>`;
    return html`<div class="entry">
        <span id="pin-label">${this.label}</span>
        <div class="dots" role="status" aria-labelledby="pin-label" data-testid="pin-dots">${'●'.repeat(this.pin.length)}</div>
      </div>
      <div class="keys">
        ${['1', '2', '3'].map(digit)}
        <button class="btn primary unlock" data-testid="pin-submit" ?disabled=${this.pin === ''} @click=${() => this.submit()}>
          ${this.unlockLabel}
        </button>
        ${['4', '5', '6', '7', '8', '9'].map(digit)}
        <button class="btn quiet" data-testid="pin-clear" @click=${() => this.press('clear')}>${this.clearLabel}</button>
        ${digit('0')}
        <button class="btn quiet" data-testid="pin-back" aria-label=${this.backspaceLabel} @click=${() => this.press('back')}>⌫</button>
      </div>`;
  }
}
