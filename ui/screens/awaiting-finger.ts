import { css, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';
import { fingerName } from '../i18n.ts';
import '../components/hand.ts';

@customElement('anj-screen-awaiting-finger')
export class AwaitingFingerScreen extends ScreenElement<'awaitingFinger'> {
  readonly screenName = 'awaitingFinger';
  static override styles = [
    ...ScreenElement.styles,
    css`
      .split {
        width: 100%;
      }
      anj-hand {
        flex: 0 1 22em;
        min-width: 0;
      }
      .side {
        display: grid;
        gap: var(--anj-gap);
        justify-items: center;
        flex: 1 1 16em;
        min-width: 0;
      }
      .attempt {
        font-weight: 700;
      }
      .feedback {
        padding: 0.3em 0.8em;
        border-radius: var(--anj-radius);
        background: var(--anj-warn-bg);
        color: var(--anj-warn);
        border: 2px solid var(--anj-warn);
        font-weight: 700;
      }
    `,
  ];

  override render() {
    const m = this.messages.finger;
    const v = this.view;
    const finger = fingerName(this.messages, v.fingerPosition);
    // A change of finger is news of its own: it names the finger now asked for.
    const feedback = v.feedback === 'otherFinger' ? m.otherFinger(finger) : v.feedback ? m.feedback[v.feedback] : null;
    return html`<h1>${m.title(finger)}</h1>
      <div class="split">
        <anj-hand
          class="optional-large"
          .position=${v.fingerPosition}
          leftLabel=${m.leftHand}
          rightLabel=${m.rightHand}
          alt=${m.handsAlt(finger)}
        ></anj-hand>
        <div class="side">
          <p class="attempt" data-testid="finger-attempt">${m.attempt(v.attempt, v.maxAttempts)}</p>
          ${feedback ? html`<p class="feedback" role="status" data-testid="finger-feedback">${feedback}</p>` : null}
          <div class="actions">
            <button class="btn" data-testid="cannot-give-finger" @click=${() => this.intent({ type: 'cannotGiveFinger' })}>
              ${m.cannotGive}
            </button>
            <button class="btn quiet" data-testid="cancel" @click=${() => this.intent({ type: 'cancel' })}>${this.messages.cancel}</button>
          </div>
        </div>
      </div>`;
  }
}
