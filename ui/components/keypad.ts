/**
 * On-screen keypad for the return-data fields: digits by default, letters on demand (an NPWPD
 * may hold letters, its format being set by each regency). Raises `anj-key` with one character
 * or `backspace`.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controls } from '../styles.ts';

const DIGIT_KEYS = ['1', '2', '3', '.', '4', '5', '6', '-', '7', '8', '9', '0'];
/** The NOP's separators are placed by the mask, so its keypad has digits only. */
const PLAIN_DIGIT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];
const LETTER_KEYS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

@customElement('anj-keypad')
export class AnjKeypad extends LitElement {
  @property({ type: Boolean }) allowLetters = false;
  @property({ type: Boolean }) separators = true;
  @property() lettersLabel = 'ABC';
  @property() digitsLabel = '123';
  @property() backspaceLabel = '';
  @state() private letters = false;

  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      .keys {
        display: grid;
        gap: 6px;
        grid-template-columns: repeat(var(--cols), minmax(var(--anj-touch), 1fr));
        grid-auto-rows: var(--anj-key-height, var(--anj-touch));
      }
      .btn {
        padding: 0;
        min-height: 48px;
      }
      .wide {
        grid-column: span var(--span);
      }
    `,
  ];

  override willUpdate(): void {
    if (!this.allowLetters) this.letters = false;
  }

  override updated(changed: Map<PropertyKey, unknown>): void {
    // The screen lays itself out for the letter page, which needs the width of seven keys.
    if (changed.has('letters'))
      this.dispatchEvent(new CustomEvent<boolean>('anj-keypad-letters', { detail: this.letters, bubbles: true, composed: true }));
  }

  private key(k: string): void {
    this.dispatchEvent(new CustomEvent<string>('anj-key', { detail: k, bubbles: true, composed: true }));
  }

  /** Backspace fills the rest of the last row so it is the easiest key to hit. */
  private backspaceSpan(cols: number, keyCount: number, modeSpan: number): number {
    const used = (keyCount + (this.allowLetters ? modeSpan : 0)) % cols;
    return cols - used;
  }

  override render() {
    const keys = this.letters ? LETTER_KEYS : this.separators ? DIGIT_KEYS : PLAIN_DIGIT_KEYS;
    const cols = this.letters ? 7 : this.separators ? 4 : 3;
    // On the four-column digit page the letters key takes two places: its word is wider than a digit.
    const modeSpan = cols === 4 ? 2 : 1;
    return html`<div class="keys" style=${`--cols:${cols}`}>
      ${keys.map((k) => html`<button class="btn" data-testid=${`key-${k}`} @pointerdown=${(e: Event) => e.preventDefault()} @click=${() => this.key(k)}>${k}</button>`)}
      ${
        this.allowLetters
          ? html`<button
              class="btn quiet wide"
              style=${`--span:${modeSpan}`}
              data-testid="key-mode"
              @pointerdown=${(e: Event) => e.preventDefault()}
              @click=${() => (this.letters = !this.letters)}
            >
              ${this.letters ? this.digitsLabel : this.lettersLabel}
            </button>`
          : null
      }
      <button
        class="btn quiet wide"
        style=${`--span:${this.backspaceSpan(cols, keys.length, modeSpan)}`}
        data-testid="key-backspace"
        aria-label=${this.backspaceLabel}
        @pointerdown=${(e: Event) => e.preventDefault()}
        @click=${() => this.key('backspace')}
      >
        ⌫
      </button>
    </div>`;
  }
}
