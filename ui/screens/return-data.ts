import { css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { ScreenElement, type ViewOf } from './base.ts';
import { cleanNpwpd, maskNop, NOP_DIGITS, nopDigitCount, returnDataIntent } from '../format.ts';
import '../components/keypad.ts';

type Field = 'nop' | 'npwpd';
type ReturnDataError = NonNullable<ViewOf<'returnData'>['error']>;

/** The field a refusal is about; "nothing entered" is told where the taxpayer is typing. */
function errorField(error: ReturnDataError, active: Field): Field {
  return error === 'nopFormat' ? 'nop' : error === 'npwpdFormat' ? 'npwpd' : active;
}

/** Data balikan: the taxpayer links their NOP PBB-P2 and/or NPWPD to this verification. */
@customElement('anj-screen-return-data')
export class ReturnDataScreen extends ScreenElement<'returnData'> {
  readonly screenName = 'returnData';
  @state() private nop = '';
  @state() private npwpd = '';
  @state() private active: Field = 'nop';
  /** The keypad shows its letter page: the form gives it the width. */
  @state() private letters = false;
  /** The daemon's error stands for what was submitted; once the taxpayer edits, it no longer applies. */
  @state() private editedSinceError = false;

  static override styles = [
    ...ScreenElement.styles,
    css`
      /* The form on the left, the keypad with the two ways on at the right: fields, buttons and
         any error stay in sight together, at 800×480 as on larger screens. */
      :host {
        display: grid;
        grid-template-columns: minmax(0, 1fr) clamp(14rem, 34%, 20rem);
        grid-template-rows: auto auto minmax(0, 1fr);
        grid-template-areas: 'title pad' 'intro pad' 'fields pad';
        align-items: start;
        justify-content: stretch;
        column-gap: calc(var(--anj-gap) * 1.5);
        text-align: left;
      }
      /* The letter page: seven keys wide under the field being typed in; the rest waits. */
      :host([letters]) {
        grid-template-columns: minmax(0, 1fr);
        grid-template-rows: auto auto;
        grid-template-areas: 'fields' 'pad';
      }
      :host([letters]) h1,
      :host([letters]) .intro,
      :host([letters]) .pad > .btn {
        display: none;
      }
      :host([letters]) .fields,
      :host([letters]) .pad {
        max-width: none;
      }
      @media (orientation: portrait) {
        :host {
          grid-template-columns: minmax(0, 1fr);
          grid-template-rows: auto;
          grid-template-areas: 'title' 'intro' 'fields' 'pad';
          justify-items: center;
          align-content: start;
          row-gap: var(--anj-gap);
        }
        .pad {
          max-width: 28em;
        }
      }
      h1 {
        grid-area: title;
        font-size: calc(var(--anj-title) * 0.8);
      }
      .intro {
        grid-area: intro;
        font-size: 0.85em;
      }
      .fields {
        grid-area: fields;
        display: grid;
        gap: 4px;
        width: 100%;
        max-width: 28em;
      }
      .pad {
        grid-area: pad;
        display: grid;
        gap: var(--anj-gap);
        align-content: start;
        width: 100%;
      }
      .pad .btn {
        width: 100%;
      }
      .label {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: baseline;
        column-gap: 0.5em;
        margin-top: 4px;
      }
      label {
        font-weight: 700;
      }
      input {
        width: 100%;
        box-sizing: border-box;
        min-height: var(--anj-touch);
        padding: 0 0.4em;
        border: 3px solid var(--anj-muted);
        border-radius: var(--anj-radius);
        font-size: 1.05em;
        font-variant-numeric: tabular-nums;
      }
      /* The active field: a thick dark ring (≥ 3:1 against the page), not colour alone. */
      input.active {
        border-color: var(--anj-primary);
        outline: 4px solid var(--anj-ink);
        outline-offset: 2px;
        box-shadow: 0 0 0 8px var(--anj-focus);
      }
      .hint {
        font-size: 0.8em;
        color: var(--anj-muted);
      }
      .count {
        font-size: 0.75em;
        font-weight: 700;
      }
      /* The answer to a refused number takes the place of that field's hint: nothing moves. */
      .error {
        color: var(--anj-bad);
        background: var(--anj-bad-bg);
        border: 2px solid var(--anj-bad);
        border-radius: 8px;
        padding: 0.1em 0.4em;
        font-size: 0.8em;
        font-weight: 700;
      }
      .error.fresh {
        animation: flash 0.6s ease-out 2;
      }
      @keyframes flash {
        50% {
          background: var(--anj-paper);
        }
      }
      /* The kiosk's short panel: fields at the touch minimum, and only the field being typed in
         shows its hint (the other one's shows when it is tapped). */
      @media (orientation: landscape) and (max-height: 560px) {
        :host {
          line-height: 1.2;
        }
        input {
          min-height: 48px;
        }
        anj-keypad {
          --anj-key-height: 50px;
        }
        .hint.inactive {
          display: none;
        }
        :host-context(html[data-text-size='large']) anj-keypad {
          --anj-key-height: 48px;
        }
        .pad {
          gap: 8px;
        }
      }
    `,
  ];

  private lettersShown(): boolean {
    return this.letters && this.active === 'npwpd';
  }

  override updated(): void {
    this.toggleAttribute('letters', this.lettersShown());
  }

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (!changed.has('view')) return;
    this.editedSinceError = false;
    // A refused number: its field becomes the one being typed in, with its answer under it.
    const error = this.view.error;
    if (error === 'nopFormat' || error === 'npwpdFormat') this.active = errorField(error, this.active);
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

  private input(field: Field, error: ReturnDataError | null) {
    const m = this.messages.returnData;
    const value = field === 'nop' ? this.nop : this.npwpd;
    const own = error !== null && errorField(error, this.active) === field ? error : null;
    return html`<div class="label">
        <label for=${field}>${field === 'nop' ? m.nopLabel : m.npwpdLabel}</label>
        ${
          field === 'nop'
            ? html`<span class="count" data-testid="nop-count" aria-live="polite"
                >${m.digitCount(nopDigitCount(this.nop), NOP_DIGITS)}</span
              >`
            : null
        }
      </div>
      <input
        id=${field}
        data-testid=${`${field}-input`}
        class=${this.active === field ? 'active' : ''}
        inputmode="none"
        autocomplete="off"
        aria-describedby=${`${field}-hint`}
        aria-invalid=${own ? 'true' : 'false'}
        spellcheck="false"
        .value=${value}
        @focus=${() => (this.active = field)}
        @input=${(e: Event) => {
          const el = e.target as HTMLInputElement;
          this.set(field, el.value);
          el.value = field === 'nop' ? this.nop : this.npwpd;
        }}
      />
      ${
        own
          ? this.errorLine(own, `${field}-hint`)
          : html`<span class="hint ${this.active === field ? '' : 'inactive'}" id=${`${field}-hint`}
              >${field === 'nop' ? m.nopHint : m.npwpdHint}</span
            >`
      }`;
  }

  /** Keyed by the submission: a second refusal of the same kind is drawn (and announced) anew. */
  private errorLine(error: ReturnDataError, id: string) {
    return keyed(
      this.view.submissions,
      html`<p class="error fresh" id=${id} role="alert" data-testid="return-data-error" data-submission=${this.view.submissions}>
        ${this.messages.returnData.error[error]}
      </p>`,
    );
  }

  override render() {
    const m = this.messages.returnData;
    const error = this.view.error && !this.editedSinceError ? this.view.error : null;
    const letters = this.lettersShown();
    return html`<h1 tabindex="-1">${m.title}</h1>
      <p class="intro" data-testid="kept-for">${m.intro} ${m.keptFor}</p>
      <div class="fields">${letters ? null : this.input('nop', error)} ${this.input('npwpd', error)}</div>
      <div class="pad">
        <anj-keypad
          ?allowLetters=${this.active === 'npwpd'}
          .separators=${this.active === 'npwpd'}
          lettersLabel=${m.letters}
          digitsLabel=${m.digits}
          backspaceLabel=${this.messages.staff.backspace}
          @anj-key=${(e: CustomEvent<string>) => this.key(e.detail)}
          @anj-keypad-letters=${(e: CustomEvent<boolean>) => (this.letters = e.detail)}
        ></anj-keypad>
        <button class="btn primary" data-testid="submit-return-data" @click=${() => this.intent(returnDataIntent(this.nop, this.npwpd))}>
          ${m.submit}
        </button>
        <button class="btn" data-testid="skip-return-data" @click=${() => this.intent({ type: 'skipReturnData' })}>${m.skip}</button>
      </div>`;
  }
}
