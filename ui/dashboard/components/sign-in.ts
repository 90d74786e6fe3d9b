/**
 * Staff sign-in: user ID and PIN. On the kiosk's touchscreen (no physical keyboard) staff pick
 * their user ID from the roster and type only the PIN on a PIN pad (one tap and the digits);
 * where no roster is offered, an on-screen keyboard types into the field last focused: lowercase
 * letters, digits and '-' (what a user ID may hold), digits only into the PIN. Raises
 * `anj-sign-in` with { userId, pin }.
 */
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { STAFF_PIN_PATTERN } from '../../../device/domain/staff-pin.ts';
import { controls } from '../../styles.ts';
import '../../components/pin-pad.ts';
import type { AnjPinPad } from '../../components/pin-pad.ts';
import type { DashboardMessages } from '../i18n.ts';

export const USER_ID_PATTERN = /^[a-z0-9-]{1,32}$/;
const PIN_PATTERN = new RegExp(STAFF_PIN_PATTERN);
const KEY_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl-', 'zxcvbnm'];

export interface SignInRequest {
  userId: string;
  pin: string;
}

type Field = 'userId' | 'pin';

@customElement('anj-sign-in')
export class AnjSignIn extends LitElement {
  @property({ attribute: false }) messages!: DashboardMessages;
  /** Shown under the form: why the last sign-in failed. */
  @property() notice = '';
  @property({ type: Boolean }) busy = false;
  /** The kiosk's touchscreen has no keyboard: show ours. */
  @property({ type: Boolean }) onScreenKeyboard = false;
  /** The user IDs to pick from (the kiosk's roster); null or empty: the ID is typed. */
  @property({ attribute: false }) operators: string[] | null = null;
  /** The user ID picked from the roster, whose PIN the pad asks for. */
  @state() private picked: string | null = null;
  @state() private userId = '';
  @state() private pin = '';
  @state() private field: Field = 'userId';

  static override styles = [
    controls,
    css`
      :host {
        display: grid;
        gap: 12px;
        justify-items: center;
      }
      form {
        display: grid;
        gap: 10px;
        width: min(24em, 100%);
      }
      label {
        font-weight: 700;
      }
      input {
        min-height: 48px;
        padding: 0 10px;
        border: 2px solid var(--anj-ink);
        border-radius: 8px;
        background: var(--anj-paper);
        color: var(--anj-ink);
      }
      input:focus-visible {
        outline: 4px solid var(--anj-focus-ring);
        outline-offset: 2px;
        box-shadow: 0 0 0 8px var(--anj-focus);
      }
      .error {
        color: var(--anj-bad);
        background: var(--anj-bad-bg);
        border: 2px solid var(--anj-bad);
        border-radius: 8px;
        padding: 0.3em 0.8em;
        font-weight: 700;
        margin: 0;
      }
      .keyboard {
        display: grid;
        gap: 6px;
      }
      .row {
        display: flex;
        gap: 6px;
        justify-content: center;
      }
      .keyboard .btn {
        padding: 0;
        min-width: 48px;
        min-height: 48px;
      }
      .keyboard .btn.wide {
        padding: 0 1em;
      }
      .label {
        font-weight: 700;
        margin: 0;
      }
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 8px;
        justify-content: center;
        margin-top: 8px;
      }
      .picked {
        display: flex;
        flex-wrap: wrap;
        gap: 16px;
        align-items: flex-start;
        justify-content: center;
      }
      .who {
        display: grid;
        gap: 10px;
        justify-items: start;
        max-width: 16em;
      }
    `,
  ];

  /** Forgets the PIN typed, e.g. after a refusal. */
  clearPin(): void {
    this.pin = '';
    this.renderRoot.querySelector<AnjPinPad>('anj-pin-pad')?.clear();
  }

  private pickedSignIn(pin: string): void {
    if (this.busy || this.picked === null || !PIN_PATTERN.test(pin)) return;
    this.dispatchEvent(
      new CustomEvent<SignInRequest>('anj-sign-in', { detail: { userId: this.picked, pin }, bubbles: true, composed: true }),
    );
  }

