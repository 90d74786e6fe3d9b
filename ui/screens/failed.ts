import { css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import { failureNextStepKey } from '../failure-next-step.ts';

/**
 * The single ending for every failure, in words a taxpayer can act on: what happened (no code,
 * no blame), the one thing to do, and the way on with the card. The flow leaves this screen when
 * the card is lifted, so the way on is an instruction, not a button. What staff need (reason,
 * step, status word) goes to the dashboard and the audit trail, never to this screen.
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
    `,
  ];

  override render() {
    const v = this.view;
    const m = this.messages.failed;
    const advice = m.reason[v.reason];
    const step = failureNextStepKey(v);
    const next = step === null ? null : { 'retry-card-in': m.retryCardIn, 'retry-card-out': m.retryCardOut, 'take-card': m.takeCard }[step];
    return html`<h1 data-testid="failure-title" data-reason=${v.reason}>${advice.title}</h1>
      <p data-testid="failure-action">${advice.action}</p>
      ${next ? html`<p class="next" data-testid=${v.retriable ? 'try-again' : 'take-card'}>${next}</p>` : null} ${this.referenceLine()}`;
  }
}
