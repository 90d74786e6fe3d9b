import { css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';

/** The single ending for every failure; "try again" only where trying again can help. */
@customElement('anj-screen-failed')
export class FailedScreen extends ScreenElement<'failed'> {
  readonly screenName = 'failed';
  static override styles = [
    ...ScreenElement.styles,
    css`
      h1 {
        color: var(--anj-bad);
      }
      .code {
        font-size: 0.7em;
        color: var(--anj-muted);
      }
    `,
  ];

  override render() {
    const v = this.view;
    const advice = this.messages.failed.reason[v.reason];
    return html`<h1 data-testid="failure-title" data-reason=${v.reason}>${advice.title}</h1>
      <p>${advice.action}</p>
      <div class="actions">
        ${v.retriable
          ? html`<button class="btn primary" data-testid="try-again" @click=${() => this.intent({ type: 'finish' })}>${this.messages.tryAgain}</button>`
          : html`<button class="btn primary" data-testid="finish" @click=${() => this.intent({ type: 'finish' })}>${this.messages.done}</button>`}
      </div>
      <p class="code" data-testid="failure-code">${this.messages.failed.staffCode(v.reason, v.state)}</p>`;
  }
}