  /** The kiosk's way: a button per user ID, then the PIN pad for the one picked. */
  private roster(operators: string[]) {
    const m = this.messages.signIn;
    if (this.picked === null) {
      return html`<div class="roster" role="group" aria-label=${m.pickOperator} data-testid="operator-list">
        <p class="label">${m.pickOperator}</p>
        <div class="choices">
          ${operators.map((id) => html`<button type="button" class="btn" data-testid=${`operator-${id}`} @click=${() => (this.picked = id)}>${id}</button>`)}
        </div>
      </div>`;
    }
    return html`<div class="picked">
      <div class="who">
        <p class="label" data-testid="picked-operator">${m.pinFor(this.picked)}</p>
        <button type="button" class="btn quiet" data-testid="other-operator" @click=${() => (this.picked = null)}>
          ${m.otherOperator}
        </button>
        ${this.notice ? html`<p class="error" role="alert" data-testid="sign-in-notice">${this.notice}</p>` : nothing}
      </div>
      <anj-pin-pad
        label=${m.pin}
        unlockLabel=${m.submit}
        clearLabel=${m.clear}
        backspaceLabel=${m.backspace}
        @anj-pin=${(e: CustomEvent<string>) => this.pickedSignIn(e.detail)}
      ></anj-pin-pad>
    </div>`;
  }

  private submit(e: Event): void {
    e.preventDefault();
    if (this.busy || !USER_ID_PATTERN.test(this.userId) || !PIN_PATTERN.test(this.pin)) return;
    const request: SignInRequest = { userId: this.userId, pin: this.pin };
    this.pin = '';
    this.dispatchEvent(new CustomEvent<SignInRequest>('anj-sign-in', { detail: request, bubbles: true, composed: true }));
  }

  private type(key: string): void {
    if (this.field === 'pin') {
      if (key === 'backspace') this.pin = this.pin.slice(0, -1);
      else if (key === 'clear') this.pin = '';
      else if (/^[0-9]$/.test(key) && this.pin.length < 12) this.pin += key;
      return;
    }
    if (key === 'backspace') this.userId = this.userId.slice(0, -1);
    else if (key === 'clear') this.userId = '';
    else if (this.userId.length < 32) this.userId += key;
  }

  private keyboard() {
    const m = this.messages.signIn;
    // Pointer-down is swallowed so the field keeps focus (and its caret) while keys are tapped.
    const keep = (e: Event) => e.preventDefault();
    return html`<div class="keyboard" role="group" aria-label=${m.keyboard} data-testid="onscreen-keyboard">
      ${KEY_ROWS.map(
        (row) =>
          html`<div class="row">
            ${row
              .split('')
              .map(
                (k) =>
                  html`<button
                    type="button"
                    class="btn"
                    data-testid=${`osk-${k}`}
                    ?disabled=${this.field === 'pin' && !/[0-9]/.test(k)}
                    @pointerdown=${keep}
                    @click=${() => this.type(k)}
                  >
                    ${k}
                  </button>`,
              )}
          </div>`,
      )}
      <div class="row">
        <button type="button" class="btn quiet wide" data-testid="osk-clear" @pointerdown=${keep} @click=${() => this.type('clear')}>
          ${m.clear}
        </button>
        <button
          type="button"
          class="btn quiet wide"
          data-testid="osk-backspace"
          aria-label=${m.backspace}
          @pointerdown=${keep}
          @click=${() => this.type('backspace')}
        >
          ⌫
        </button>
      </div>
    </div>`;
  }

  override render() {
    const m = this.messages.signIn;
    if (this.onScreenKeyboard && this.operators && this.operators.length > 0) return this.roster(this.operators);
    const complete = USER_ID_PATTERN.test(this.userId) && PIN_PATTERN.test(this.pin);
    return html`<form @submit=${(e: Event) => this.submit(e)} novalidate>
        <label for="user-id">${m.userId}</label>
        <input
          id="user-id"
          data-testid="user-id"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          maxlength="32"
          .value=${live(this.userId)}
          @focus=${() => (this.field = 'userId')}
          @input=${(e: Event) => (this.userId = (e.target as HTMLInputElement).value.toLowerCase())}
        />
        <label for="pin">${m.pin}</label>
        <input
          id="pin"
          data-testid="pin"
          type="password"
          inputmode="numeric"
          autocomplete="current-password"
          maxlength="12"
          .value=${live(this.pin)}
          @focus=${() => (this.field = 'pin')}
          @input=${(e: Event) => (this.pin = (e.target as HTMLInputElement).value.replace(/[^0-9]/g, ''))}
        />
        ${this.notice ? html`<p class="error" role="alert" data-testid="sign-in-notice">${this.notice}</p>` : nothing}
        <button class="btn primary" type="submit" data-testid="sign-in-submit" ?disabled=${this.busy || !complete}>${m.submit}</button>
      </form>
      ${this.onScreenKeyboard ? this.keyboard() : nothing}`;
  }
}
