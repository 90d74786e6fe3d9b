import { css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import '../components/progress.ts';

@customElement('anj-screen-out-of-service')
export class OutOfServiceScreen extends ScreenElement<'outOfService'> {
  readonly screenName = 'outOfService';
  static override styles = [
    ...ScreenElement.styles,
    css`
      :host {
        background: var(--anj-canvas);
      }
      svg {
        width: calc(var(--anj-title) * 2);
      }
    `,
  ];

  override render() {
    const m = this.messages.outOfService;
    // Starting up is not a refusal: no no-entry sign and no "go to the counter", just a wait.
    if (this.view.reason === 'starting') {
      return html`<h1>${m.startingTitle}</h1>
        <anj-progress .value=${null} label=${m.startingTitle}></anj-progress>
        <p data-testid="out-of-service-reason" data-reason="starting">${m.reason.starting}</p>`;
    }
    return html`<svg data-testid="no-entry-sign" viewBox="0 0 100 100" aria-hidden="true">
        <circle cx="50" cy="50" r="44" fill="#a4161a"></circle><rect x="22" y="42" width="56" height="16" rx="4" fill="#fff"></rect>
      </svg>
      <h1>${m.title}</h1>
      <p data-testid="out-of-service-reason" data-reason=${this.view.reason}>${m.reason[this.view.reason]}</p>
      <p class="muted">${m.goToCounter}</p>`;
  }
}
