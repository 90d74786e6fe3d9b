import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import '../components/progress.ts';

@customElement('anj-screen-validating')
export class ValidatingScreen extends ScreenElement<'validating'> {
  readonly screenName = 'validating';

  override render() {
    const m = this.messages.validating;
    return html`<h1>${m.title}</h1>
      <anj-progress .value=${null} label=${m.title}></anj-progress>
      <p>${m.detail}</p>
      <div class="actions">
        <button class="btn quiet" data-testid="cancel" @click=${() => this.intent({ type: 'cancel' })}>${this.messages.cancel}</button>
      </div>`;
  }
}
