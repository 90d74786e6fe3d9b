import { css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';

/**
 * The single ending for every failure. The flow leaves this screen when the card is lifted, so
 * the way on is an instruction, not a button: "try again" (put the card back) only where
 * trying again can help, otherwise "take your card" and the counter.
 */
@customElement('anj-screen-failed')
export class FailedScreen extends ScreenElement<'failed'> {
  readonly screenName = 'failed';
  static override styles = [
    ...ScreenElement.styles,
    css`
      h1 {
        color: var(--anj-bad);
      }
      /* An instruction, not a control: no box, no button shape; an arrow says "do this next". */
      .next {
        font-weight: 700;
        color: var(--anj-ink);
        cursor: default;
      }
      .next::before {
        content: '➜ ';
        color: var(--anj-primary);
      }
      .code {
        font-size: 0.85em;
        color: var(--anj-muted);
      }
      .code code {
        font-family: 'DejaVu Sans Mono', monospace;
        font-size: 0.95em;
      }
    `,
  ];

  override render() {
    const v = this.view;
    const m = this.messages.failed;
    const advice = m.reason[v.reason];
    const where = m.stateNames[v.state.split('.')[0] ?? ''] ?? v.state;
    return html`<h1 data-testid="failure-title" data-reason=${v.reason}>${advice.title}</h1>
      <p>${advice.action}</p>
      ${v.retriable
        ? html`<p class="next" data-testid="try-again"><strong>${this.messages.tryAgain}:</strong> ${m.retryHow}</p>`
        : html`<p class="next" data-testid="take-card">${this.messages.finished.title.completed}</p>`}
      <p class="code" data-testid="failure-code">${m.staffCodeLabel}: ${advice.title} (${where}) · <code>${v.reason}/${v.state}</code></p>
      ${this.referenceLine()}`;
  }
}
