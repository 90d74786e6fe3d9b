import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';

@customElement('anj-screen-finished')
export class FinishedScreen extends ScreenElement<'finished'> {
  readonly screenName = 'finished';

  override render() {
    const m = this.messages.finished;
    return html`<h1 data-testid="finished-title">${m.title[this.view.why]}</h1>
      <p data-testid="finished-why">${m.why[this.view.why]}</p>
      ${this.referenceLine()}`;
  }
}
