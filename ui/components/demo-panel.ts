/**
 * Demo mode only: a strip at the bottom that stands for the physical world (a persona's card on
 * the reader, a finger on the scanner). Drawn unlike the kiosk screens so nobody mistakes it for
 * part of the taxpayer's flow.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DemoPersonaSummary } from '../../device/view/protocol.ts';
import { controls } from '../styles.ts';
import { emitDemo } from '../events.ts';
import type { Locale, Messages } from '../i18n.ts';

@customElement('anj-demo-panel')
export class AnjDemoPanel extends LitElement {
  @property({ attribute: false }) messages!: Messages;
  @property() locale: Locale = 'id';
  @property({ attribute: false }) personas: DemoPersonaSummary[] = [];
  @property() notice = '';
  @state() private open = true;
  @state() private persona = '';

  static override styles = [
    controls,
    css`
      :host {
        display: block;
        background: repeating-linear-gradient(135deg, #2b2d42, #2b2d42 14px, #34374f 14px, #34374f 28px);
        color: #fff;
        border-top: 4px dashed #ffbf00;
        /* A developer's tool, not the kiosk's content: its size does not follow large-text mode. */
        font-size: clamp(14px, 1.6vmin + 7px, 20px);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 8px;
        padding: 6px 10px;
      }
      .toggle {
        border-color: #ffbf00;
        color: #ffbf00;
        background: transparent;
      }
      .btn {
        min-height: 48px;
        padding: 0 0.8em;
        border-color: #fff;
        color: #fff;
        background: transparent;
      }
      select {
        min-height: 48px;
        max-width: 22em;
        border-radius: var(--anj-radius);
        border: 3px solid #fff;
        padding: 0 0.4em;
      }
      @media (orientation: landscape) {
        :host {
          border-top: none;
          border-left: 4px dashed #ffbf00;
          overflow-y: auto;
        }
        .bar {
          flex-direction: column;
          align-items: stretch;
          width: clamp(150px, 21vw, 270px);
        }
        .bar.closed {
          width: auto;
        }
        select {
          width: 100%;
        }
        label {
          display: grid;
          gap: 2px;
        }
      }
.hint {
        font-size: 0.8em;
        opacity: 0.85;
      }
      .notice {
        color: #ffbf00;
        font-weight: 700;
      }
    `,
  ];

  override willUpdate(): void {
    if (this.persona === '' && this.personas[0]) this.persona = this.personas[0].id;
  }

  override render() {
    const m = this.messages.demo;
    return html`<div class="bar ${this.open ? 'open' : 'closed'}" data-testid="demo-panel">
      <button class="btn toggle" data-testid="demo-toggle" aria-expanded=${String(this.open)} @click=${() => (this.open = !this.open)}>
        ${this.open ? m.panel : m.panelShort}
      </button>
      ${this.open
        ? html`<span class="hint">${m.hint}</span>
            <label
              >${m.persona}
              <select data-testid="demo-persona" .value=${this.persona} @change=${(e: Event) => (this.persona = (e.target as HTMLSelectElement).value)}>
                ${this.personas.map((p) => html`<option value=${p.id} ?selected=${p.id === this.persona}>${p.title[this.locale]}</option>`)}
              </select></label
            >
            <button class="btn" data-testid="demo-insert" @click=${() => emitDemo(this, { type: 'insertCard', persona: this.persona })}>${m.insertCard}</button>
            <button class="btn" data-testid="demo-finger-genuine" @click=${() => emitDemo(this, { type: 'presentFinger', genuine: true })}>${m.genuineFinger}</button>
            <button class="btn" data-testid="demo-finger-stranger" @click=${() => emitDemo(this, { type: 'presentFinger', genuine: false })}>${m.strangerFinger}</button>
            <button class="btn" data-testid="demo-remove" @click=${() => emitDemo(this, { type: 'removeCard' })}>${m.removeCard}</button>
            ${this.notice ? html`<span class="notice" role="status" data-testid="demo-notice">${this.notice}</span>` : null}`
        : null}
    </div>`;
  }
}
