import { html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import '../components/progress.ts';

@customElement('anj-screen-reading-card')
export class ReadingCardScreen extends ScreenElement<'readingCard'> {
  readonly screenName = 'readingCard';

  override render() {
    const m = this.messages.readingCard;
    const title = m.title[this.view.phase];
    return html`<h1>${title}</h1>
      <anj-progress .value=${this.view.progress} label=${title}></anj-progress>
      <p>${m.keepCard}</p>
      <div class="actions">
        <button class="btn quiet" data-testid="cancel" @click=${() => this.intent({ type: 'cancel' })}>${this.messages.cancel}</button>
      </div>`;
  }
}
