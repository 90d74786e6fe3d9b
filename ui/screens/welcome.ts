import { css, html, svg } from 'lit';
import { customElement } from 'lit/decorators.js';
import { ScreenElement } from './base.ts';

/** A card sliding onto a reader: the one thing the taxpayer has to do here. */
const cardOnReader = svg`<svg viewBox="0 0 240 150" aria-hidden="true">
  <rect x="20" y="96" width="200" height="44" rx="10" fill="#0d1b2a"></rect>
  <rect x="40" y="104" width="160" height="8" rx="4" fill="#3d4a5c"></rect>
  <g class="card"><rect x="60" y="10" width="120" height="76" rx="8" fill="#2f6fd6" stroke="#0d1b2a" stroke-width="3"></rect>
  <rect x="72" y="24" width="26" height="32" rx="3" fill="#ffbf00"></rect>
  <rect x="106" y="26" width="60" height="6" rx="3" fill="#fff"></rect>
  <rect x="106" y="40" width="48" height="6" rx="3" fill="#fff"></rect>
  <rect x="106" y="54" width="54" height="6" rx="3" fill="#fff"></rect></g>
</svg>`;

@customElement('anj-screen-welcome')
export class WelcomeScreen extends ScreenElement<'welcome'> {
  readonly screenName = 'welcome';
  static override styles = [
    ...ScreenElement.styles,
    css`
      svg {
        width: min(16em, 40vw);
        max-height: 32vh;
      }
      .card {
        animation: hover 1.6s ease-in-out infinite alternate;
      }
      @keyframes hover {
        to {
          transform: translateY(10px);
        }
      }
    `,
  ];

  override render() {
    const m = this.messages.welcome;
    return html`<h1>${m.title}</h1>
      ${cardOnReader}
      <p class="lead">${m.instruction}</p>
      <p class="muted">${m.privacy}</p>`;
  }
}
