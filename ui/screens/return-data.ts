import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import { cleanNpwpd, maskNop, NOP_DIGITS, nopDigitCount, returnDataIntent } from '../format.ts';
import '../components/keypad.ts';

type Field = 'nop' | 'npwpd';

/** Data balikan: the taxpayer links their NOP PBB-P2 and/or NPWPD to this verification. */
@customElement('anj-screen-return-data')
export class ReturnDataScreen extends ScreenElement<'returnData'> {
  readonly screenName = 'returnData';
  @state() private nop = '';
  @state() private npwpd = '';
  @state() private active: Field = 'nop';
  /** The daemon's error stands for what was submitted; once the taxpayer edits, it no longer applies. */
  @state() private editedSinceError = false;

  static override styles = [
    ...ScreenElement.styles,
    css`
      .split {
        width: 100%;
      }
      .fields {
        display: grid;
        gap: calc(var(--anj-gap) * 0.6);
        flex: 1 1 18em;
        max-width: 28em;
        text-align: left;
      }
      label {
        font-weight: 700;
      }
      input {
        width: 100%;
        box-sizing: border-box;
        min-height: var(--anj-touch);
        padding: 0 0.5em;
        border: 3px solid var(--anj-muted);
        border-radius: var(--anj-radius);
        font-size: 1.1em;
        font-variant-numeric: tabular-nums;
        letter-spacing: 0.04em;
      }
      /* The active field: a thick dark ring (≥ 3:1 against the page), not colour alone. */
      input.active {
        border-color: var(--anj-primary);
        outline: 4px solid var(--anj-ink);
        outline-offset: 2px;
        box-shadow: 0 0 0 10px var(--anj-focus);
      }
      .hint {
        font-size: 0.85em;
        color: var(--anj-muted);
      }
      .count {
        font-weight: 700;
      }
      .kept {
        font-size: 0.85em;
      }
      .error {
        color: var(--anj-bad);
        background: var(--anj-bad-bg);
        border: 2px solid var(--anj-bad);
        border-radius: var(--anj-radius);
        padding: 0.3em 0.6em;
        font-weight: 700;
      }
      anj-keypad {
        flex: 0 1 16em;
      }
      h1 {
        font-size: calc(var(--anj-title) * 0.8);
      }
    `,
  ];

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('view')) this.editedSinceError = false;
  }

  private set(field: Field, raw: string): void {
    this.editedSinceError = true;
    if (field === 'nop') this.nop = maskNop(raw);
    else this.npwpd = cleanNpwpd(raw);
  }

  private key(k: string): void {
    const current = this.active === 'nop' ? this.nop : this.npwpd;
    if (k === 'backspace') {
      // Deleting from a masked NOP removes the last digit, not just a separator.
      const next = this.active === 'nop' ? current.replace(/[0-9][^0-9]*$/, '') : current.slice(0, -1);
      this.set(this.active, next);
    } else {
      this.set(this.active, current + k);
    }
  }

  private input(field: Field) {
    const m = this.messages.returnData;
    const value = field === 'nop' ? this.nop : this.npwpd;
    return html`<label for=${field}>${field === 'nop' ? m.nopLabel : m.npwpdLabel}</label>
      <input
        id=${field}
        data-testid=${`${field}-input`}
        class=${this.active === field ? 'active' : ''}
        inputmode="none"
        autocomplete="off"
        aria-describedby=${`${field}-hint`}
        spellcheck="false"
        .value=${value}
        @focus=${() => (this.active = field)}
        @input=${(e: Event) => {
          const el = e.target as HTMLInputElement;
          this.set(field, el.value);
          el.value = field === 'nop' ? this.nop : this.npwpd;
        }}
      />
      <span class="hint" id=${`${field}-hint`}>${field === 'nop' ? m.nopHint : m.npwpdHint}</span>
      ${field === 'nop'
        ? html`<span class="count" data-testid="nop-count" aria-live="polite">${m.digitCount(nopDigitCount(this.nop), NOP_DIGITS)}</span>`
        : null}`;
  }

  override render() {
    const m = this.messages.returnData;
    const error = this.view.error && !this.editedSinceError ? this.view.error : null;
    return html`<h1 tabindex="-1">${m.title}</h1>
      <p class="muted optional">${m.intro}</p>
      <p class="kept" data-testid="kept-for">${m.keptFor}</p>
      <div class="split">
        <div class="fields">
          ${this.input('nop')} ${this.input('npwpd')}
          ${error ? html`<p class="error" role="alert" data-testid="return-data-error">${m.error[error]}</p>` : null}
        </div>
        <anj-keypad
          ?allowLetters=${this.active === 'npwpd'}
          .separators=${this.active === 'npwpd'}
          lettersLabel=${m.letters}
          digitsLabel=${m.digits}
          backspaceLabel=${this.messages.staff.backspace}
          @anj-key=${(e: CustomEvent<string>) => this.key(e.detail)}
        ></anj-keypad>
      </div>
      <div class="actions">
        <button class="btn primary" data-testid="submit-return-data" @click=${() => this.intent(returnDataIntent(this.nop, this.npwpd))}>${m.submit}</button>
        <button class="btn" data-testid="skip-return-data" @click=${() => this.intent({ type: 'skipReturnData' })}>${m.skip}</button>
      </div>`;
  }
}
