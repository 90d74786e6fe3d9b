/**
 * Demo mode only: a strip at the bottom that stands for the physical world (a persona's card on
 * the reader, a finger on the scanner, the enclosure's tamper switch, the panel's lights). Drawn unlike the kiosk screens so nobody mistakes it for
 * part of the taxpayer's flow.
 */
import { LitElement, css, html } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { DemoPersonaSummary, KioskView } from '../../device/view/protocol.ts';
import { panelLights } from '../../device/view/panel.ts';
import { controls } from '../styles.ts';
import { emitDemo } from '../events.ts';
import type { Locale, Messages } from '../i18n.ts';

@customElement('anj-demo-panel')
export class AnjDemoPanel extends LitElement {
  @property({ attribute: false }) messages!: Messages;
  @property() locale: Locale = 'id';
  @property({ attribute: false }) personas: DemoPersonaSummary[] = [];
  @property() notice = '';
  /** The lights are the daemon's own function of the view, so they show what the panel shows. */
  @property({ attribute: false }) view: KioskView | null = null;
  @state() private open = true;
  @state() private enclosureOpen = false;
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
      .lights {
        display: inline-flex;
        gap: 6px;
        align-items: center;
      }
      .light {
        width: 1.4em;
        height: 1.4em;
        border-radius: 50%;
        border: 2px solid #fff;
        opacity: 0.25;
      }
      .light[data-state='on'],
      .light[data-state='blink'] {
        opacity: 1;
      }
      .light[data-state='blink'] {
        animation: blink 1s steps(2, jump-none) infinite;
      }
      @keyframes blink {
        50% {
          opacity: 0.25;
        }
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

  private toggleEnclosure(): void {
    this.enclosureOpen = !this.enclosureOpen;
    emitDemo(this, { type: 'setTamper', open: this.enclosureOpen });
  }

  private renderLights() {
    if (!this.view) return null;
    const lights = panelLights(this.view);
    const colour = { green: '#2dc653', amber: '#ffbf00', red: '#e5383b' } as const;
    return html`<span class="lights" role="img" aria-label=${this.messages.demo.lights} data-testid="demo-lights">
      ${(['green', 'amber', 'red'] as const).map(
        (c) =>
          html`<span
            class="light"
            style="background:${colour[c]}"
            title=${this.messages.demo.light[c]}
            data-testid=${`demo-light-${c}`}
            data-state=${lights[c]}
          ></span>`,
      )}
    </span>`;
  }

  override render() {
    const m = this.messages.demo;
    return html`<div class="bar ${this.open ? 'open' : 'closed'}" data-testid="demo-panel">
      <button class="btn toggle" data-testid="demo-toggle" aria-expanded=${String(this.open)} @click=${() => (this.open = !this.open)}>
        ${this.open ? m.panel : m.panelShort}
      </button>
      ${
        this.open
          ? html`<span class="hint">${m.hint}</span>
              <label
                >${m.persona}
                <select
                  data-testid="demo-persona"
                  .value=${this.persona}
                  @change=${(e: Event) => (this.persona = (e.target as HTMLSelectElement).value)}
                >
                  ${this.personas.map((p) => html`<option value=${p.id} ?selected=${p.id === this.persona}>${p.title[this.locale]}</option>`)}
                </select></label
              >
              <button class="btn" data-testid="demo-insert" @click=${() => emitDemo(this, { type: 'insertCard', persona: this.persona })}>
                ${m.insertCard}
              </button>
              <button
                class="btn"
                data-testid="demo-finger-genuine"
                @click=${() => emitDemo(this, { type: 'presentFinger', genuine: true })}
              >
                ${m.genuineFinger}
              </button>
              <button
                class="btn"
                data-testid="demo-finger-stranger"
                @click=${() => emitDemo(this, { type: 'presentFinger', genuine: false })}
              >
                ${m.strangerFinger}
              </button>
              <button class="btn" data-testid="demo-remove" @click=${() => emitDemo(this, { type: 'removeCard' })}>${m.removeCard}</button>
              <button
                class="btn"
                data-testid="demo-tamper"
                aria-pressed=${String(this.enclosureOpen)}
                @click=${() => this.toggleEnclosure()}
              >
                ${this.enclosureOpen ? m.closeEnclosure : m.openEnclosure}
              </button>
              ${this.renderLights()}
              ${this.notice ? html`<span class="notice" role="status" data-testid="demo-notice">${this.notice}</span>` : null}`
          : null
      }
    </div>`;
  }
}
