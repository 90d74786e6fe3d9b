/**
 * The idle-timeout warning over the current screen. The daemon sends the seconds left when the
 * warning starts (and may resend); the countdown between pushes runs here so it ticks smoothly.
 */
import { LitElement, css, html, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { controls } from '../styles.ts';
import { secondsUntil } from '../format.ts';
import { emitIntent } from '../events.ts';
import type { Messages } from '../i18n.ts';

@customElement('anj-idle-overlay')
export class AnjIdleOverlay extends LitElement {
  @property({ attribute: false }) messages!: Messages;
  /** Seconds left as last pushed by the daemon. */
  @property({ type: Number }) secondsLeft = 0;
  /** Bumped by the app on every view, so an unchanged figure in a new push restarts the count. */
  @property({ type: Number }) seq = 0;
  @state() private shown = 0;
  private deadline = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  static override styles = [
    controls,
    css`
      :host {
        position: fixed;
        inset: 0;
        z-index: 10;
        display: flex;
        align-items: center;
        justify-content: center;
        background: rgba(13, 27, 42, 0.72);
      }
      .dialog {
        background: var(--anj-paper);
        border: 4px solid var(--anj-warn);
        border-radius: 18px;
        padding: calc(var(--anj-gap) * 1.5);
        display: grid;
        gap: var(--anj-gap);
        justify-items: center;
        text-align: center;
        max-width: 90vw;
      }
      h2 {
        margin: 0;
        font-size: var(--anj-title);
      }
      .count {
        font-size: calc(var(--anj-title) * 1.6);
        font-weight: 800;
        color: var(--anj-warn);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('secondsLeft') || changed.has('seq')) {
      this.deadline = Date.now() + this.secondsLeft * 1000;
      this.shown = this.secondsLeft;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => (this.shown = secondsUntil(this.deadline, Date.now())), 250);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.timer);
  }

  override render() {
    const m = this.messages.idle;
    return html`<div
      class="dialog"
      role="alertdialog"
      aria-labelledby="idle-title"
      aria-describedby="idle-count"
      data-testid="idle-warning"
    >
      <h2 id="idle-title">${m.title}</h2>
      <div class="count" aria-hidden="true" data-testid="idle-seconds">${this.shown}</div>
      <p id="idle-count">${m.countdown(this.shown)}</p>
      <button class="btn primary" data-testid="idle-continue" @click=${() => emitIntent(this, { type: 'extendTime' })}>
        ${m.continue}
      </button>
    </div>`;
  }
}
